import type {KubeObject, Replicas} from './types.js';

/** Where a workload's rollout stands, as `kubectl rollout status` judges it. */
export type RolloutProgress = {
	replicas: Replicas;
	/** Every pod is of the newest template and available, and the controller has seen the newest spec. */
	done: boolean;
	/** Why it will not finish by itself (Progressing=False: ProgressDeadlineExceeded). */
	failed?: string;
	/** "updated 1/3, ready 3/3". */
	detail: string;
};

/**
 * The one readiness rule: detection's "rolling out" and a plan's wait both ask this, so the
 * detail screen and a wait never disagree. Deployment status fields, as the controller writes them.
 */
export function rolloutProgress(workload: KubeObject): RolloutProgress {
	const desired: number = workload.spec?.replicas ?? 1;
	const status = workload.status ?? {};
	const replicas: Replicas = {
		desired,
		updated: status.updatedReplicas ?? 0,
		ready: status.readyReplicas ?? 0,
		available: status.availableReplicas ?? 0,
	};
	const observed = Number(status.observedGeneration ?? 0) >= (workload.metadata.generation ?? 1);
	const done =
		observed &&
		replicas.updated >= desired &&
		(status.replicas ?? 0) <= replicas.updated &&
		replicas.available >= replicas.updated;
	const stalled = (status.conditions ?? []).find(
		(c: {type: string; status?: string; reason?: string}) =>
			c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
	);
	return {
		replicas,
		done,
		...(stalled && !done ? {failed: stalled.message ?? 'progress deadline exceeded'} : {}),
		detail: `updated ${replicas.updated}/${desired}, ready ${replicas.ready}/${desired}`,
	};
}

/** The conditions a plan's wait step can name, judged on its target object. */
export const conditions = {'rolled-out': rolloutProgress} as const;
