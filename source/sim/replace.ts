import type {KubeObject, WriteOptions} from './objects.js';
import {apiVersionOf, type ResourceType} from './resources.js';

const clone = <T>(value: T): T => structuredClone(value);

/**
 * What a PUT makes of the stored object: to the main resource, the body with the stored identity
 * (uid, creation time, generation) and status; to /status, the stored object with the body's status.
 */
export function replacement(
	type: ResourceType,
	current: KubeObject,
	body: KubeObject,
	options: WriteOptions & {namespace: string | undefined; name: string},
): KubeObject {
	if (options.subresource === 'status') return {...clone(current), status: clone(body.status)};
	const next: KubeObject = {
		...clone(body),
		apiVersion: apiVersionOf(type),
		kind: type.kind,
		metadata: {
			...clone(body.metadata),
			name: options.name,
			...(type.namespaced ? {namespace: options.namespace} : {}),
			uid: current.metadata.uid,
			creationTimestamp: current.metadata.creationTimestamp,
		},
	};
	if (type.generation) next.metadata.generation = current.metadata.generation;
	if (type.status) {
		if (current.status === undefined) delete next.status;
		else next.status = clone(current.status);
	}
	return next;
}
