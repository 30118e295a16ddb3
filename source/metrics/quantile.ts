/**
 * histogram_quantile as Prometheus computes it (promql/quantile.go bucketQuantile), for the
 * simulated source: linear interpolation inside the bucket the rank falls in, the lowest
 * bucket starting at 0, and a rank in the +Inf bucket answered with the highest finite bound.
 */
export function histogramQuantile(q: number, bounds: number[], counts: number[]): number {
	// counts[i] is the number of observations in bucket i (not cumulative); counts[bounds.length]
	// is the +Inf bucket.
	const total = counts.reduce((sum, c) => sum + c, 0);
	if (total === 0 || bounds.length === 0) return Number.NaN;
	if (q < 0) return Number.NEGATIVE_INFINITY;
	if (q > 1) return Number.POSITIVE_INFINITY;
	const rank = q * total;
	let below = 0;
	for (let i = 0; i <= bounds.length; i++) {
		const inBucket = counts[i] ?? 0;
		if (below + inBucket >= rank && inBucket > 0) {
			if (i === bounds.length) return bounds[bounds.length - 1]!;
			const end = bounds[i]!;
			const start = i === 0 ? Math.min(end, 0) : bounds[i - 1]!;
			return start + (end - start) * ((rank - below) / inBucket);
		}
		below += inBucket;
	}
	return bounds[bounds.length - 1]!;
}
