import {type Comparison, compare} from './comparison.js';
import {durationSeconds} from './duration.js';
import type {RolloutMetrics} from './metrics.js';
import type {Rollout} from './types.js';
import {focusTrack, trackMetricsOf, type Verdict, verdictOf} from './verdict.js';

/**
 * The guard's memory of one rollout between evaluations, as Flagger counts failed checks: a
 * breach counts, a healthy evaluation clears the count, and no data or too few requests hold it.
 * A count is one rate window of requests: readings closer together than the window are shown
 * but not counted again, so `failureThreshold` breaches are that many windows, as Flagger's
 * checks are that many intervals.
 * `failureThreshold` breaches in a row make the verdict `failing`. Pure: the console and the
 * headless guard keep one record per rollout and feed it each refresh.
 */
export type GuardRecord = {
	/** What was judged: the track, its workload and images. A new version starts a new count. */
	subject: string;
	/** Consecutive breached evaluations. */
	breaches: number;
	/** Consecutive healthy evaluations at this weight (what autopilot steps on). */
	healthy: number;
	/** The candidate's weight when counted: a step starts the healthy count again. */
	weight: number;
	/** The time (ms) of the reading last counted: the next counts one rate window later. */
	at: number;
	verdict: Verdict;
	/** The candidate against the baseline over the window (what no threshold sees). */
	comparison: Comparison;
};

function subjectOf(rollout: Rollout): string {
	const track = focusTrack(rollout);
	if (!track) return '';
	return `${track.key} ${track.workload.name} ${track.images.join(',')}`;
}

function withCount(verdict: Verdict, breaches: number, threshold: number): Verdict {
	if (verdict.status !== 'breached') return breaches > 0 ? {...verdict, breaches} : verdict;
	if (breaches < threshold)
		return {...verdict, breaches, reasons: [...verdict.reasons, `breach ${breaches}/${threshold}`]};
	return {
		...verdict,
		status: 'failing',
		breaches,
		reasons: [...verdict.reasons, `${breaches} breaches in a row (threshold ${threshold})`],
	};
}

/**
 * The record after one more evaluation of `rollout` on `metrics` (`reason`: why there are none).
 * `now` stamps an evaluation with no reading at all.
 */
export function evaluate(
	previous: GuardRecord | undefined,
	rollout: Rollout,
	metrics: RolloutMetrics | undefined,
	now: number,
	reason?: string,
): GuardRecord {
	const verdict = verdictOf(rollout, metrics, reason);
	const comparison = compare(rollout, metrics);
	const subject = subjectOf(rollout);
	const reading = trackMetricsOf(metrics, focusTrack(rollout))?.points.at(-1)?.t ?? now;
	const prior = previous && previous.subject === subject ? previous : undefined;
	const threshold = rollout.thresholds.failureThreshold;
	// Within the rate window of the reading last counted (a refresh faster than the window): the
	// same requests again, shown, not counted. Counted, one bad minute would count at every
	// 2-second refresh and a single error at low traffic would fail the canary by itself.
	const windowMs = durationSeconds(metrics?.rateWindow ?? '') * 1000;
	if (prior && reading - prior.at < Math.max(windowMs, 1))
		return {...prior, comparison, verdict: withCount(verdict, prior.breaches, threshold)};
	const weight = rollout.tracks.find((t) => t.side === 'candidate')?.weight ?? 0;
	let breaches = prior?.breaches ?? 0;
	let healthy = prior && prior.weight === weight ? prior.healthy : 0;
	if (verdict.status === 'breached') {
		breaches += 1;
		healthy = 0;
	} else if (verdict.status === 'healthy') {
		breaches = 0;
		healthy += 1;
	} else healthy = 0;
	return {
		subject,
		breaches,
		healthy,
		weight,
		at: reading,
		verdict: withCount(verdict, breaches, threshold),
		comparison,
	};
}

/** Every rollout's record after one evaluation; rollouts gone from the cluster are forgotten. */
export function evaluateAll(
	records: ReadonlyMap<string, GuardRecord>,
	rollouts: Rollout[],
	metrics: ReadonlyMap<string, RolloutMetrics>,
	now: number,
	reason?: string,
): Map<string, GuardRecord> {
	return new Map(
		rollouts.map((rollout) => [
			rollout.id,
			evaluate(records.get(rollout.id), rollout, metrics.get(rollout.id), now, reason),
		]),
	);
}

/** The verdict to show: the record's (with its count) while it is about this version, else now's. */
export function verdictNow(
	rollout: Rollout,
	metrics: RolloutMetrics | undefined,
	record: GuardRecord | undefined,
): Verdict {
	return record && record.subject === subjectOf(rollout)
		? record.verdict
		: verdictOf(rollout, metrics);
}
