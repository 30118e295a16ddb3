import type {KindRef, KubeObject, ObjectRef} from './types.js';

/** The built-in kinds strategies read and write. A strategy's own custom resources live in its file. */
export const kinds = {
	service: {group: '', version: 'v1', plural: 'services', kind: 'Service'},
	ingress: {group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress'},
	deployment: {group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment'},
	replicaSet: {group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet'},
	configMap: {group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap'},
	event: {group: '', version: 'v1', plural: 'events', kind: 'Event'},
} as const satisfies Record<string, KindRef>;

/** `deployments.apps`, `services`: a kind's name as kubectl spells a resource. */
export function kindKey(kind: Pick<KindRef, 'group' | 'plural'>): string {
	return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
}

export function namespaceOf(object: KubeObject): string {
	return object.metadata.namespace ?? 'default';
}

/** An object's reference, given its kind. */
export function refOf(object: KubeObject, kind: KindRef): ObjectRef {
	const {optional: _, labelSelector: __, ...coordinates} = kind;
	return {...coordinates, namespace: namespaceOf(object), name: object.metadata.name};
}

/** `Kind/namespace/name`: how claims and Events name an object. */
export function objectKey(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
	return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** A kind's list path's query: its label selector, if it has one. */
export function listQuery(kind: KindRef): string {
	return kind.labelSelector ? `?labelSelector=${encodeURIComponent(kind.labelSelector)}` : '';
}
