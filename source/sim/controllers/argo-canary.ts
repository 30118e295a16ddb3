/**
 * The canary strategy of the sim's Argo Rollouts: the steps walked (setWeight, pause with or
 * without a duration; analysis and experiment steps pass at once), the canary weight on the nginx
 * canary Ingress or as a replica split, abort, promote --full, and the canary becoming stable.
 */
import {timestamp} from '../store.js';
import {selectHash, setCanaryWeight} from './argo-routing.js';
import {type Actions, type Pass, revisionOf} from './argo-status.js';

export type CanaryStep = {setWeight?: number; pause?: {duration?: unknown}};

/** A Go duration ("10s", "1m30s") or a number of seconds, in seconds; undefined when absent. */
export function durationSeconds(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	const units: Record<string, number> = {ms: 0.001, s: 1, m: 60, h: 3600};
	let total = 0;
	for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
		total += Number(amount) * units[unit!]!;
	return total;
}

/** The setWeight in force at a step index: the last one at or before it, 100 past the end. */
export function weightAt(steps: Array<{setWeight?: number}>, index: number): number {
	if (index >= steps.length) return 100;
	for (let i = index; i >= 0; i--) {
		const weight = steps[i]?.setWeight;
		if (weight !== undefined) return weight;
	}
	return 0;
}

/**
 * One pass of a canary: fully promoted, aborted (weight 0, canary scaled down after
 * abortScaleDownDelaySeconds), or walking its steps from status.currentStepIndex until one waits
 * (a setWeight whose canary pods are not ready, a pause); past the last step it becomes stable.
 */
export function canary(a: Actions, p: Pass, steps: CanaryStep[]): void {
	const {ro, status, desired} = p;
	const canary = ro.spec.strategy.canary;
	const uid = ro.metadata.uid!;
	const stable = a.byHash(p, status.stableRS);
	// Older ReplicaSets go after the scale-down delay (at once without traffic routing).
	const delay: number = canary.trafficRouting ? (canary.scaleDownDelaySeconds ?? 30) : 0;
	for (const rs of p.sets) if (rs !== p.current && rs !== stable) a.scaleDownLater(p, rs, delay);
	selectHash(a.store, ro, canary.canaryService, status.currentPodHash);
	selectHash(a.store, ro, canary.stableService, status.stableRS);
	const last = steps.length;
	if (status.stableRS === p.hash) {
		// Fully promoted: the stable ReplicaSet takes all replicas, the old one goes after a delay.
		if (last > 0) status.currentStepIndex = last;
		for (const field of ['pauseConditions', 'controllerPause', 'promoteFull']) delete status[field];
		a.scaleNow(p, p.current, desired);
		route(a, p, 0);
		return;
	}
	if (status.abort === true) {
		if (!status.abortedAt) {
			status.abortedAt = timestamp();
			a.event(ro, 'RolloutAborted', `Rollout aborted update to revision ${revisionOf(p.current)}`);
		}
		if (last > 0) status.currentStepIndex = 0;
		for (const field of ['pauseConditions', 'controllerPause']) delete status[field];
		a.pausedAt.delete(uid);
		route(a, p, 0);
		a.scaleNow(p, stable, desired);
		a.scaleDownLater(p, p.current, canary.abortScaleDownDelaySeconds ?? 30);
		return;
	}
	delete status.abortedAt;
	delete status.abort;
	let index = Math.min(status.currentStepIndex ?? 0, last);
	if (status.promoteFull) {
		index = last;
		for (const field of ['pauseConditions', 'controllerPause']) delete status[field];
	}
	// A pause left behind by a promote that moved the step index on.
	const paused = a.pausedAt.get(uid);
	if (status.controllerPause && (!steps[index]?.pause || (paused && paused.index !== index))) {
		for (const field of ['pauseConditions', 'controllerPause']) delete status[field];
		a.pausedAt.delete(uid);
	}
	while (ro.spec.paused !== true && index < last) {
		const step = steps[index]!;
		if (step.setWeight !== undefined) {
			if (!split(a, p, step.setWeight)) break;
		} else if (step.pause) {
			if (!pauseStep(a, p, index, step.pause)) break;
		}
		// Steps the sim does not run (analysis, experiment, setCanaryScale...) pass at once.
		index++;
		if (last > 0) status.currentStepIndex = index;
	}
	if (last > 0) status.currentStepIndex = index;
	if (index < last) {
		split(a, p, weightAt(steps, index));
		return;
	}
	// All steps done: the canary takes every replica, then becomes the stable ReplicaSet.
	if (!split(a, p, 100)) return;
	status.stableRS = p.hash;
	delete status.promoteFull;
	route(a, p, 0);
	selectHash(a.store, ro, canary.stableService, p.hash);
	a.event(ro, 'RolloutCompleted', `Rollout completed update to revision ${revisionOf(p.current)}`);
	if (stable && stable !== p.current) a.scaleDownLater(p, stable, delay);
}

