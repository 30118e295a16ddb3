import type {MetricsTarget, RolloutMetrics} from '../core/metrics.js';

/** The window a refresh asks for: the last `minutes`, one point per `stepSeconds`. */
export type MetricsWindow = {endMs: number; minutes: number; stepSeconds: number};

/**
 * The metrics port: answers the console's questions (rate, error ratio, p99 per rollout and
 * track) for many rollouts at once. A refresh costs the same number of queries whatever the
 * number of rollouts. Failures are answered per rollout as `noData` reasons, never thrown.
 */
export type MetricsSource = {
	/** Describes where the numbers come from, for the status line ("prometheus http://…"). */
	describe(): string;
	fetch(targets: MetricsTarget[], window: MetricsWindow): Promise<RolloutMetrics[]>;
};
