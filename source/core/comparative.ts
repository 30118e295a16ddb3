import {type MannWhitneyResult, mannWhitney, normalQuantile, shiftZ} from './mann-whitney.js';

/**
 * Kayenta's comparative verdict (NetflixACAJudge: MannWhitneyClassifier, WeightedSumScorer,
 * ThresholdScoreClassifier), canary against baseline: each metric High, Low or Pass by a
 * Mann-Whitney test and an effect size, then a weighted score of the groups and a verdict.
 */
export type MetricClass = 'High' | 'Low' | 'Pass' | 'Nodata' | 'NodataFailMetric';

/** One metric as Kayenta's canary config describes it (`analysisConfigurations.canary`). */
export type MetricConfig = {
	name: string;
	/** Which way is a failure: only High for 'increase', only Low for 'decrease'. */
	direction?: 'increase' | 'decrease' | 'either';
	/** A failure of this metric fails the canary, whatever the score. */
	critical?: boolean;
	/** No data counts against its group's score (NodataFailMetric) instead of being left out. */
	mustHaveData?: boolean;
	/** The group it is scored in; 'default' when none. */
	group?: string;
	/** Shown, but left out of the score. */
	muted?: boolean;
	/** 'remove' (the default) drops non-finite samples; 'replace' makes them 0. */
	nanStrategy?: 'remove' | 'replace';
	/** The effect size that must also be large enough: mean ratio (default) or CLES. */
	effectSizeMeasure?: 'meanRatio' | 'cles';
	/** High only when the effect size is at least this (1 for mean ratio, 0.5 for CLES). */
	allowedIncrease?: number;
	/** Low only when the effect size is at most this (1 for mean ratio, 0.5 for CLES). */
	allowedDecrease?: number;
	/** A critical metric's High fails the canary only from this effect size (default as allowed). */
	criticalIncrease?: number;
	/** A critical metric's Low fails the canary only up to this effect size. */
	criticalDecrease?: number;
};

export type MetricResult = {
	metric: string;
	class: MetricClass;
	reason: string;
	/** Canary mean / baseline mean (Kayenta's "deviation"). */
	ratio?: number;
	/** This result fails the whole canary (Kayenta's `critical`: set only on a failure). */
	critical: boolean;
	group: string;
	muted?: boolean;
	test?: MannWhitneyResult;
};

export type ScoreResult = {
	score: number;
	verdict: 'Pass' | 'Marginal' | 'Fail';
	reason?: string;
	groups: Array<{group: string; score: number}>;
};

function mean(values: readonly number[]): number {
	let sum = 0;
	for (const v of values) sum += v;
	return sum / values.length;
}

/**
 * Canary mean over baseline mean, for the terminal. Kayenta gives NaN when either mean is 0; we
 * say 1 when both are 0, ±Infinity when only the baseline's is, and 0 when only the canary's is.
 */
function ratioOf(canary: readonly number[], baseline: readonly number[]): number {
	const c = mean(canary);
	const b = mean(baseline);
	if (b === 0) return c === 0 ? 1 : c > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
	return c / b;
}

/**
 * The common language effect size: the share of (canary, baseline) pairs where the canary is
 * higher, ties counting half (Vargha and Delaney, as Kayenta's EffectSizes.cles).
 */
export function cles(canary: readonly number[], baseline: readonly number[]): number {
	let wins = 0;
	for (const c of canary)
		for (const b of baseline) {
			if (c > b) wins += 1;
			else if (c === b) wins += 0.5;
		}
	return wins / (canary.length * baseline.length);
}

/**
 * The effect size that gates High and Low. Kayenta's mean ratio is NaN when either mean is 0,
 * and a NaN effect size lets the test decide alone; we keep that rule.
 */
function effectSize(
	measure: 'meanRatio' | 'cles',
	canary: readonly number[],
	baseline: readonly number[],
): number {
	if (measure === 'cles') return cles(canary, baseline);
	const c = mean(canary);
	const b = mean(baseline);
	return c === 0 || b === 0 ? Number.NaN : c / b;
}

