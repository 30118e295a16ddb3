import {classify, type MetricConfig, type MetricResult, score} from './comparative.js';
import type {Point, RolloutMetrics} from './metrics.js';
import type {Rollout} from './types.js';
import {trackMetricsOf} from './verdict.js';

/**
 * The comparative verdict: what no threshold sees (the canary three times slower, yet under
 * 500 ms). The candidate's per-interval numbers against the baseline's over the same window,
 * each metric classified as Kayenta does (Mann-Whitney at 98 % confidence, with a tolerance and
 * an effect-size floor) and scored 0-100. Pure: it reads the points the charts already have.
 */
export type Comparison = {
	/** Pass, Marginal or Fail from the score; Nodata when the two cannot be compared. */
	verdict: 'Pass' | 'Marginal' | 'Fail' | 'Nodata';
	score?: number;
	/** One line: the score and the metric that drove it, or why there is nothing to compare. */
	reason: string;
	metrics: MetricResult[];
	/** Intervals compared on each side. */
	samples: {candidate: number; baseline: number};
};

/** Score thresholds, as a Spinnaker canary config's (pass 75, marginal 50). */
export const scoreThresholds = {pass: 75, marginal: 50};

/** Fewer intervals than this on a side, and no test could reach 98 % confidence anyway. */
export const minSamples = 5;

/**
 * Both metrics fail only upward. The floor: a difference under 20 % of the baseline is not one to
 * hold a rollout for, however sure the test is (Kayenta's allowedIncrease).
 */
const compared: Array<MetricConfig & {of: (p: Point) => number | null; scale: number}> = [
	{
		name: 'error ratio',
		direction: 'increase',
		allowedIncrease: 1.2,
		of: (p) => p.errorRatio,
		scale: 100,
	},
	{name: 'p99', direction: 'increase', allowedIncrease: 1.2, of: (p) => p.p99Seconds, scale: 1000},
];

/** The values of one metric over the intervals that had requests. */
function samplesOf(points: Point[], of: (p: Point) => number | null, scale: number): number[] {
	return points
		.filter((p) => (p.requests ?? 0) > 0)
		.map(of)
		.filter((v): v is number => v !== null && Number.isFinite(v))
		.map((v) => v * scale);
}

function nodata(reason: string, candidate = 0, baseline = 0): Comparison {
	return {verdict: 'Nodata', reason, metrics: [], samples: {candidate, baseline}};
}

export function compare(rollout: Rollout, metrics: RolloutMetrics | undefined): Comparison {
	const candidate = rollout.tracks.find((t) => t.side === 'candidate');
	const baseline = rollout.tracks.find((t) => t.side === 'baseline');
	if (!candidate || !baseline) return nodata('nothing to compare: one version only');
	if (!candidate.serving || !baseline.serving)
		return nodata(
			`compares only while both take traffic (${(candidate.serving ? baseline : candidate).title} takes none)`,
		);
	const ours = trackMetricsOf(metrics, candidate);
	const theirs = trackMetricsOf(metrics, baseline);
	if (!ours || !theirs) return nodata(metrics?.error ?? 'no metrics');
	const count = (points: Point[]) => points.filter((p) => (p.requests ?? 0) > 0).length;
	const n = {candidate: count(ours.points), baseline: count(theirs.points)};
	if (n.candidate < minSamples || n.baseline < minSamples)
		return nodata(
			`too few intervals to compare (${Math.min(n.candidate, n.baseline)} of ${minSamples})`,
			n.candidate,
			n.baseline,
		);
	const results = compared.map(({of, scale, ...config}) =>
		classify(config, samplesOf(ours.points, of, scale), samplesOf(theirs.points, of, scale)),
	);
	const scored = score(results, scoreThresholds);
	const worst = results.find(
		(r) => r.class === 'High' || r.class === 'Low' || r.class === 'NodataFailMetric',
	);
	return {
		verdict: scored.verdict,
		score: scored.score,
		reason: `score ${Math.round(scored.score)}${worst ? `: ${worst.reason}` : ''}`,
		metrics: results,
		samples: n,
	};
}
