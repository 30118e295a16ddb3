import {isDeepStrictEqual} from 'node:util';
import {resourceTypes} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {allocatePodIp} from './pod-network.js';
import {podFor, podImages, podReady, readied} from './pods.js';

const replicaSets = resourceTypes.find((t) => t.plural === 'replicasets')!;
const pods = resourceTypes.find((t) => t.plural === 'pods')!;

/**
 * What differs between owners of ReplicaSets: a Deployment labels them `pod-template-hash` and
 * tells of scaling as the deployment-controller; an Argo Rollout has its own label and wording.
 */
export type ReplicaSetOwnership = {
	/** The label carrying the template hash on the ReplicaSets, their selectors and their pods. */
	hashLabel: string;
	/** Tells of one of the owner's ReplicaSets scaled (the owner's Event). */
	scaled(owner: KubeObject, replicaSet: string, from: number, to: number): void;
};

function owned(objects: KubeObject[], owner: KubeObject): KubeObject[] {
	return objects.filter((object) =>
		object.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid),
	);
}

function ownerRef(owner: KubeObject) {
	return {
		apiVersion: owner.apiVersion!,
		kind: owner.kind!,
		name: owner.metadata.name!,
		uid: owner.metadata.uid!,
		controller: true,
		blockOwnerDeletion: true,
	};
}

/**
 * The ReplicaSets of an owner's pod template and their Pods: created, scaled, and readied after a
 * delay. The owner's controller decides the replica counts (its rollout strategy); this does the rest.
 */
export class ReplicaSetReconciler {
	/** When each starting pod (by uid) becomes Ready. */
	private readonly readyAt = new Map<string, number>();

	constructor(
		private readonly store: Store,
		private readonly ownership: ReplicaSetOwnership,
		/** Per image: how long its pods take to become Ready, when it differs from the delay given. */
		private readonly readyDelayFor: (image: string) => number | undefined = () => undefined,
	) {}

	ownedBy(owner: KubeObject): KubeObject[] {
		return owned(this.store.peek(replicaSets, {namespace: owner.metadata.namespace}), owner);
	}

	/** A ReplicaSet for the owner's current template, named and labelled by its hash. */
	create(
		owner: KubeObject,
		hash: string,
		replicas: number,
		annotations: Record<string, string>,
	): KubeObject {
		const {hashLabel} = this.ownership;
		const template = structuredClone(owner.spec.template);
		template.metadata = {
			...template.metadata,
			labels: {...template.metadata?.labels, [hashLabel]: hash},
		};
		const name = `${owner.metadata.name}-${hash}`;
		const created = this.store.create(replicaSets, owner.metadata.namespace, {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			metadata: {
				name,
				namespace: owner.metadata.namespace,
				labels: template.metadata.labels,
				annotations,
				ownerReferences: [ownerRef(owner)],
			},
			spec: {
				replicas,
				selector: {
					matchLabels: {...owner.spec.selector?.matchLabels, [hashLabel]: hash},
				},
				template,
			},
		});
		if (replicas > 0) this.ownership.scaled(owner, name, 0, replicas);
		return created;
	}

	scale(owner: KubeObject, rs: KubeObject, replicas: number): void {
		const from = rs.spec?.replicas ?? 0;
		if (from === replicas) return;
		this.store.update(replicaSets, rs.metadata.namespace, rs.metadata.name!, {
			...rs,
			spec: {...rs.spec, replicas},
		});
		this.ownership.scaled(owner, rs.metadata.name!, from, replicas);
	}

	private podsOf(rs: KubeObject): KubeObject[] {
		return owned(this.store.peek(pods, {namespace: rs.metadata.namespace}), rs);
	}

	readyPods(rs: KubeObject): KubeObject[] {
		return this.podsOf(rs).filter(podReady);
	}

	/** Creates and deletes pods to match the ReplicaSet, readies them in time; true when settled. */
	reconcilePods(rs: KubeObject, delayMs: number): boolean {
		const want: number = rs.spec?.replicas ?? 0;
		let have = this.podsOf(rs);
		for (let i = have.length; i < want; i++) {
			const pod = this.store.create(
				pods,
				rs.metadata.namespace,
				podFor(rs, allocatePodIp(this.store)),
			);
			const own = Math.max(
				0,
				...podImages(pod).map((image) => (this.readyDelayFor(image) ?? 0) * 1000),
			);
			this.readyAt.set(pod.metadata.uid!, Date.now() + Math.max(delayMs, own));
		}
		if (have.length > want) {
			const doomed = [...have]
				.sort((a, b) => Number(podReady(a)) - Number(podReady(b)))
				.slice(0, have.length - want);
			for (const pod of doomed) {
				this.store.delete(pods, pod.metadata.namespace, pod.metadata.name!);
				this.readyAt.delete(pod.metadata.uid!);
			}
		}
		have = this.podsOf(rs);
		let settled = true;
		for (const pod of have) {
			if (podReady(pod)) continue;
			const at = this.readyAt.get(pod.metadata.uid!) ?? 0;
			if (at > Date.now()) {
				settled = false;
				continue;
			}
			this.store.update(pods, pod.metadata.namespace, pod.metadata.name!, readied(pod), {
				subresource: 'status',
			});
			this.readyAt.delete(pod.metadata.uid!);
		}
		// Count the pods as they are now, readied ones included (a loaded world starts steady).
		have = this.podsOf(rs);
		const ready = have.filter(podReady).length;
		const status = {
			replicas: have.length,
			fullyLabeledReplicas: have.length,
			readyReplicas: ready,
			availableReplicas: ready,
			observedGeneration: rs.metadata.generation,
		};
		const fresh = this.store.find(replicaSets, rs.metadata.namespace, rs.metadata.name!);
		if (fresh && !isDeepStrictEqual(fresh.status, status)) {
			this.store.update(
				replicaSets,
				rs.metadata.namespace,
				rs.metadata.name!,
				{...fresh, status},
				{subresource: 'status'},
			);
		}
		return settled;
	}
}