function clean(values: readonly number[], strategy: 'remove' | 'replace'): number[] {
	return strategy === 'remove'
		? values.filter(Number.isFinite)
		: values.map((v) => (Number.isFinite(v) ? v : 0));
}

function sameSamples(a: readonly number[], b: readonly number[]): boolean {
	if (a.length !== b.length) return false;
	const sa = [...a].sort((p, q) => p - q);
	const sb = [...b].sort((p, q) => p - q);
	return sa.every((v, i) => v === sb[i]);
}

/** 3.01, 0.004, 1230: three significant digits without trailing zeros. */
function short(n: number): string {
	return String(Number(n.toPrecision(3)));
}

function sizeOf(canary: readonly number[], baseline: readonly number[], ratio: number): string {
	if (Number.isFinite(ratio)) return `canary ${short(ratio)}x baseline`;
	return `canary mean ${short(mean(canary))}, baseline mean ${short(mean(baseline))}`;
}

/**
 * One metric, canary against baseline (Kayenta's MannWhitneyClassifier; NetflixACAJudge runs it
 * at confidence 0.98 and tolerance 0.25). Kayenta calls it High when the lower confidence bound
 * of the shift is above tolerance × |estimated shift|, and the effect size is at least
 * allowedIncrease; Low in mirror image. We ask the same of the test itself: High when the test
 * that the shift is tolerance × |estimate| rejects it upward at that confidence. The two agree
 * except where Kayenta's answer rests on its root finder or R's clamp: a jump of the rank
 * statistic right at the bound (mostly-zero samples, where the interval is [0, 0] and Kayenta
 * decides by Brent's last digits), and tiny samples whose interval is clamped to the range of
 * the data (Kayenta finds 1 canary sample against 1 baseline sample High when it is larger).
 *
 * Non-finite samples are dropped ('remove', Kayenta's default) or made 0 ('replace'). No
 * samples on a side is Nodata; NodataFailMetric if the metric must have data and is not
 * critical; a critical metric's Nodata fails the canary; with 'replace' it is a Pass.
 * Identical or all-equal samples Pass.
 */
export function classify(
	metric: MetricConfig,
	canary: readonly number[],
	baseline: readonly number[],
	options: {confidence?: number; tolerance?: number} = {},
): MetricResult {
	const confidence = options.confidence ?? 0.98;
	const tolerance = options.tolerance ?? 0.25;
	const strategy = metric.nanStrategy ?? 'remove';
	const measure = metric.effectSizeMeasure ?? 'meanRatio';
	const neutral = measure === 'cles' ? 0.5 : 1;
	const critical = metric.critical ?? false;
	const result = (kind: MetricClass, detail = '', fails = false, ratio?: number): MetricResult => ({
		metric: metric.name,
		class: kind,
		reason: `${metric.name} ${kind}${fails ? ' (critical)' : ''}${detail ? `: ${detail}` : ''}`,
		...(ratio === undefined ? {} : {ratio}),
		critical: fails,
		group: metric.group ?? 'default',
		...(metric.muted ? {muted: true} : {}),
	});
	const c = clean(canary, strategy);
	const b = clean(baseline, strategy);

	if (c.length === 0 || b.length === 0) {
		const side = c.length > 0 ? 'baseline' : b.length > 0 ? 'canary' : 'canary or baseline';
		if (strategy === 'replace') return result('Pass', `no ${side} samples`);
		if (metric.mustHaveData && !critical)
			return result('NodataFailMetric', `no ${side} samples, and it must have data`);
		return result('Nodata', `no ${side} samples`, critical);
	}
	if (sameSamples(c, b)) return result('Pass', 'identical samples', false, 1);
	if (new Set([...c, ...b]).size === 1) return result('Pass', 'one value throughout', false, 1);

	const test = mannWhitney(c, b, confidence);
	const ratio = ratioOf(c, b);
	const effect = effectSize(measure, c, b);
	const bound = tolerance * Math.abs(test.estimate);
	const z = -normalQuantile((1 - confidence) / 2);
	const direction = metric.direction ?? 'either';
	const allowedIncrease = metric.allowedIncrease ?? neutral;
	const allowedDecrease = metric.allowedDecrease ?? neutral;
	const high =
		direction !== 'decrease' &&
		shiftZ(c, b, bound) > z &&
		(Number.isNaN(effect) || effect >= allowedIncrease);
	const low =
		direction !== 'increase' &&
		shiftZ(c, b, -bound) < -z &&
		(Number.isNaN(effect) || effect <= allowedDecrease);
	if (!high && !low) return {...result('Pass', '', false, ratio), test};
	const kind = high ? 'High' : 'Low';
	const fails =
		critical &&
		(Number.isNaN(effect) ||
			(high
				? effect >= (metric.criticalIncrease ?? neutral)
				: effect <= (metric.criticalDecrease ?? neutral)));
	const size = `${sizeOf(c, b, ratio)} (${short(confidence * 100)} % confidence)`;
	return {...result(kind, size, fails, ratio), test};
}

