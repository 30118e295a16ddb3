import type {MetricsTarget, Point, RolloutMetrics} from '../core/metrics.js';
import {latencyBuckets, type TrafficModel} from '../sim/traffic.js';
import {histogramQuantile} from './quantile.js';
import type {MetricsSource, MetricsWindow} from './source.js';
import {finite, gridOf, trackMetrics} from './window.js';

export type SimulatedSourceOptions = {
	traffic: TrafficModel;
	/** The rate interval, as `{{interval}}` is for Prometheus (default 10 s). */
	intervalSeconds?: number;
};

/**
 * The demo's metrics, read in-process from the simulator's traffic model with Prometheus'
 * semantics: per point, the rate over the interval before it, the ratio of 5xx in it, and the
 * p99 interpolated from the same latency buckets /metrics exposes.
 */
export class SimulatedSource implements MetricsSource {
	private readonly traffic: TrafficModel;
	private readonly intervalSeconds: number;

	constructor(options: SimulatedSourceOptions) {
		this.traffic = options.traffic;
		this.intervalSeconds = options.intervalSeconds ?? 10;
	}

	describe(): string {
		return 'simulated traffic';
	}

	async fetch(targets: MetricsTarget[], window: MetricsWindow): Promise<RolloutMetrics[]> {
		const grid = gridOf(window);
		const fromSecond = Math.floor((grid[0] ?? window.endMs) / 1000) - this.intervalSeconds;
		const toSecond = Math.floor(window.endMs / 1000);
		return targets.map((target) => ({
			rolloutId: target.rolloutId,
			windowMinutes: window.minutes,
			tracks: target.tracks.map((track) => {
				const series = this.seriesKey(target, track.key);
				if (!series)
					return trackMetrics(
						track.role,
						[],
						`no ${target.preset === 'app' ? 'app label' : 'ingress'} to find its metrics by`,
					);
				// From the start of the history: when the series began decides null vs 0 rps.
				const all = this.traffic.windows(series, 0, toSecond);
				const first = all.reduce((min, w) => Math.min(min, w.second), Number.POSITIVE_INFINITY);
				const windows = all.filter((w) => w.second >= fromSecond);
				return trackMetrics(track.role, this.points(windows, first, grid), 'no traffic');
			}),
		}));
	}

	private seriesKey(target: MetricsTarget, key: string): string | undefined {
		if (target.preset === 'app')
			return target.app ? `app|${target.namespace}|${target.app}|${key}` : undefined;
		return target.ingress
			? `nginx|${target.namespace}|${target.ingress}|${key === 'canary' ? 'canary' : 'stable'}`
			: undefined;
	}

	/**
	 * A series exists from its first request on, as a counter does in Prometheus: before it
	 * there is no data, after it a quiet interval reads 0 rps.
	 */
	private points(
		windows: ReturnType<TrafficModel['windows']>,
		first: number,
		grid: number[],
	): Point[] {
		return grid.map((t) => {
			const second = Math.floor(t / 1000);
			if (second < first) return {t, rps: null, errorRatio: null, p99Seconds: null};
			let requests = 0;
			let errors = 0;
			const buckets = new Array<number>(latencyBuckets.length + 1).fill(0);
			for (const w of windows) {
				if (w.second <= second - this.intervalSeconds || w.second > second) continue;
				requests += w.requests;
				errors += w.errors;
				w.buckets.forEach((count, i) => {
					buckets[i] = (buckets[i] ?? 0) + count;
				});
			}
			return {
				t,
				rps: requests / this.intervalSeconds,
				errorRatio: finite(errors / requests),
				p99Seconds: finite(histogramQuantile(0.99, latencyBuckets, buckets)),
			};
		});
	}
}
