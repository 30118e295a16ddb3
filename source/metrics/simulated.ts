import type {MetricsTarget, Point, RolloutMetrics} from '../core/metrics.js';
import {latencyBuckets} from '../sim/latency.js';
import type {TrafficModel} from '../sim/traffic.js';
import {defaultTemplates, type Templates} from './presets.js';
import {histogramQuantile} from './quantile.js';
import type {MetricsSource, MetricsWindow} from './source.js';
import {finite, gridOf, trackMetrics} from './window.js';

export type SimulatedSourceOptions = {
	traffic: TrafficModel;
	/** The rate interval, as `{{interval}}` is for Prometheus (default 10 s). */
	intervalSeconds?: number;
	/** The presets whose scope and track labels the series are found by. */
	templates?: Templates;
};

/**
 * The demo's metrics, read in-process from the simulator's traffic model with Prometheus'
 * semantics: per point, the rate over the interval before it, the ratio of 5xx in it, and the
 * p99 interpolated from the same latency buckets /metrics exposes.
 */
export class SimulatedSource implements MetricsSource {
	private readonly traffic: TrafficModel;
	private readonly intervalSeconds: number;
	private readonly templates: Templates;

	constructor(options: SimulatedSourceOptions) {
		this.traffic = options.traffic;
		this.intervalSeconds = options.intervalSeconds ?? 10;
		this.templates = options.templates ?? defaultTemplates;
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
			rateWindow: `${this.intervalSeconds}s`,
			tracks: target.tracks.map((track) => {
				const scope = this.templates[target.preset]?.scope;
				const series = this.seriesKey(target, track.series);
				if (!series)
					return trackMetrics(
						track.key,
						[],
						scope
							? `no ${scope} label to find its metrics by`
							: `no metrics preset "${target.preset}"`,
					);
				// From the start of the history: when the series began decides null vs 0 rps.
				const all = this.traffic.windows(series, 0, toSecond);
				const first = all.reduce((min, w) => Math.min(min, w.second), Number.POSITIVE_INFINITY);
				const windows = all.filter((w) => w.second >= fromSecond);
				return trackMetrics(track.key, this.points(windows, first, grid), 'no traffic');
			}),
		}));
	}

	/** The traffic model keys its series `preset|namespace|scope value|track value`, as /metrics labels them. */
	private seriesKey(target: MetricsTarget, value: string): string | undefined {
		const scope = this.templates[target.preset]?.scope;
		const scoped = scope ? target.labels[scope] : undefined;
		return scoped ? `${target.preset}|${target.namespace}|${scoped}|${value}` : undefined;
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
			if (second < first)
				return {t, rps: null, errorRatio: null, p99Seconds: null, requests: null, errors: null};
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
				requests,
				errors,
				rps: requests / this.intervalSeconds,
				errorRatio: finite(errors / requests),
				p99Seconds: finite(histogramQuantile(0.99, latencyBuckets, buckets)),
			};
		});
	}
}
