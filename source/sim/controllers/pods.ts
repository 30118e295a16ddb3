import {randomInt} from 'node:crypto';
import {type KubeObject, timestamp} from '../store.js';
import {simNode} from './pod-network.js';

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
/** The API server's generated names: at most 58 characters of the base, then 5 random ones. */
const maxGeneratedBase = 58;

function suffix(): string {
	return Array.from({length: 5}, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function podReady(pod: KubeObject): boolean {
	return (pod.status?.conditions ?? []).some(
		(c: {type: string; status: string}) => c.type === 'Ready' && c.status === 'True',
	);
}

export function podImages(pod: KubeObject): string[] {
	return (pod.spec?.containers ?? []).map((c: {image: string}) => c.image);
}

/**
 * What the kubelet reports of a pod it has just taken: Pending, its sandbox up (an IP), its
 * containers being created, not Ready.
 */
export function pendingStatus(spec: KubeObject['spec'], podIP: string) {
	const now = timestamp();
	const containers: Array<{name: string; image: string}> = spec?.containers ?? [];
	return {
		phase: 'Pending',
		hostIP: simNode.ip,
		hostIPs: [{ip: simNode.ip}],
		podIP,
		podIPs: [{ip: podIP}],
		startTime: now,
		conditions: [
			{type: 'PodScheduled', status: 'True', lastTransitionTime: now},
			{type: 'Initialized', status: 'True', lastTransitionTime: now},
			{
				type: 'ContainersReady',
				status: 'False',
				reason: 'ContainersNotReady',
				message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`,
				lastTransitionTime: now,
			},
			{
				type: 'Ready',
				status: 'False',
				reason: 'ContainersNotReady',
				message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`,
				lastTransitionTime: now,
			},
		],
		containerStatuses: containers.map((c) => ({
			name: c.name,
			image: c.image,
			imageID: '',
			ready: false,
			started: false,
			restartCount: 0,
			state: {waiting: {reason: 'ContainerCreating'}},
		})),
	};
}

/** A new Pod of a ReplicaSet, scheduled and starting (with the IP given), not yet Ready. */
export function podFor(rs: KubeObject, podIP: string): KubeObject {
	const template = rs.spec.template;
	const spec = {...structuredClone(template.spec), nodeName: simNode.name};
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			// The ReplicaSet controller asks for generateName `<rs>-`; the API server keeps 58 characters of it.
			name: `${`${rs.metadata.name}-`.slice(0, maxGeneratedBase)}${suffix()}`,
			namespace: rs.metadata.namespace,
			labels: {...template.metadata?.labels},
			...(template.metadata?.annotations ? {annotations: {...template.metadata.annotations}} : {}),
			ownerReferences: [
				{
					apiVersion: 'apps/v1',
					kind: 'ReplicaSet',
					name: rs.metadata.name!,
					uid: rs.metadata.uid!,
					controller: true,
					blockOwnerDeletion: true,
				},
			],
		},
		spec,
		status: pendingStatus(spec, podIP),
	};
}

/** The same Pod, Running with every container Ready. */
export function readied(pod: KubeObject): KubeObject {
	const now = timestamp();
	return {
		...pod,
		status: {
			...pod.status,
			phase: 'Running',
			conditions: [
				{type: 'PodScheduled', status: 'True', lastTransitionTime: pod.status?.startTime ?? now},
				{type: 'Initialized', status: 'True', lastTransitionTime: pod.status?.startTime ?? now},
				{type: 'ContainersReady', status: 'True', lastTransitionTime: now},
				{type: 'Ready', status: 'True', lastTransitionTime: now},
			],
			containerStatuses: (pod.spec?.containers ?? []).map((c: {name: string; image: string}) => ({
				name: c.name,
				image: c.image,
				imageID: `docker.io/library/${c.image}@sha256:${'0'.repeat(64)}`,
				ready: true,
				started: true,
				restartCount: 0,
				state: {running: {startedAt: now}},
			})),
		},
	};
}
