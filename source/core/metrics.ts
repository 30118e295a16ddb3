import type {KubeObject, Rollout, Snapshot, TrackRole} from './types.js';

/**
 * What the console asks of metrics, as data: per rollout and track, the request rate, the
 * error ratio and the p99 latency, and the guard's thresholds and verdict. No I/O here: the
 * metrics/ adapters answer these questions from Prometheus or from the simulator.
 */

export type Preset = 'app' | 'nginx';
export const presets: Preset[] = ['app', 'nginx'];

export const metricsAnnotation = 'cutover.dev/metrics';
export const maxErrorRatioAnnotation = 'cutover.dev/max-error-ratio';
export const maxP99MsAnnotation = 'cutover.dev/max-p99-ms';

/** How one rollout's tracks are found in the metrics. */
export type MetricsTarget = {
	rolloutId: string;
	namespace: string;
	preset: Preset;
	/** app preset: the pods' app label; nginx preset: the primary Ingress. */
	app?: string;
	ingress?: string;
	/** Each track and the value its series carry: the track label's value (app) or stable/canary (nginx). */
	tracks: Array<{role: TrackRole; key: string}>;
};

/** One moment's numbers; null is "no data", never zero. */
export type Reading = {rps: number | null; errorRatio: number | null; p99Seconds: number | null};

export type Point = Reading & {t: number};

export type TrackMetrics = {
	role: TrackRole;
	/** Oldest first, one per step of the window. */
	points: Point[];
	now: Reading;
	/** Why there is nothing to show, when there is nothing: "no traffic", "prometheus unreachable". */
	noData?: string;
};

export type RolloutMetrics = {
	rolloutId: string;
	windowMinutes: number;
	tracks: TrackMetrics[];
	error?: string;
};

export type Thresholds = {maxErrorRatio: number; maxP99Seconds: number};

/** The seed's guard: error rate above 1 %, p99 above 500 ms. */
export const defaultThresholds: Thresholds = {maxErrorRatio: 0.01, maxP99Seconds: 0.5};

export type Verdict = {status: 'healthy' | 'breached' | 'no-data'; reasons: string[]};

function objectOf(rollout: Rollout, snapshot: Snapshot): KubeObject | undefined {
	const first = rollout.objects[0];
	if (!first) return undefined;
	const pool =
		first.kind === 'Service'
			? snapshot.services
			: first.kind === 'Ingress'
				? snapshot.ingresses
				: first.kind === 'Canary'
					? snapshot.canaries
					: first.kind === 'Rollout'
						? snapshot.rollouts
						: snapshot.deployments;
	return pool.find(
		(o) =>
			(o.metadata.namespace ?? 'default') === first.namespace && o.metadata.name === first.name,
	);
}

/** Per-rollout thresholds from annotations on its main object, else the defaults. */
export function thresholdsOf(
	rollout: Rollout,
	snapshot: Snapshot,
	defaults: Thresholds = defaultThresholds,
): {thresholds: Thresholds; problems: string[]} {
	const annotations = objectOf(rollout, snapshot)?.metadata.annotations ?? {};
	const problems: string[] = [];
	const read = (
		key: string,
		scale: number,
		fallback: number,
		range: string,
		valid: (n: number) => boolean,
	): number => {
		const raw = annotations[key];
		if (raw === undefined) return fallback;
		const value = Number(raw);
		if (raw.trim() === '' || !Number.isFinite(value) || !valid(value)) {
			problems.push(`${key} "${raw}" is not ${range}: using ${fallback * scale}`);
			return fallback;
		}
		return value / scale;
	};
	return {
		thresholds: {
			maxErrorRatio: read(
				maxErrorRatioAnnotation,
				1,
				defaults.maxErrorRatio,
				'a fraction in 0..1 (0.01 = 1 %)',
				(n) => n >= 0 && n <= 1,
			),
			maxP99Seconds: read(
				maxP99MsAnnotation,
				1000,
				defaults.maxP99Seconds,
				'a positive number of milliseconds',
				(n) => n > 0,
			),
		},
		problems,
	};
}

/** The preset a rollout's metrics come from: its annotation, else what its strategy implies. */
export function presetOf(rollout: Rollout, snapshot: Snapshot, fallback?: Preset): Preset {
	const chosen = objectOf(rollout, snapshot)?.metadata.annotations?.[metricsAnnotation];
	if (chosen === 'app' || chosen === 'nginx') return chosen;
	return fallback ?? rollout.metrics.preset;
}

/** How to find a rollout's tracks in its preset's series. */
export function metricsTargetOf(
	rollout: Rollout,
	snapshot: Snapshot,
	fallback?: Preset,
): MetricsTarget {
	const preset = presetOf(rollout, snapshot, fallback);
	const primaryIngress = rollout.metrics.ingress;
	const deployments = snapshot.deployments.filter(
		(d) => (d.metadata.namespace ?? 'default') === rollout.namespace,
	);
	const app = rollout.tracks
		.map(
			(t) =>
				deployments.find((d) => d.metadata.name === t.workload.name)?.spec?.template?.metadata
					?.labels?.app as string | undefined,
		)
		.find((a) => a !== undefined);
	const tracks = rollout.tracks.map((track) => {
		if (preset === 'nginx')
			return {role: track.role, key: track.role === 'canary' ? 'canary' : 'stable'};
		const labels: Record<string, string> =
			deployments.find((d) => d.metadata.name === track.workload.name)?.spec?.template?.metadata
				?.labels ?? {};
		// The value Prometheus carries for the track: the blue/green label value, or the
		// Deployment's version or track label.
		const key =
			track.color || rollout.traffic.kind === 'selector'
				? (track.label ?? '')
				: (labels.version ?? labels.track ?? track.workload.name);
		return {role: track.role, key};
	});
	return {
		rolloutId: rollout.id,
		namespace: rollout.namespace,
		preset,
		...(app ? {app} : {}),
		...(primaryIngress ? {ingress: primaryIngress} : {}),
		tracks,
	};
}

/** The guard's reading of one track: breached if any number is over its threshold. */
export function judge(now: Reading, thresholds: Thresholds): Verdict {
	if (now.rps === null || now.rps === 0 || now.errorRatio === null)
		return {status: 'no-data', reasons: ['no traffic measured']};
	const reasons: string[] = [];
	if (now.errorRatio > thresholds.maxErrorRatio) {
		reasons.push(
			`error ratio ${(now.errorRatio * 100).toFixed(1)} % > ${(thresholds.maxErrorRatio * 100).toFixed(1)} %`,
		);
	}
	if (now.p99Seconds !== null && now.p99Seconds > thresholds.maxP99Seconds) {
		reasons.push(
			`p99 ${Math.round(now.p99Seconds * 1000)} ms > ${Math.round(thresholds.maxP99Seconds * 1000)} ms`,
		);
	}
	return reasons.length > 0 ? {status: 'breached', reasons} : {status: 'healthy', reasons: []};
}
