import type {Rollout, Snapshot} from './types.js';

/**
 * What the console asks of metrics, as data: per rollout and track, the request rate, the
 * error ratio, the p99 latency and the counts behind them. No I/O here: the metrics/ adapters
 * answer these questions from Prometheus or from the simulator.
 */

/** Overrides the preset a rollout's strategy implies (a preset id: app, nginx). */
const metricsAnnotation = 'cutover.dev/metrics';

/** How one rollout's tracks are found in the metrics of one preset. */
export type MetricsTarget = {
	rolloutId: string;
	namespace: string;
	/** A preset id of metrics/presets.ts. */
	preset: string;
	/** The values that scope its series (`app`, `ingress`), filling the templates' placeholders. */
	labels: Record<string, string>;
	/** Each track, by its key, and the value its series carry. */
	tracks: Array<{key: string; series: string}>;
};

/**
 * One moment's numbers over the rate interval before it; null is "no data", never zero.
 * `requests` and `errors` are the counts in that interval, for a statistical verdict.
 */
export type Reading = {
	rps: number | null;
	errorRatio: number | null;
	p99Seconds: number | null;
	requests: number | null;
	errors: number | null;
};

export type Point = Reading & {t: number};

export type TrackMetrics = {
	/** The track's key in its rollout. */
	key: string;
	/** Oldest first, one per step of the window. */
	points: Point[];
	now: Reading;
	/** Why there is nothing to show, when there is nothing: "no traffic", "prometheus unreachable". */
	noData?: string;
};

export type RolloutMetrics = {
	rolloutId: string;
	/** The history the charts show. */
	windowMinutes: number;
	/** The range each reading's rate is taken over (`1m`): the guard's one window. */
	rateWindow: string;
	tracks: TrackMetrics[];
	error?: string;
};

/**
 * How to find a rollout's tracks in its preset's series: the preset its main object's
 * annotation names (when every track carries series for it), else `fallback`, else its strategy's.
 */
export function metricsTargetOf(
	rollout: Rollout,
	snapshot: Snapshot,
	fallback?: string,
): MetricsTarget {
	const main = rollout.objects[0];
	const chosen = main ? snapshot.get(main)?.metadata.annotations?.[metricsAnnotation] : undefined;
	const usable = (preset: string | undefined): preset is string =>
		preset !== undefined && rollout.tracks.every((t) => t.series[preset] !== undefined);
	const preset = usable(chosen) ? chosen : usable(fallback) ? fallback : rollout.metrics.preset;
	return {
		rolloutId: rollout.id,
		namespace: rollout.namespace,
		preset,
		labels: rollout.metrics.labels,
		tracks: rollout.tracks.map((track) => ({key: track.key, series: track.series[preset] ?? ''})),
	};
}
