import type {Point, Reading, RolloutMetrics, TrackMetrics} from './metrics.js';
import type {Thresholds} from './thresholds.js';
import type {ActionSpec, Rollout, Track} from './types.js';
import {hasTraffic, judge, trackMetricsOf} from './verdict.js';

/**
 * The guard's review of an action before it is confirmed: where it sends traffic (both sides,
 * with their images), what is known of that version's numbers, and what makes it unsafe. An
 * action toward a breached or unmeasured candidate needs a deliberate confirmation; a rollback
 * is never blocked, but says what is known of where it goes, so `r` does not return to the
 * other bad version unawares.
 */
export type Review = {
	/** "BLUE myapp:1.0.0 -> GREEN myapp:1.1.0". */
	sides?: string;
	/** What is known of the version the action sends traffic to. */
	known: string[];
	/** Why this needs more than `y`; empty when `y` is enough. */
	blockers: string[];
};

function percent(ratio: number): string {
	return `${(ratio * 100).toFixed(1)} %`;
}

function numbers(now: Reading): string {
	const p99 = now.p99Seconds === null ? 'p99 ?' : `p99 ${Math.round(now.p99Seconds * 1000)} ms`;
	return `${now.errorRatio === null ? '? errors' : `${percent(now.errorRatio)} errors`}, ${p99}`;
}

function clock(ms: number): string {
	return new Date(ms).toISOString().slice(11, 16);
}

/** The newest point with traffic, and the newest healthy one, in the window. */
function lastMeasured(track: TrackMetrics, thresholds: Thresholds) {
	const measured = track.points.filter((p) => hasTraffic(p));
	const healthy = measured.filter((p) => judge(p, thresholds).status === 'healthy');
	return {last: measured.at(-1) as Point | undefined, healthy: healthy.at(-1) as Point | undefined};
}

function minutesAgo(now: number, at: number): string {
	const minutes = Math.max(0, Math.round((now - at) / 60_000));
	return minutes < 1 ? 'under a minute ago' : `${minutes} min ago`;
}

/** What is known of a track's version: its numbers now, or when it was last measured. */
function knownOf(
	track: Track,
	metrics: RolloutMetrics | undefined,
	thresholds: Thresholds,
	now: number,
): string[] {
	const name = `${track.title} (${track.images.join(', ')})`;
	const found = trackMetricsOf(metrics, track);
	if (!found) return [`${name}: no numbers (no metrics source, or none yet)`];
	if (hasTraffic(found.now)) {
		const verdict = judge(found.now, thresholds);
		if (verdict.status === 'breached')
			return [`${name} is over its thresholds now: ${verdict.reasons.join(', ')}`];
		if (verdict.status === 'too-few')
			return [`${name} cannot be judged yet: ${verdict.reasons.join(', ')}; ${numbers(found.now)}`];
		return [`${name} is within its thresholds now: ${numbers(found.now)}`];
	}
	const {last, healthy} = lastMeasured(found, thresholds);
	if (!last)
		return [`${name}: no traffic measured in the last ${metrics?.windowMinutes ?? '?'} min`];
	const lines = [`${name} was left at ${clock(last.t)} with ${numbers(last)}`];
	if (healthy) lines.push(`${track.title} was last healthy ${minutesAgo(now, healthy.t)}`);
	else
		lines.push(
			`${track.title} was not healthy at any time in the last ${metrics?.windowMinutes ?? '?'} min`,
		);
	return lines;
}

/**
 * The review of `spec` on `rollout`. `judged` says whether there is a metrics source at all:
 * without one, no number can block (nothing is known), and the review says so.
 */
export function reviewAction(
	rollout: Rollout,
	spec: Pick<ActionSpec, 'direction'> | undefined,
	metrics: RolloutMetrics | undefined,
	judged: boolean,
	now: number,
): Review {
	const baseline = rollout.tracks.find((t) => t.side === 'baseline');
	const candidate = rollout.tracks.find((t) => t.side === 'candidate');
	const direction = spec?.direction;
	if (!direction || !baseline || !candidate) return {known: [], blockers: []};
	// A rollback takes traffic off a serving candidate back to the baseline; where the candidate
	// takes none (blue/green's standby is the previous color), it goes to the standby.
	const retreatTo = candidate.serving || !baseline.serving ? baseline : candidate;
	const to = direction === 'advance' ? candidate : retreatTo;
	const from = to === baseline ? candidate : baseline;
	const sides = `${from.title} ${from.images.join(', ')} -> ${to.title} ${to.images.join(', ')}`;
	if (!judged)
		return {
			sides,
			known: ['no metrics source: the guard judged nothing (--prometheus URL)'],
			blockers: [],
		};
	const known = knownOf(to, metrics, rollout.thresholds, now);
	if (direction === 'retreat') return {sides, known, blockers: []};
	const found = trackMetricsOf(metrics, to);
	const blockers: string[] = [];
	if (found && hasTraffic(found.now)) {
		const verdict = judge(found.now, rollout.thresholds);
		if (verdict.status === 'breached')
			blockers.push(`${to.title} is failing: ${verdict.reasons.join(', ')}`);
		else if (verdict.status === 'too-few')
			blockers.push(`${to.title} cannot be judged: ${verdict.reasons.join(', ')}`);
	} else if (to.serving)
		blockers.push(`${to.title} takes traffic but has no numbers: ${found?.noData ?? 'no data'}`);
	return {sides, known, blockers};
}

/** A plan confirmed past the guard: its Event says so, and why it would have been stopped. */
export function forced<P extends {audit: {message: string}}>(plan: P, review: Review): P {
	return {
		...plan,
		audit: {
			...plan.audit,
			message: `${plan.audit.message} (forced past the guard: ${review.blockers.join('; ')})`,
		},
	};
}
