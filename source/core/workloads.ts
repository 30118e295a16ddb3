import {rolloutProgress} from './conditions.js';
import {kinds, namespaceOf, refOf} from './kinds.js';
import type {Claims, KindRef, KubeObject, Snapshot, Track} from './types.js';

/** Whether every key of a selector map is in the labels with the same value. */
export function selects(
	selector: Record<string, string> | undefined,
	labels: Record<string, string> | undefined,
): boolean {
	if (!selector || Object.keys(selector).length === 0) return false;
	return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

export function podLabels(workload: KubeObject): Record<string, string> {
	return workload.spec?.template?.metadata?.labels ?? {};
}

export function imagesOf(workload: KubeObject): string[] {
	return (workload.spec?.template?.spec?.containers ?? []).map(
		(c: {image?: string}) => c.image ?? '',
	);
}

export function newest(objects: KubeObject[]): KubeObject | undefined {
	return [...objects].sort((a, b) =>
		(b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
	)[0];
}

/** The Deployment behind a Service: the newest one its selector picks that no one else has. */
export function deploymentBehind(
	serviceName: string | undefined,
	namespace: string,
	snapshot: Snapshot,
	claims: Claims,
): KubeObject | undefined {
	if (!serviceName) return undefined;
	const service = snapshot.get({...kinds.service, namespace, name: serviceName});
	if (!service) return undefined;
	return newest(
		snapshot
			.list(kinds.deployment)
			.filter(
				(d) =>
					namespaceOf(d) === namespace &&
					!claims.taken(d, kinds.deployment) &&
					selects(service.spec?.selector, podLabels(d)),
			),
	);
}

/** A Deployment's track: its workload, images and replicas; the strategy says the rest. */
export function deploymentTrack(
	deployment: KubeObject,
	track: Omit<Track, 'workload' | 'images' | 'replicas' | 'rollingOut'>,
): Track {
	const {replicas, done} = rolloutProgress(deployment);
	return {
		...track,
		workload: refOf(deployment, kinds.deployment),
		images: imagesOf(deployment),
		replicas,
		rollingOut: !done,
	};
}

/** A JSON Pointer token: `~` and `/` escaped (RFC 6901), for label keys like `cutover.dev/x`. */
export function pointerToken(key: string): string {
	return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * The ReplicaSets `owner` (a Deployment, an Argo Rollout) made, by ownerReference (uid when both
 * say one), newest revision first by the owner's own revision annotation.
 */
export function ownedReplicaSets(
	owner: KubeObject,
	kind: string,
	replicaSets: KindRef,
	snapshot: Snapshot,
	revision: (rs: KubeObject) => number,
): KubeObject[] {
	const namespace = namespaceOf(owner);
	const uid = owner.metadata.uid;
	return snapshot
		.list(replicaSets)
		.filter(
			(rs) =>
				namespaceOf(rs) === namespace &&
				(rs.metadata.ownerReferences ?? []).some(
					(o) =>
						o.kind === kind && o.name === owner.metadata.name && (!uid || !o.uid || o.uid === uid),
				),
		)
		.sort((a, b) => revision(b) - revision(a));
}

/** kubectl rollout restart's annotation on the pod template. */
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';

/**
 * JSON Patch ops that set annotations on a workload's pod template (which rolls its pods, as
 * `kubectl rollout restart` does): added one by one when the template has annotations, else as
 * the whole map (a pointer into a missing object fails).
 */
export function templateAnnotationOps(
	workload: KubeObject,
	values: Record<string, string>,
): Array<Record<string, unknown>> {
	const base = '/spec/template/metadata/annotations';
	if (!workload.spec?.template?.metadata?.annotations)
		return [{op: 'add', path: base, value: values}];
	return Object.entries(values).map(([key, value]) => ({
		op: 'add',
		path: `${base}/${pointerToken(key)}`,
		value,
	}));
}

const revisionAnnotation = 'deployment.kubernetes.io/revision';

/** The ReplicaSets Deployments made (they carry a pod-template-hash), not every ReplicaSet. */
export const deploymentReplicaSets: KindRef = {
	...kinds.replicaSet,
	labelSelector: 'pod-template-hash',
};

/** A Deployment's or its ReplicaSet's revision, as the deployment controller numbers them. */
export function deploymentRevision(object: KubeObject): number {
	return Number(object.metadata.annotations?.[revisionAnnotation] ?? 0);
}
