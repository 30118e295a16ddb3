/** The `scale` subresource: an autoscaling/v1 Scale over a workload's spec.replicas. */
import {errors} from './errors.js';
import type {ResourceType} from './resources.js';
import type {KubeObject, Store} from './store.js';

export function toScale(object: KubeObject): KubeObject {
	const labels: Record<string, string> = object.spec?.selector?.matchLabels ?? {};
	return {
		kind: 'Scale',
		apiVersion: 'autoscaling/v1',
		metadata: {
			name: object.metadata.name,
			namespace: object.metadata.namespace,
			uid: object.metadata.uid,
			resourceVersion: object.metadata.resourceVersion,
			creationTimestamp: object.metadata.creationTimestamp,
		},
		spec: {replicas: object.spec?.replicas ?? 1},
		status: {
			replicas: object.status?.replicas ?? 0,
			selector: Object.entries(labels)
				.map(([k, v]) => `${k}=${v}`)
				.join(','),
		},
	};
}

/** Writes a Scale back as spec.replicas; a resourceVersion in it is a precondition. */
export function applyScale(
	store: Store,
	type: ResourceType,
	namespace: string | undefined,
	name: string,
	scale: KubeObject,
	dryRun: boolean,
): KubeObject {
	const replicas = scale.spec?.replicas;
	if (!Number.isInteger(replicas) || replicas < 0) {
		throw errors.invalid(
			type,
			name,
			`spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
		);
	}
	const precondition = scale.metadata?.resourceVersion;
	const current = store.get(type, namespace, name);
	if (precondition && precondition !== current.metadata.resourceVersion)
		throw errors.conflict(type, name);
	const updated = store.update(
		type,
		namespace,
		name,
		{...current, spec: {...current.spec, replicas}},
		{dryRun},
	);
	return toScale(updated);
}
