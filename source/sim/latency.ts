import type {Behaviour} from './scenario.js';

/** What one simulated request costs: its latency, and how a version's behaviour sets it. */

/** Buckets fine enough around the seed's thresholds (500 ms) for a useful p99 from a histogram. */
export const latencyBuckets = [
	0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9, 1, 1.25,
	1.5, 2, 3, 5,
];

/** A latency in seconds from a log-normal whose 99th percentile is p99Ms. */
export function sampleLatency(p99Ms: number): number {
	const sigma = Math.log(3) / 2.326; // median = p99 / 3
	const median = p99Ms / 3 / 1000;
	const u = 1 - Math.random();
	const v = Math.random();
	const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	return median * Math.exp(sigma * z);
}

/** One second of a series: requests, errors, latency buckets and the latencies' sum (seconds). */
export type Window = {requests: number; errors: number; buckets: number[]; durationSum: number};

/** A version that degrades under load: past its degradeAtWeight share it errs and lags more. */
export function effective(
	behaviour: Behaviour,
	share: number,
): {errorRatio: number; p99Ms: number} {
	const degraded =
		behaviour.degradeAtWeight !== undefined && share * 100 >= behaviour.degradeAtWeight;
	return {
		errorRatio: degraded
			? (behaviour.degradedErrorRatio ?? behaviour.errorRatio)
			: behaviour.errorRatio,
		p99Ms: degraded ? (behaviour.degradedP99Ms ?? behaviour.p99Ms) : behaviour.p99Ms,
	};
}
