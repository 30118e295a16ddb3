import type {Reading, RolloutMetrics, TrackMetrics} from './metrics.js';
import type {Thresholds} from './thresholds.js';
import type {Health, Rollout, Track} from './types.js';

/**
 * The guard's reading of a rollout, in one place: which track matters now, whether each of its
 * numbers is over its threshold, and the health the list shows (the worst of phase and verdict).
 */

export type Mark = 'ok' | 'bad' | 'unknown';

/**
 * `breached`: over a threshold now; `failing`: breached `failureThreshold` evaluations in a row
 * (what the guard acts on); `too-few`: traffic, but fewer requests than the rollout's minimum;
 * `no-data`: nothing measured. Neither of the last two is a pass or a breach.
 */
export type VerdictStatus = 'healthy' | 'breached' | 'failing' | 'too-few' | 'no-data';

export type Verdict = {
	status: VerdictStatus;
	reasons: string[];
	/** The key of the track judged. */
	track?: string;
	/** Consecutive breached evaluations so far, of `failureThreshold` (from the guard's record). */
	breaches?: number;
};

/** Over a threshold: now (breached) or for long enough to act on (failing). */
export function isBreach(verdict: Verdict | undefined): boolean {
	return verdict?.status === 'breached' || verdict?.status === 'failing';
}

/** The track a glance is about: the candidate while it takes traffic, else the serving baseline. */
export function focusTrack(rollout: Rollout): Track | undefined {
	return (
		rollout.tracks.find((t) => t.side === 'candidate' && t.serving) ??
		rollout.tracks.find((t) => t.side === 'baseline' && t.serving) ??
		rollout.tracks.find((t) => t.serving)
	);
}

export function hasTraffic(now: Reading): boolean {
	return now.rps !== null && now.rps > 0 && now.errorRatio !== null;
}

/** Each number against its threshold: unknown when there is no number. */
export function marks(now: Reading, thresholds: Thresholds): {errorRatio: Mark; p99: Mark} {
	const mark = (value: number | null, max: number): Mark =>
		value === null ? 'unknown' : value > max ? 'bad' : 'ok';
	return {
		errorRatio: mark(now.errorRatio, thresholds.maxErrorRatio),
		p99: mark(now.p99Seconds, thresholds.maxP99Seconds),
	};
}

/**
 * Breached if any number is over its threshold; no data is never healthy, and too few requests
 * judge nothing (at 4 requests a second one error is 2.5 %).
 */
export function judge(now: Reading, thresholds: Thresholds): Verdict {
	if (!hasTraffic(now)) return {status: 'no-data', reasons: ['no traffic measured']};
	if (now.requests !== null && now.requests < thresholds.minRequests)
		return {status: 'too-few', reasons: [tooFew(now.requests, thresholds)]};
	const reasons: string[] = [];
	const marked = marks(now, thresholds);
	if (marked.errorRatio === 'bad')
		reasons.push(
			`error ratio ${((now.errorRatio ?? 0) * 100).toFixed(1)} % > ${(thresholds.maxErrorRatio * 100).toFixed(1)} %`,
		);
	if (marked.p99 === 'bad')
		reasons.push(
			`p99 ${Math.round((now.p99Seconds ?? 0) * 1000)} ms > ${Math.round(thresholds.maxP99Seconds * 1000)} ms`,
		);
	return reasons.length > 0 ? {status: 'breached', reasons} : {status: 'healthy', reasons: []};
}

function tooFew(requests: number, thresholds: Thresholds): string {
	return `too few requests (${Math.round(requests)} of ${thresholds.minRequests} needed)`;
}

export function trackMetricsOf(
	metrics: RolloutMetrics | undefined,
	track: Track | undefined,
): TrackMetrics | undefined {
	return track ? metrics?.tracks.find((m) => m.key === track.key) : undefined;
}

/** The verdict on the track that matters now; `reason` says why there are no metrics at all. */
export function verdictOf(
	rollout: Rollout,
	metrics: RolloutMetrics | undefined,
	reason?: string,
): Verdict {
	const focus = focusTrack(rollout);
	const track = trackMetricsOf(metrics, focus);
	if (!track) return {status: 'no-data', reasons: [reason ?? metrics?.error ?? 'no metrics']};
	if (track.noData || !hasTraffic(track.now))
		return {status: 'no-data', reasons: [track.noData ?? 'no traffic'], track: track.key};
	return {...judge(track.now, rollout.thresholds), track: track.key};
}

const rank: Record<Health, number> = {ok: 0, unknown: 1, progressing: 2, paused: 3, bad: 4};

/** The list's health: the worst of the strategy's and the verdict's. It never says ok beside a breach. */
export function healthOf(rollout: Rollout, verdict: Verdict | undefined): Health {
	const guard: Health = isBreach(verdict) ? 'bad' : 'ok';
	return rank[guard] > rank[rollout.health] ? guard : rollout.health;
}