/** The canary weight: on the canary Ingress and in status (traffic routing), else nothing. */
function route(a: Actions, p: Pass, weight: number): void {
	const canary = p.ro.spec.strategy.canary;
	if (!canary.trafficRouting) {
		p.status.canary = {};
		return;
	}
	setCanaryWeight(a.store, p.ro, weight);
	p.status.canary = {
		...p.status.canary,
		weights: {
			canary: {
				weight,
				serviceName: canary.canaryService,
				podTemplateHash: p.status.currentPodHash,
			},
			stable: {
				weight: 100 - weight,
				serviceName: canary.stableService,
				podTemplateHash: p.status.stableRS,
			},
		},
	};
}

/**
 * Sets a canary weight: with traffic routing the canary gets ceil(replicas x weight) and the
 * stable keeps all of its own; without, the replicas are split. True once the canary is ready.
 */
function split(a: Actions, p: Pass, weight: number): boolean {
	const {desired} = p;
	const routed = Boolean(p.ro.spec.strategy.canary.trafficRouting);
	const canaryCount = routed
		? Math.min(desired, Math.ceil((desired * weight) / 100))
		: weight <= 0
			? 0
			: Math.min(desired, Math.max(1, Math.round((desired * weight) / 100)));
	a.scaleNow(p, p.current, canaryCount);
	const stable = a.byHash(p, p.status.stableRS);
	if (stable && stable !== p.current)
		a.scaleNow(p, stable, routed ? desired : desired - canaryCount);
	route(a, p, weight);
	return a.readyPods(p.current).length >= canaryCount;
}

/** A pause step: true once it is over (its duration passed, or its condition cleared). */
function pauseStep(a: Actions, p: Pass, index: number, pause: {duration?: unknown}): boolean {
	const {status, ro} = p;
	const uid = ro.metadata.uid!;
	const done = () => {
		for (const field of ['pauseConditions', 'controllerPause']) delete status[field];
		a.pausedAt.delete(uid);
		return true;
	};
	// The plugin's promote clears the conditions of a pause the controller set.
	if (status.controllerPause && !status.pauseConditions?.length) return done();
	if (!status.pauseConditions?.length) {
		status.pauseConditions = [{reason: 'CanaryPauseStep', startTime: timestamp()}];
		status.controllerPause = true;
		a.pausedAt.set(uid, {index, at: Date.now()});
		a.event(ro, 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)');
	} else if (!status.pauseConditions[0].startTime) {
		// A scenario's pause says why, not since when: it began with the world (a fixed date would
		// read "568d ago"), as Argo would have stamped it.
		const since = a.pausedAt.get(uid)?.at ?? Date.now();
		status.pauseConditions[0] = {
			...status.pauseConditions[0],
			startTime: new Date(since).toISOString(),
		};
	}
	const seconds = durationSeconds(pause.duration);
	if (seconds === undefined) return false;
	const started = a.pausedAt.get(uid)?.at ?? Date.now();
	if (Date.now() >= started + seconds * 1000 * a.timeScale) {
		a.event(ro, 'RolloutResumed', 'Rollout is resumed');
		return done();
	}
	p.settled = false;
	return false;
}