/** Half up to two decimals, as Kayenta's Precision.round on the decimal text. */
function round2(x: number): number {
	if (Math.abs(x) < 1e-6) return 0;
	return Number(`${Math.round(Number(`${x}e2`))}e-2`);
}

/**
 * The canary score and verdict (Kayenta's WeightedSumScorer and ThresholdScoreClassifier).
 * A group scores Pass / (Pass + High + Low + NodataFailMetric) × 100; a group with none of
 * those scores 0 but counts 100 in the sum. Groups weigh their `groupWeights` percentage, the
 * rest sharing what is left of 100 equally; the sum is rounded to 2 decimals. The score is 0
 * when a result is critical, or when half or more of the results are Nodata. Muted results are
 * left out. Pass from `pass` (75), Marginal from `marginal` (50), else Fail.
 */
export function score(
	results: readonly MetricResult[],
	thresholds: {pass?: number; marginal?: number; groupWeights?: Record<string, number>} = {},
): ScoreResult {
	const pass = thresholds.pass ?? 75;
	const marginal = thresholds.marginal ?? 50;
	const weights = thresholds.groupWeights ?? {};
	const counted = results.filter((r) => !r.muted);

	const byGroup = new Map<string, MetricResult[]>();
	for (const r of counted) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
	const groups = [...byGroup].map(([group, members]) => {
		const count = (c: MetricClass) => members.filter((m) => m.class === c).length;
		const passed = count('Pass');
		const total = passed + count('High') + count('Low') + count('NodataFailMetric');
		return {group, score: total === 0 ? 0 : (passed / total) * 100, noData: total === 0};
	});
	const shown = groups.map(({group, score}) => ({group, score}));
	const verdictOf = (s: number): ScoreResult['verdict'] =>
		s >= pass ? 'Pass' : s >= marginal ? 'Marginal' : 'Fail';

	const failure = counted.find((r) => r.critical && r.class !== 'Pass');
	if (failure)
		return {
			score: 0,
			verdict: verdictOf(0),
			reason: `Canary Failed: ${failure.reason}`,
			groups: shown,
		};
	const nodata = counted.filter((r) => r.class === 'Nodata').length;
	if (counted.length > 0 && (nodata / counted.length) * 100 >= 50)
		return {
			score: 0,
			verdict: verdictOf(0),
			reason: 'Canary Failed: 50% or more metrics returned NODATA',
			groups: shown,
		};

	const weighted = Object.values(weights).reduce((sum, w) => sum + w, 0);
	const unweighted = groups.filter((g) => weights[g.group] === undefined).length;
	const share = unweighted > 0 ? (100 - weighted) / unweighted : 0;
	let sum = 0;
	for (const g of groups) sum += (g.noData ? 100 : g.score) * ((weights[g.group] ?? share) / 100);
	const total = round2(sum);
	return {score: total, verdict: verdictOf(total), groups: shown};
}
