import {durationSeconds} from './duration.js';
import {type Gate, gateOf} from './flagger-gates.js';
import {namespaceOf} from './kinds.js';
import type {Thresholds} from './thresholds.js';
import type {Fact, Health, KubeObject} from './types.js';

/**
 * What a Flagger Canary's spec and status say (ANCHOR-FACTS): its analysis (interval, threshold,
 * steps up to maxWeight, gates, metrics), what each phase means, and the facts the console shows.
 */

/** What each phase means to the engineer, and its health. */
export const phases: Record<string, {health: Health; meaning: string}> = {
	Initializing: {health: 'progressing', meaning: 'Flagger is creating the primary'},
	Initialized: {health: 'ok', meaning: 'waiting for a new revision of the target'},
	Waiting: {health: 'paused', meaning: 'waits for the confirm-rollout gate'},
	Progressing: {health: 'progressing', meaning: 'analysis running, weight moving'},
	WaitingPromotion: {health: 'paused', meaning: 'waits for the promotion gate'},
	Promoting: {health: 'progressing', meaning: 'copying the canary to the primary'},
	Finalising: {health: 'progressing', meaning: 'routing all traffic back to the primary'},
	Succeeded: {health: 'ok', meaning: 'promoted: the primary runs the new revision'},
	Failed: {health: 'bad', meaning: 'rolled back: the primary kept the old revision'},
	Terminating: {health: 'unknown', meaning: 'the Canary is being deleted'},
	Terminated: {health: 'unknown', meaning: 'the Canary was deleted'},
};

/** Phases in which Flagger asks the rollback webhook (ANCHOR-FACTS). */
export const rollbackPhases = ['Progressing', 'Waiting', 'WaitingPromotion'];
export const analysing = ['Progressing', 'Waiting', 'WaitingPromotion'];

export type Analysis = {
	intervalSeconds: number;
	interval: string;
	threshold: number;
	maxWeight: number;
	steps: number[];
	gates: {step?: Gate; promote?: Gate; rollback?: Gate};
	/** Webhooks of a gating type that are not loadtester gates, by type: cutover cannot open them. */
	foreign: Record<string, string>;
	metrics: Array<{name: string; min?: number; max?: number}>;
};

export function analysisOf(canary: KubeObject): Analysis {
	const spec = canary.spec?.analysis ?? canary.spec?.canaryAnalysis ?? {};
	const interval = String(spec.interval ?? '60s');
	const maxWeight = Number(spec.maxWeight ?? 100);
	const stepWeight = Number(spec.stepWeight ?? 0);
	const steps: number[] = Array.isArray(spec.stepWeights)
		? spec.stepWeights.map(Number)
		: stepWeight > 0
			? Array.from({length: Math.floor(maxWeight / stepWeight)}, (_, i) => (i + 1) * stepWeight)
			: [];
	const gates: Analysis['gates'] = {};
	const foreign: Record<string, string> = {};
	const namespace = namespaceOf(canary);
	for (const hook of spec.webhooks ?? []) {
		const role =
			hook.type === 'confirm-traffic-increase'
				? 'step'
				: hook.type === 'confirm-promotion'
					? 'promote'
					: hook.type === 'rollback'
						? 'rollback'
						: undefined;
		if (!role) continue;
		const gate = gateOf(String(hook.url ?? ''), namespace, String(hook.name ?? hook.type));
		if (gate) gates[role] = gate;
		else foreign[hook.type] = String(hook.url ?? '');
	}
	return {
		intervalSeconds: durationSeconds(interval) || 60,
		interval,
		threshold: Number(spec.threshold ?? 1),
		maxWeight,
		steps,
		gates,
		foreign,
		metrics: (spec.metrics ?? []).map(
			(m: {name?: string; thresholdRange?: {min?: number; max?: number}}) => ({
				name: String(m.name ?? '?'),
				...(m.thresholdRange?.min !== undefined ? {min: Number(m.thresholdRange.min)} : {}),
				...(m.thresholdRange?.max !== undefined ? {max: Number(m.thresholdRange.max)} : {}),
			}),
		),
	};
}

/**
 * The guard's thresholds from Flagger's own checks (success rate min 99 -> errors <= 1 %) and
 * its failed-checks threshold; what it does not set stays the guard's default.
 */
export function thresholdsOf(analysis: Analysis): Partial<Thresholds> {
	const success = analysis.metrics.find((m) => m.name === 'request-success-rate')?.min;
	const duration = analysis.metrics.find((m) => m.name === 'request-duration')?.max;
	return {
		...(success !== undefined ? {maxErrorRatio: Math.max(0, (100 - success) / 100)} : {}),
		...(duration !== undefined ? {maxP99Seconds: duration / 1000} : {}),
		failureThreshold: Math.max(1, analysis.threshold),
	};
}

function later(iso: string | undefined, seconds: number): string | undefined {
	const at = iso ? Date.parse(iso) : Number.NaN;
	return Number.isFinite(at) ? new Date(at + seconds * 1000).toISOString() : undefined;
}

function minutes(seconds: number): string {
	return seconds < 120 ? `${Math.round(seconds)}s` : `${Math.round(seconds / 60)}m`;
}

export function factsOf(
	canary: KubeObject,
	analysis: Analysis,
	phase: string,
	weight: number,
): Fact[] {
	const status = canary.status ?? {};
	const failed = Number(status.failedChecks ?? 0);
	const facts: Fact[] = [
		{
			label: phase,
			value: phases[phase]?.meaning ?? 'a phase cutover does not know',
			tone: 'neutral',
		},
		{
			label: 'failed checks',
			value: `${failed}/${analysis.threshold}`,
			tone: failed >= analysis.threshold ? 'bad' : failed > 0 ? 'warn' : 'ok',
		},
		{label: 'iterations', value: String(status.iterations ?? 0)},
		{label: 'interval', value: analysis.interval},
	];
	if (status.lastTransitionTime)
		facts.push({label: 'last transition', value: '', since: status.lastTransitionTime});
	if (phase === 'Progressing') {
		const left = analysis.steps.filter((s) => s > weight).length;
		const next = later(status.lastTransitionTime, analysis.intervalSeconds);
		// With a traffic gate, Flagger steps only once it is open: a time would be a guess.
		if (analysis.gates.step)
			facts.push({label: 'next step', value: `when the ${analysis.gates.step.name} opens`});
		else facts.push({label: 'next step', value: '', ...(next ? {until: next} : {})});
		facts.push({
			label: 'promotion',
			value: `${left} steps left, about ${minutes(left * analysis.intervalSeconds)} at this pace`,
		});
		facts.push({
			label: 'rollback by threshold',
			value: `after ${analysis.threshold - failed} more failed checks, about ${minutes((analysis.threshold - failed) * analysis.intervalSeconds)}`,
			tone: failed > 0 ? 'warn' : 'neutral',
		});
	}
	for (const metric of analysis.metrics) {
		const bound =
			metric.min !== undefined
				? `>= ${metric.min}`
				: metric.max !== undefined
					? `<= ${metric.max}`
					: '';
		const note =
			metric.name === 'request-duration'
				? " ms (Flagger's is a mean; cutover shows the p99 from the histogram)"
				: metric.name === 'request-success-rate'
					? ' %'
					: '';
		facts.push({label: metric.name, value: `${bound}${note}`});
	}
	return facts;
}
