/**
 * The Mann-Whitney U test (Wilcoxon rank sum) as Kayenta's NetflixACAJudge runs it: R's
 * `wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = TRUE)`, two-sided, mu = 0. The
 * normal approximation, with the tie and continuity corrections, at every sample size.
 */
export type MannWhitneyResult = {
	/** R's W: the canary's rank sum less its minimum, i.e. U of the canary. */
	statistic: number;
	pValue: number;
	lower: number;
	upper: number;
	/** The shift canary − baseline (R's "difference in location"). */
	estimate: number;
};

/**
 * Average ranks (ties share the mean of their places), and the tie term Σ(t³ − t) over the tie
 * groups that the variance is corrected by.
 */
function ranked(values: readonly number[]): {ranks: Float64Array; ties: number} {
	const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
	const ranks = new Float64Array(values.length);
	let ties = 0;
	for (let start = 0; start < order.length; ) {
		let end = start + 1;
		while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
		const rank = (start + 1 + end) / 2;
		for (let k = start; k < end; k++) ranks[order[k]!] = rank;
		const t = end - start;
		ties += t * t * t - t;
		start = end;
	}
	return {ranks, ties};
}

/**
 * The canary's rank sum centred on its null mean (U − nx·ny/2), and the tie-corrected standard
 * deviation of U, for the canary shifted down by mu.
 */
function centred(x: readonly number[], y: readonly number[], mu: number) {
	const nx = x.length;
	const ny = y.length;
	const {ranks, ties} = ranked([...x.map((v) => v - mu), ...y]);
	let sum = 0;
	for (let i = 0; i < nx; i++) sum += ranks[i]!;
	const dz = sum - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
	const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - ties / ((nx + ny) * (nx + ny - 1))));
	return {dz, sigma};
}

/**
 * The continuity-corrected z of the test that the shift is mu (ties count half, as in R): above
 * the normal quantile, x is significantly above y + mu. 0 when every observation is tied.
 */
export function shiftZ(x: readonly number[], y: readonly number[], mu: number): number {
	const {dz, sigma} = centred(x, y, mu);
	return sigma === 0 ? 0 : (dz - Math.sign(dz) * 0.5) / sigma;
}

/**
 * R's `wdiff`: shiftZ less the quantile zq, which steps down as mu grows; its roots bound the
 * confidence interval (zq = ±z) and give the estimate (zq = 0). Like R it refuses all ties.
 */
export function wilcoxonDiff(
	mu: number,
	zq: number,
	x: readonly number[],
	y: readonly number[],
): number {
	if (centred(x, y, mu).sigma === 0)
		throw new RangeError('cannot compute confidence interval when all observations are tied');
	return shiftZ(x, y, mu) - zq;
}

/**
 * The standard normal CDF: Cody's rational Chebyshev approximation (ACM TOMS 715) as R's
 * `pnorm` evaluates it, good to about 1e-16 and without cancellation in the tails.
 */
