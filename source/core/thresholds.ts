import type {KubeObject} from './types.js';

/** The guard's limits for one rollout. */
export type Thresholds = {
	maxErrorRatio: number;
	maxP99Seconds: number;
	/** Fewer requests than this in the rate interval judge nothing ("too few requests"). */
	minRequests: number;
	/** Consecutive breached evaluations that make the verdict `failing` (Flagger's `threshold`). */
	failureThreshold: number;
};

/** What the guard may do by itself on one rollout. */
export type GuardPolicy = {
	/** Roll back when the verdict turns failing (`--auto-rollback` turns it on for all). */
	autoRollback: boolean;
	/** Autopilot: healthy evaluations in a row before the next step. */
	stepIntervals: number;
};

/**
 * The seed's guard: error rate above 1 %, p99 above 500 ms; 50 requests to judge, 5 breaches in
 * a row to fail (as the seed's Flagger analysis: threshold 5).
 */
export const defaultThresholds: Thresholds = {
	maxErrorRatio: 0.01,
	maxP99Seconds: 0.5,
	minRequests: 50,
	failureThreshold: 5,
};
export const defaultPolicy: GuardPolicy = {autoRollback: false, stepIntervals: 3};

const annotation = {
	maxErrorRatio: 'cutover.dev/max-error-ratio',
	maxP99Ms: 'cutover.dev/max-p99-ms',
	minRequests: 'cutover.dev/min-requests',
	failureThreshold: 'cutover.dev/failure-threshold',
	autoRollback: 'cutover.dev/auto-rollback',
	stepInterval: 'cutover.dev/step-interval',
};

type Reader = (
	key: string,
	scale: number,
	fallback: number,
	range: string,
	valid: (n: number) => boolean,
) => number;

function readerOf(object: KubeObject | undefined, problems: string[]): Reader {
	const annotations = object?.metadata.annotations ?? {};
	return (key, scale, fallback, range, valid) => {
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
}

const wholeNumber = (min: number) => (n: number) => Number.isInteger(n) && n >= min;

/**
 * Thresholds from annotations on a rollout's main object, else the strategy's own (`defaults`,
 * e.g. Flagger's analysis), else the seed's. A bad annotation is a problem to show on the
 * rollout, never silently replaced.
 */
export function thresholdsOf(
	object: KubeObject | undefined,
	defaults: Partial<Thresholds> = {},
): {thresholds: Thresholds; problems: string[]} {
	const base = {...defaultThresholds, ...defaults};
	const problems: string[] = [];
	const read = readerOf(object, problems);
	return {
		thresholds: {
			maxErrorRatio: read(
				annotation.maxErrorRatio,
				1,
				base.maxErrorRatio,
				'a fraction in 0..1 (0.01 = 1 %)',
				(n) => n >= 0 && n <= 1,
			),
			maxP99Seconds: read(
				annotation.maxP99Ms,
				1000,
				base.maxP99Seconds,
				'a positive number of milliseconds',
				(n) => n > 0,
			),
			minRequests: read(
				annotation.minRequests,
				1,
				base.minRequests,
				'a whole number of requests (0 or more)',
				wholeNumber(0),
			),
			failureThreshold: read(
				annotation.failureThreshold,
				1,
				base.failureThreshold,
				'a whole number of breaches (1 or more)',
				wholeNumber(1),
			),
		},
		problems,
	};
}

/** The guard's policy from annotations on a rollout's main object (flags add to it at run time). */
export function policyOf(object: KubeObject | undefined): {
	policy: GuardPolicy;
	problems: string[];
} {
	const problems: string[] = [];
	const raw = object?.metadata.annotations?.[annotation.autoRollback];
	if (raw !== undefined && raw !== 'true' && raw !== 'false')
		problems.push(`${annotation.autoRollback} "${raw}" is not "true" or "false": it stays off`);
	const stepIntervals = readerOf(object, problems)(
		annotation.stepInterval,
		1,
		defaultPolicy.stepIntervals,
		'a whole number of healthy windows (1 or more)',
		wholeNumber(1),
	);
	return {policy: {autoRollback: raw === 'true', stepIntervals}, problems};
}
