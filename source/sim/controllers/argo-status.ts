/**
 * The status block of the sim's Argo Rollouts: replica counts from the ReplicaSets, the
 * Available / Progressing / Paused conditions, and the phase and message as Argo's controller
 * computes them (utils/rollout CalculateRolloutPhase), written to the status subresource.
 */
import {isDeepStrictEqual} from 'node:util';
import {resourceTypes} from '../resources.js';
import {type KubeObject, type Store, timestamp} from '../store.js';
import {hashLabel} from './argo-routing.js';

const rollouts = resourceTypes.find((t) => t.plural === 'rollouts')!;

/** A Rollout's status as the controller builds it (arbitrary JSON, as objects are). */
export type RolloutStatus = NonNullable<KubeObject['status']>;

/** One reconcile of one Rollout: what it read, and the status it is deciding. */
export type Pass = {
	ro: KubeObject;
	status: RolloutStatus;
	sets: KubeObject[];
	/** The ReplicaSet of the current template. */
	current: KubeObject;
	hash: string;
	desired: number;
	/** False while something is waited for by time (a timed pause, a scale-down delay). */
	settled: boolean;
};

/** What the strategies do through the controller. */
export type Actions = {
	store: Store;
	/** Multiplies pause durations and scale-down delays. */
	timeScale: number;
	/** Per Rollout uid: the step index the controller paused at, and when (ms). */
	pausedAt: Map<string, {index: number; at: number}>;
	event(ro: KubeObject, reason: string, message: string): void;
	/** Scales a ReplicaSet now, forgetting any scale-down it was waiting for. */
	scaleNow(p: Pass, rs: KubeObject | undefined, replicas: number): void;
	/** Scales a ReplicaSet to zero once `seconds` (times the time scale) have passed. */
	scaleDownLater(p: Pass, rs: KubeObject, seconds: number): void;
	fresh(rs: KubeObject): KubeObject;
	byHash(p: Pass, hash: string | undefined): KubeObject | undefined;
	readyPods(rs: KubeObject): KubeObject[];
};

export type Condition = {
	type: string;
	status: string;
	reason: string;
	message: string;
	lastTransitionTime: string;
	lastUpdateTime: string;
};

export const revisionKey = 'rollout.argoproj.io/revision';

export function revisionOf(object: KubeObject | undefined): number {
	return Number(object?.metadata.annotations?.[revisionKey] ?? 0);
}

export function hashOf(rs: KubeObject): string | undefined {
	return rs.metadata.labels?.[hashLabel];
}

function hasConditionReason(
	status: Record<string, unknown>,
	reason: string,
): Condition | undefined {
	return ((status.conditions as Condition[] | undefined) ?? []).find((c) => c.reason === reason);
}

/** Argo's CalculateRolloutPhase, for the fields the sim keeps. */
export function rolloutPhase(spec: KubeObject['spec'], status: RolloutStatus): [string, string] {
	for (const reason of ['RolloutAborted', 'ProgressDeadlineExceeded']) {
		const condition = hasConditionReason(status, reason);
		if (condition) return ['Degraded', `${reason}: ${condition.message}`];
	}
	if (spec?.paused === true) return ['Paused', 'manually paused'];
	const pause = (status.pauseConditions ?? [])[0];
	if (pause) return ['Paused', pause.reason];
	const replicas: number = spec?.replicas ?? 1;
	if ((status.updatedReplicas ?? 0) < replicas)
		return ['Progressing', 'more replicas need to be updated'];
	if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0))
		return ['Progressing', 'updated replicas are still becoming available'];
	const promoted = status.stableRS && status.stableRS === status.currentPodHash;
	if (spec?.strategy?.blueGreen) {
		const active = status.blueGreen?.activeSelector;
		if (!active || active !== status.currentPodHash)
			return ['Progressing', 'active service cutover pending'];
		if (!promoted) return ['Progressing', 'waiting for post-promotion verification to complete'];
	} else if (spec?.strategy?.canary) {
		if (
			!spec.strategy.canary.trafficRouting &&
			(status.replicas ?? 0) > (status.updatedReplicas ?? 0)
		)
			return ['Progressing', 'old replicas are pending termination'];
		if (!promoted) return ['Progressing', 'waiting for all steps to complete'];
	}
	return ['Healthy', ''];
}