export function normalCdf(x: number): number {
	if (Number.isNaN(x)) return Number.NaN;
	const y = Math.abs(x);
	if (y <= 0.67448975) {
		const a = [
			2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356,
			0.06568233791820745,
		];
		const b = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
		let num = 0;
		let den = 0;
		if (y > Number.EPSILON / 2) {
			const xsq = x * x;
			num = a[4]! * xsq;
			den = xsq;
			for (let i = 0; i < 3; i++) {
				num = (num + a[i]!) * xsq;
				den = (den + b[i]!) * xsq;
			}
		}
		return 0.5 + (x * (num + a[3]!)) / (den + b[3]!);
	}
	let tail: number;
	if (y <= Math.sqrt(32)) {
		const c = [
			0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002,
			2494.5375852903726, 6848.190450536283, 11602.65143764735, 9842.714838383978,
			1.0765576773720192e-8,
		];
		const d = [
			22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761,
			18615.571640885097, 34900.95272114598, 38912.00328609327, 19685.429676859992,
		];
		let num = c[8]! * y;
		let den = y;
		for (let i = 0; i < 7; i++) {
			num = (num + c[i]!) * y;
			den = (den + d[i]!) * y;
		}
		tail = gaussianTail(y, (num + c[7]!) / (den + d[7]!));
	} else if (y < 37.5193) {
		const p = [
			0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934,
			0.000029112874951168793, 0.023073441764940174,
		];
		const q = [
			1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824,
			0.00007297515550839662,
		];
		const xsq = 1 / (x * x);
		let num = p[5]! * xsq;
		let den = xsq;
		for (let i = 0; i < 4; i++) {
			num = (num + p[i]!) * xsq;
			den = (den + q[i]!) * xsq;
		}
		const r = (xsq * (num + p[4]!)) / (den + q[4]!);
		tail = gaussianTail(y, (1 / Math.sqrt(2 * Math.PI) - r) / y);
	} else tail = 0;
	return x > 0 ? 1 - tail : tail;
}

/** exp(−y²/2)·r with y² split at 1/16 so that the square loses no digits (Cody). */
function gaussianTail(y: number, r: number): number {
	const ysq = Math.trunc(y * 16) / 16;
	const del = (y - ysq) * (y + ysq);
	return Math.exp(-ysq * ysq * 0.5) * Math.exp(-del * 0.5) * r;
}

