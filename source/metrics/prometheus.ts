import {PrometheusDriver, type QueryResult, type RangeVector} from 'prometheus-query';
import {durationSeconds} from '../core/duration.js';
import type {MetricsTarget, Point, RolloutMetrics} from '../core/metrics.js';
import {type Connection, type ConnectionOptions, connect} from './connection.js';
import {
	checkInterval,
	defaultTemplates,
	fill,
	placeholderValues,
	type Question,
	questions,
	seriesMatches,
	type Templates,
	trackOfSeries,
	validateTemplates,
} from './presets.js';
import {reasonOf} from './reasons.js';
import type {MetricsSource, MetricsWindow} from './source.js';
import {countsOf, finite, gridOf, trackMetrics} from './window.js';

export type PrometheusSourceOptions = ConnectionOptions & {
	/** The templates in use (defaults, or `loadTemplates(file)`). */
	templates?: Templates;
	/** The range of rate() and histogram_quantile(), `{{interval}}` (default 1m). */
	interval?: string;
	/** Per query (default 10 s). */
	timeoutMs?: number;
};

/** Per question, per target, per track key: one value per grid step. */
type Values = Map<Question, Map<MetricsTarget, Map<string, Array<number | null>>>>;

/**
 * Rates, error ratios and p99s from Prometheus: per refresh one range query per question and
 * preset in use, for all targets together (at most 6, whatever the number of rollouts).
 * Never throws from fetch: failures become each track's `noData` reason.
 */
export class PrometheusSource implements MetricsSource {
	/** How many queries were sent, for tests and the status line. */
	queriesMade = 0;
	private readonly connection: Connection;
	private readonly driver: PrometheusDriver;
	private readonly templates: Templates;
	private readonly interval: string;
	private readonly intervalSeconds: number;
	private prepared: Awaited<ReturnType<Connection['prepare']>> = {headers: {}};

	/** Throws PrometheusConfigError or TemplateError when the options cannot work (check at start). */
	constructor(options: PrometheusSourceOptions) {
		this.templates = options.templates ?? defaultTemplates;
		validateTemplates(this.templates);
		this.interval = checkInterval(options.interval ?? '1m');
		this.intervalSeconds = durationSeconds(this.interval);
		this.connection = connect(options);
		this.driver = new PrometheusDriver({
			endpoint: this.connection.endpoint,
			baseURL: '/api/v1/',
			timeout: options.timeoutMs ?? 10_000,
			requestInterceptor: {
				onFulfilled: (config) => {
					for (const [key, value] of Object.entries(this.prepared.headers))
						config.headers.set(key, value);
					if (this.prepared.agent) {
						config.httpAgent = this.prepared.agent;
						config.httpsAgent = this.prepared.agent;
					}
					return config;
				},
			},
		});
	}

	describe(): string {
		return `prometheus ${this.connection.shown}`;
	}

	/** The queries a refresh sends for these targets (for `--explain` and tests). */
	queriesFor(targets: MetricsTarget[]): Array<{preset: string; question: Question; query: string}> {
		const presets = [...new Set(targets.map((t) => t.preset))]
			.filter((preset) => this.templates[preset] !== undefined)
			.sort();
		return presets.flatMap((preset) => {
			const values = placeholderValues(
				targets.filter((t) => t.preset === preset),
				this.interval,
			);
			return questions.map((question) => ({
				preset,
				question,
				query: fill(this.templates[preset]![question], values),
			}));
		});
	}

	async fetch(targets: MetricsTarget[], window: MetricsWindow): Promise<RolloutMetrics[]> {
		const grid = gridOf(window);
		const failures = new Map<string, string>();
		const values: Values = new Map(questions.map((q) => [q, new Map()]));
		try {
			this.prepared = await this.connection.prepare();
		} catch (error) {
			const reason = `query failed: ${(error as Error).message}`;
			for (const target of targets) failures.set(target.preset, reason);
			return this.assemble(targets, window, grid, values, failures);
		}
		for (const target of targets)
			if (!this.templates[target.preset])
				failures.set(
					target.preset,
					`no metrics preset "${target.preset}" (known: ${Object.keys(this.templates).join(', ')})`,
				);
		const queries = this.queriesFor(targets);
		const start = grid[0] ?? window.endMs;
		const end = grid.at(-1) ?? window.endMs;
		const answers = await Promise.allSettled(
			queries.map(({query}) => {
				this.queriesMade++;
				return this.driver.rangeQuery(query, start, end, window.stepSeconds);
			}),
		);
		answers.forEach((answer, i) => {
			const {preset, question} = queries[i]!;
			if (answer.status === 'rejected') {
				// The first failure of a preset says it for all its tracks.
				if (!failures.has(preset)) failures.set(preset, reasonOf(answer.reason));
				return;
			}
			this.spread(
				answer.value,
				preset,
				question,
				targets,
				start,
				window.stepSeconds,
				grid.length,
				values,
			);
		});
		return this.assemble(targets, window, grid, values, failures);
	}

	/** Hands each result series to the target and track its labels name. */
	private spread(
		result: QueryResult,
		preset: string,
		question: Question,
		targets: MetricsTarget[],
		start: number,
		stepSeconds: number,
		length: number,
		values: Values,
	): void {
		const perTarget = values.get(question)!;
		for (const series of result.result as RangeVector[]) {
			const labels = (series.metric?.labels ?? {}) as Record<string, string | undefined>;
			const set = this.templates[preset]!;
			const value = trackOfSeries(set, labels);
			for (const target of targets) {
				if (target.preset !== preset || !seriesMatches(target, set, labels)) continue;
				if (!target.tracks.some((t) => t.series === value)) continue;
				let tracks = perTarget.get(target);
				if (!tracks) {
					tracks = new Map();
					perTarget.set(target, tracks);
				}
				// Two series for one track (a target without its app label, say): the first wins.
				if (tracks.has(value)) continue;
				const row = new Array<number | null>(length).fill(null);
				for (const sample of series.values as Array<{time: Date; value: number}>) {
					const index = Math.round((sample.time.getTime() - start) / (stepSeconds * 1000));
					if (index >= 0 && index < length) row[index] = finite(sample.value);
				}
				tracks.set(value, row);
			}
		}
	}

	private assemble(
		targets: MetricsTarget[],
		window: MetricsWindow,
		grid: number[],
		values: Values,
		failures: Map<string, string>,
	): RolloutMetrics[] {
		return targets.map((target) => {
			const failure = failures.get(target.preset);
			return {
				rolloutId: target.rolloutId,
				windowMinutes: window.minutes,
				rateWindow: this.interval,
				tracks: target.tracks.map((track) => {
					const points: Point[] = grid.map((t, i) => {
						const at = (question: Question) =>
							values.get(question)?.get(target)?.get(track.series)?.[i] ?? null;
						const [rps, errorRatio] = [at('rate'), at('errorRatio')];
						return {
							t,
							rps,
							errorRatio,
							p99Seconds: at('p99'),
							...countsOf(rps, errorRatio, this.intervalSeconds),
						};
					});
					return trackMetrics(track.key, points, failure ?? 'no traffic');
				}),
				...(failure ? {error: failure} : {}),
			};
		});
	}
}