function condition(
	previous: Condition[],
	type: string,
	status: string,
	reason: string,
	message: string,
): Condition {
	const before = previous.find((c) => c.type === type);
	const now = timestamp();
	const same =
		before && before.status === status && before.reason === reason && before.message === message;
	return {
		type,
		status,
		reason,
		message,
		lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
		lastUpdateTime: same ? before.lastUpdateTime : now,
	};
}

export type Observed = {
	/** Every ReplicaSet of the Rollout, as they are after this pass. */
	sets: KubeObject[];
	/** The ReplicaSet of the current template. */
	current: KubeObject | undefined;
	/** The ReplicaSets that serve the stable (canary) or active (blueGreen) side. */
	available: number;
};

/**
 * Fills in the counts, conditions, phase and message of `status` (the controller's decisions
 * already in it), then writes it if it differs from the stored one.
 */
export function writeStatus(
	store: Store,
	rollout: KubeObject,
	status: RolloutStatus,
	observed: Observed,
): void {
	const fresh = store.find(rollouts, rollout.metadata.namespace, rollout.metadata.name!);
	if (!fresh) return;
	const {sets, current} = observed;
	const sum = (field: string) => sets.reduce((total, rs) => total + (rs.status?.[field] ?? 0), 0);
	const desired: number = fresh.spec?.replicas ?? 1;
	status.replicas = sum('replicas');
	status.HPAReplicas = status.replicas;
	status.updatedReplicas = current?.status?.replicas ?? 0;
	status.readyReplicas = sum('readyReplicas');
	status.availableReplicas = sum('availableReplicas');
	const matchLabels: Record<string, string> = fresh.spec?.selector?.matchLabels ?? {};
	const selector = Object.entries(matchLabels).map(([key, value]) => `${key}=${value}`);
	if (fresh.spec?.strategy?.blueGreen && status.blueGreen?.activeSelector)
		selector.push(`${hashLabel}=${status.blueGreen.activeSelector}`);
	status.selector = selector.join(',');
	if (!status.controllerPause) delete status.controllerPause;
	if (!status.pauseConditions?.length) delete status.pauseConditions;
	if (!status.promoteFull) delete status.promoteFull;
	if (status.abort !== true && status.abort !== false) delete status.abort;

	const previous: Condition[] = fresh.status?.conditions ?? [];
	const paused = fresh.spec?.paused === true || Boolean(status.pauseConditions?.length);
	const name = current?.metadata.name ?? '';
	const conditions = [
		observed.available >= desired
			? condition(
					previous,
					'Available',
					'True',
					'AvailableReason',
					'Rollout has minimum availability',
				)
			: condition(
					previous,
					'Available',
					'False',
					'AvailableReason',
					'Rollout does not have minimum availability',
				),
		status.abort === true && status.stableRS !== status.currentPodHash
			? condition(
					previous,
					'Progressing',
					'False',
					'RolloutAborted',
					`Rollout aborted update to revision ${revisionOf(current)}`,
				)
			: paused
				? condition(previous, 'Progressing', 'Unknown', 'RolloutPaused', 'Rollout is paused')
				: status.stableRS === status.currentPodHash &&
						(current?.status?.availableReplicas ?? 0) >= desired
					? condition(
							previous,
							'Progressing',
							'True',
							'NewReplicaSetAvailable',
							`ReplicaSet "${name}" has successfully progressed.`,
						)
					: condition(
							previous,
							'Progressing',
							'True',
							'ReplicaSetUpdated',
							`ReplicaSet "${name}" is progressing.`,
						),
		...(paused
			? [condition(previous, 'Paused', 'True', 'RolloutPaused', 'Rollout is paused')]
			: []),
	];
	status.conditions = conditions;
	const [phase, message] = rolloutPhase(fresh.spec, status);
	status.phase = phase;
	if (message) status.message = message;
	else delete status.message;
	status.observedGeneration = String(fresh.metadata.generation ?? 1);
	if (isDeepStrictEqual(fresh.status, status)) return;
	store.update(
		rollouts,
		fresh.metadata.namespace,
		fresh.metadata.name!,
		{...fresh, status},
		{subresource: 'status'},
	);
}