/** The standard normal quantile: Wichura's AS 241 (PPND16), good to about 1e-16. */
export function normalQuantile(p: number): number {
	if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
	if (p === 0) return Number.NEGATIVE_INFINITY;
	if (p === 1) return Number.POSITIVE_INFINITY;
	const q = p - 0.5;
	if (Math.abs(q) <= 0.425) {
		const r = 0.180625 - q * q;
		return (
			(q *
				(((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r +
					45921.95393154987) *
					r +
					13731.69376550946) *
					r +
					1971.5909503065513) *
					r +
					133.14166789178438) *
					r +
					3.3871328727963665)) /
			(((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r +
				21213.794301586597) *
				r +
				5394.196021424751) *
				r +
				687.1870074920579) *
				r +
				42.31333070160091) *
				r +
				1)
		);
	}
	let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
	let value: number;
	if (r <= 5) {
		r -= 1.6;
		value =
			(((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r +
				1.2704582524523684) *
				r +
				3.6478483247632045) *
				r +
				5.769497221460691) *
				r +
				4.630337846156546) *
				r +
				1.4234371107496835) /
			(((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r +
				0.14810397642748008) *
				r +
				0.6897673349851) *
				r +
				1.6763848301838038) *
				r +
				2.053191626637759) *
				r +
				1);
	} else {
		r -= 5;
		value =
			(((((((2.0103343992922881e-7 * r + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
				0.026532189526576124) *
				r +
				0.29656057182850487) *
				r +
				1.7848265399172913) *
				r +
				5.463784911164114) *
				r +
				6.657904643501103) /
			(((((((2.0442631033899397e-15 * r + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
				0.0007868691311456133) *
				r +
				0.014875361290850615) *
				r +
				0.1369298809227358) *
				r +
				0.599832206555888) *
				r +
				1);
	}
	return q < 0 ? -value : value;
}

/** The tie term Σ(t³ − t) of one sample on its own. */
function tieTerm(values: readonly number[]): number {
	return ranked(values).ties;
}

/** How many differences x_i − y_j are at most t (x and y sorted ascending), in one pass. */
function countAtMost(x: Float64Array, y: Float64Array, t: number): number {
	let count = 0;
	let j = 0;
	for (const xi of x) {
		while (j < y.length && xi - y[j]! > t) j++;
		count += y.length - j;
	}
	return count;
}

/** The smallest difference x_i − y_j above t (x and y sorted ascending), in one pass. */
function smallestAbove(x: Float64Array, y: Float64Array, t: number): number {
	let smallest = Number.POSITIVE_INFINITY;
	let j = 0;
	for (const xi of x) {
		while (j < y.length && xi - y[j]! > t) j++;
		if (j > 0) smallest = Math.min(smallest, xi - y[j - 1]!);
	}
	return smallest;
}

/**
 * The k-th smallest (1-based) of the nx·ny differences x_i − y_j without listing them: bisect
 * on the value by counting, stepping to the next difference above the low end each time, until
 * that difference is the k-th. The answer is always one of the differences, to the last bit.
 */
function pairwiseOrder(x: Float64Array, y: Float64Array, k: number): number {
	let lo = Number.NEGATIVE_INFINITY;
	let hi = x[x.length - 1]! - y[0]!;
	for (let i = 0; i < 4096; i++) {
		const next = smallestAbove(x, y, lo);
		if (countAtMost(x, y, next) >= k) return next;
		lo = next;
		const mid = lo / 2 + hi / 2;
		if (!(mid > lo && mid < hi)) break;
		if (countAtMost(x, y, mid) >= k) hi = mid;
		else lo = mid;
	}
	return smallestAbove(x, y, lo);
}

/**
 * Shift x − y: x is the canary, y the baseline. The two-sided test of shift 0, with the
 * confidence interval and the Hodges-Lehmann estimate of the shift.
 *
 * R's `wdiff` is a step function of the shift that jumps only at the differences x_i − y_j, so
 * the roots R and Kayenta look for with Brent's method (to 1e-4 in the data's units) are order
 * statistics of those differences, which are computed here exactly: the lower bound is the
 * (K − ⌊K/2 + zσ + ½⌋)-th of the K = nx·ny differences, the upper the (K − ⌊K/2 − zσ − ½⌋)-th
 * (σ: the tie-corrected deviation of U away from the jumps; the ½ is the continuity correction),
 * and the estimate their median, which is where R's wdiff(·, 0) is 0. They agree with R to
 * within its root tolerance, and stay exact where that tolerance is as large as the data (error
 * ratios) or where Brent lands either side of a jump at 0 (mostly-zero samples, where Kayenta
 * can return a lower bound above the upper one).
 *
 * Non-finite samples are dropped (as R does); an empty side throws. Constant samples need no
 * special case: all the differences are c − b, so is the interval (Kayenta adds random noise to
 * such samples, R refuses them); with every value equal the p-value is 1.
 */
export function mannWhitney(
	x: readonly number[],
	y: readonly number[],
	confidence = 0.98,
): MannWhitneyResult {
	const xf = x.filter(Number.isFinite);
	const yf = y.filter(Number.isFinite);
	if (xf.length === 0 || yf.length === 0)
		throw new RangeError('the Mann-Whitney test needs a finite sample on each side');
	if (!(confidence > 0 && confidence < 1))
		throw new RangeError('confidence must be between 0 and 1');
	const nx = xf.length;
	const ny = yf.length;
	const n = nx + ny;

	const statistic = centred(xf, yf, 0).dz + (nx * ny) / 2;
	const pValue = Math.min(1, 2 * normalCdf(-Math.abs(shiftZ(xf, yf, 0))));

	const k = nx * ny;
	const xs = Float64Array.from(xf).sort();
	const ys = Float64Array.from(yf).sort();
	const ties = tieTerm(xf) + tieTerm(yf);
	const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - ties / (n * (n - 1))));
	const z = -normalQuantile((1 - confidence) / 2);
	const order = (rank: number) => pairwiseOrder(xs, ys, Math.min(k, Math.max(1, rank)));
	const lower = order(k - Math.floor(k / 2 + z * sigma + 0.5));
	const upper = order(k - Math.floor(k / 2 - z * sigma - 0.5));
	const estimate = k % 2 === 1 ? order((k + 1) / 2) : order(k / 2) / 2 + order(k / 2 + 1) / 2;
	return {statistic, pValue, lower, upper, estimate};
}
