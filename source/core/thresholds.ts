import type {KubeObject} from './types.js';

/** The guard's limits for one rollout. */
export type Thresholds = {maxErrorRatio: number; maxP99Seconds: number};

/** The seed's guard: error rate above 1 %, p99 above 500 ms. */
const defaultThresholds: Thresholds = {maxErrorRatio: 0.01, maxP99Seconds: 0.5};

const maxErrorRatioAnnotation = 'cutover.dev/max-error-ratio';
const maxP99MsAnnotation = 'cutover.dev/max-p99-ms';

/**
 * Thresholds from annotations on a rollout's main object, else the defaults. A bad annotation
 * is a problem to show on the rollout, never silently replaced.
 */
export function thresholdsOf(
	object: KubeObject | undefined,
	defaults: Thresholds = defaultThresholds,
): {thresholds: Thresholds; problems: string[]} {
	const annotations = object?.metadata.annotations ?? {};
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
			problems.push(
				`${key} "${raw}" is not ${range}: the guard uses ${fallback * scale} until it is fixed`,
			);
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
