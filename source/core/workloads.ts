import type {KubeObject, Track, TrackRole, WorkloadRef} from './types.js';

/** Whether every key of a selector map is in the labels with the same value. */
export function selects(
	selector: Record<string, string> | undefined,
	labels: Record<string, string> | undefined,
): boolean {
	if (!selector || Object.keys(selector).length === 0) return false;
	return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

export function podLabels(deployment: KubeObject): Record<string, string> {
	return deployment.spec?.template?.metadata?.labels ?? {};
}

export function imagesOf(deployment: KubeObject): string[] {
	return (deployment.spec?.template?.spec?.containers ?? []).map(
		(c: {image?: string}) => c.image ?? '',
	);
}

export function refOf(object: KubeObject, kind = object.kind ?? 'Deployment'): WorkloadRef {
	return {kind, namespace: object.metadata.namespace ?? 'default', name: object.metadata.name};
}

/** Replica counts and whether a rollout is under way, as `kubectl rollout status` judges it. */
export function deploymentReplicas(deployment: KubeObject) {
	const desired: number = deployment.spec?.replicas ?? 1;
	const status = deployment.status ?? {};
	const replicas = {
		desired,
		updated: status.updatedReplicas ?? 0,
		ready: status.readyReplicas ?? 0,
		available: status.availableReplicas ?? 0,
	};
	const observed = (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 1);
	const rollingOut =
		!observed ||
		replicas.updated < desired ||
		(status.replicas ?? 0) > replicas.updated ||
		replicas.available < replicas.updated;
	return {replicas, rollingOut};
}

export function deploymentTrack(
	deployment: KubeObject,
	role: TrackRole,
	weight: number,
	extra: Partial<Track> = {},
): Track {
	const {replicas, rollingOut} = deploymentReplicas(deployment);
	return {
		role,
		workload: refOf(deployment, 'Deployment'),
		images: imagesOf(deployment),
		replicas,
		weight,
		rollingOut,
		...extra,
	};
}

/** A JSON Pointer token: `~` and `/` escaped (RFC 6901), for label keys like `cutover.dev/x`. */
export function pointerToken(key: string): string {
	return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
