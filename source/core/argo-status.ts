import type {Fact, Health, KubeObject} from './types.js';

/**
 * How an Argo Rollout's status reads (ANCHOR-FACTS): its phase, trusted only once the controller
 * has seen the newest spec; its steps, with the current one marked; why it is paused.
 */

export type ArgoStep = {
	setWeight?: number;
	pause?: {duration?: string | number};
	analysis?: unknown;
};

export type ArgoState = {
	phase: string;
	message: string;
	health: Health;
	aborted: boolean;
	/** Paused by a step, by the controller (blueGreen), or by a person (spec.paused). */
	paused: boolean;
	steps: ArgoStep[];
	/** The index of the current step; steps.length once all are done. */
	stepIndex: number;
};

const icons: Record<string, Health> = {
	Healthy: 'ok',
	Progressing: 'progressing',
	Paused: 'paused',
	Degraded: 'bad',
};

function condition(rollout: KubeObject, type: string) {
	return (rollout.status?.conditions ?? []).find((c: {type: string}) => c.type === type) as
		| {type: string; status: string; reason?: string; message?: string}
		| undefined;
}

/**
 * The phase as Argo's own status says it when it is current; otherwise read from the
 * conditions, as the plugin does for controllers that write no phase.
 */
export function argoState(rollout: KubeObject): ArgoState {
	const status = rollout.status ?? {};
	const steps: ArgoStep[] = rollout.spec?.strategy?.canary?.steps ?? [];
	const stepIndex = Math.min(Number(status.currentStepIndex ?? steps.length), steps.length);
	const aborted = status.abort === true;
	const paused =
		rollout.spec?.paused === true ||
		(status.pauseConditions ?? []).length > 0 ||
		status.controllerPause === true;
	const observed =
		String(status.observedGeneration ?? '') === String(rollout.metadata.generation ?? '');
	const state = (phase: string, message: string): ArgoState => ({
		phase,
		message,
		health: icons[phase] ?? 'unknown',
		aborted,
		paused,
		steps,
		stepIndex,
	});
	const invalid = condition(rollout, 'InvalidSpec');
	if (invalid?.status === 'True') return state('Degraded', `InvalidSpec: ${invalid.message ?? ''}`);
	if (!observed && rollout.metadata.generation !== undefined)
		return state('Progressing', 'waiting for the controller to see the newest spec');
	if (status.phase) return state(String(status.phase), String(status.message ?? ''));
	const progressing = condition(rollout, 'Progressing');
	if (aborted) return state('Degraded', `RolloutAborted: ${progressing?.message ?? ''}`);
	if (progressing?.reason === 'ProgressDeadlineExceeded')
		return state('Degraded', `ProgressDeadlineExceeded: ${progressing.message ?? ''}`);
	if (paused) {
		const reason =
			status.pauseConditions?.[0]?.reason ?? (rollout.spec?.paused ? 'manually paused' : 'Paused');
		return state('Paused', String(reason));
	}
	const desired = Number(rollout.spec?.replicas ?? 1);
	if (Number(status.updatedReplicas ?? 0) < desired)
		return state('Progressing', 'more replicas need to be updated');
	if (Number(status.availableReplicas ?? 0) < Number(status.updatedReplicas ?? 0))
		return state('Progressing', 'updated replicas are still becoming available');
	return state('Healthy', '');
}

function stepText(step: ArgoStep): string {
	if (step.setWeight !== undefined) return `${step.setWeight}%`;
	if (step.pause)
		return step.pause.duration !== undefined ? `pause ${step.pause.duration}` : 'pause';
	if (step.analysis) return 'analysis';
	return Object.keys(step)[0] ?? '?';
}

/** A duration of a pause step in seconds (`10s`, `1m`, or a bare number of seconds). */
export function pauseSeconds(duration: string | number | undefined): number | undefined {
	if (duration === undefined) return undefined;
	if (typeof duration === 'number') return duration;
	const match = /^(\d+)(s|m|h)?$/.exec(duration.trim());
	if (!match) return undefined;
	return Number(match[1]) * ({s: 1, m: 60, h: 3600}[match[2] ?? 's'] ?? 1);
}

/** The step list, done ones plain, the current one in brackets, and when a timed pause ends. */
export function stepFacts(rollout: KubeObject, state: ArgoState): Fact[] {
	if (state.steps.length === 0) return [];
	const list = state.steps
		.map((step, index) => (index === state.stepIndex ? `[${stepText(step)}]` : stepText(step)))
		.join(' ');
	const facts: Fact[] = [
		// As the plugin counts: the current step's index out of the number of steps.
		{label: 'step', value: `${state.stepIndex}/${state.steps.length}`},
		{label: 'steps', value: state.stepIndex >= state.steps.length ? `${list} (all done)` : list},
	];
	const current = state.steps[state.stepIndex];
	const started = rollout.status?.pauseConditions?.[0]?.startTime as string | undefined;
	const seconds = pauseSeconds(current?.pause?.duration);
	if (current?.pause && started && seconds !== undefined) {
		const ends = new Date(Date.parse(started) + seconds * 1000).toISOString();
		facts.push({label: 'pause ends', value: '', until: ends});
	} else if (current?.pause && state.paused)
		facts.push({label: 'paused', value: 'until promoted (p)', tone: 'warn'});
	return facts;
}

/**
 * An AnalysisRun's measurements, one fact per metric: its phase, how many measurements passed
 * and failed, and the newest value (the plugin shows only the run's phase).
 */
export function measurementFacts(run: KubeObject | undefined): Fact[] {
	const results: Array<{
		name?: string;
		phase?: string;
		count?: number;
		successful?: number;
		failed?: number;
		error?: number;
		inconclusive?: number;
		measurements?: Array<{value?: string; phase?: string; finishedAt?: string}>;
	}> = run?.status?.metricResults ?? [];
	return results.map((result) => {
		const newest = result.measurements?.at(-1);
		const counts = [
			`${result.count ?? 0} measured`,
			...(result.successful ? [`${result.successful} passed`] : []),
			...(result.failed ? [`${result.failed} failed`] : []),
			...(result.error ? [`${result.error} errors`] : []),
			...(result.inconclusive ? [`${result.inconclusive} inconclusive`] : []),
		].join(', ');
		const phase = result.phase ?? '?';
		return {
			label: `metric ${result.name ?? '?'}`,
			value: `${phase} (${counts})${newest?.value !== undefined ? `, last value ${newest.value}` : ''}`,
			tone:
				phase === 'Failed' || phase === 'Error'
					? 'bad'
					: phase === 'Successful'
						? 'ok'
						: 'progressing',
			...(newest?.finishedAt ? {since: newest.finishedAt} : {}),
		} satisfies Fact;
	});
}
