import {isDeepStrictEqual} from 'node:util';
import {recordEvent} from '../events.js';
import {resourceTypes} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {timestamp} from '../store.js';
import {podFor, podImages, podReady, readied} from './pods.js';
import {templateHash} from './template-hash.js';

const deployments = resourceTypes.find((t) => t.plural === 'deployments')!;
const replicaSets = resourceTypes.find((t) => t.plural === 'replicasets')!;
const pods = resourceTypes.find((t) => t.plural === 'pods')!;

const revisionKey = 'deployment.kubernetes.io/revision';

export type DeploymentTiming = {
	/** About how long a changed template takes to roll all pods. */
	rolloutSeconds: number;
	/** How long a pod created outside a rollout takes to become Ready. */
	podStartSeconds: number;
};

function owned(objects: KubeObject[], owner: KubeObject): KubeObject[] {
	return objects.filter((object) =>
		object.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid),
	);
}

function revisionOf(replicaSet: KubeObject): number {
	return Number(replicaSet.metadata.annotations?.[revisionKey] ?? 0);
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
 * The sim's Deployment controller: ReplicaSets per pod template (with revision annotations),
 * a rolling update one surge pod at a time, Pods that become Ready after a delay, and the status
 * fields and conditions `kubectl rollout status` reads.
 */
export class DeploymentController {
	private readonly dirty = new Set<string>();
	/** When each starting pod (by uid) becomes Ready. */
	private readonly readyAt = new Map<string, number>();
	private timer: NodeJS.Timeout | undefined;
	private unsubscribe: Array<() => void> = [];

	constructor(
		private readonly store: Store,
		private readonly timing: DeploymentTiming,
		/** Per image: how long its pods take to become Ready, when it differs from the timing. */
		private readonly readyDelayFor: (image: string) => number | undefined = () => undefined,
		private readonly tickMs = 100,
	) {}

	start(): void {
		const markDeployment = (_: string, object: KubeObject) =>
			this.dirty.add(`${object.metadata.namespace}/${object.metadata.name}`);
		const markOwner = (_: string, object: KubeObject) => {
			for (const ref of object.metadata.ownerReferences ?? []) {
				const owner = this.store
					.peek(ref.kind === 'Deployment' ? deployments : replicaSets, {
						namespace: object.metadata.namespace,
					})
					.find((o) => o.metadata.uid === ref.uid);
				if (owner) (ref.kind === 'Deployment' ? markDeployment : markOwner)('', owner);
			}
		};
		this.unsubscribe = [
			this.store.watch(deployments, undefined, {}, markDeployment),
			this.store.watch(replicaSets, this.store.resourceVersion, {}, markOwner),
			this.store.watch(pods, this.store.resourceVersion, {}, markOwner),
		];
		// The world a scenario loads is steady: its pods start Ready.
		this.reconcileDirty(true);
		this.timer = setInterval(() => this.reconcileDirty(false), this.tickMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		for (const unsubscribe of this.unsubscribe) unsubscribe();
	}

	private reconcileDirty(initial: boolean): void {
		const keys = [...this.dirty];
		this.dirty.clear();
		for (const key of keys) {
			const [namespace, name] = key.split('/') as [string, string];
			const deployment = this.store.find(deployments, namespace, name);
			if (!deployment) continue;
			try {
				if (!this.reconcile(deployment, initial)) this.dirty.add(key);
			} catch {
				// A write raced by a client: try again on the next tick, as a real controller requeues.
				this.dirty.add(key);
			}
		}
	}

	/** One pass over a Deployment; returns true when it has settled (nothing left to wait for). */
	private reconcile(deployment: KubeObject, initial: boolean): boolean {
		const namespace = deployment.metadata.namespace!;
		const desired: number = deployment.spec?.replicas ?? 1;
		const hash = templateHash(deployment.spec.template);
		let sets = owned(this.store.peek(replicaSets, {namespace}), deployment);
		let current = sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
		const maxRevision = Math.max(0, ...sets.map(revisionOf));
		const old = () => sets.filter((rs) => rs !== current && (rs.spec?.replicas ?? 0) > 0);
		if (!deployment.spec.paused) {
			if (!current) {
				current = this.createReplicaSet(
					deployment,
					hash,
					maxRevision + 1,
					old().length === 0 ? desired : 0,
				);
				sets = [...sets, current];
			} else if (revisionOf(current) < maxRevision) {
				// Rolling back to an older template makes its ReplicaSet the newest revision again.
				current = this.store.update(replicaSets, namespace, current.metadata.name!, {
					...current,
					metadata: {
						...current.metadata,
						annotations: {...current.metadata.annotations, [revisionKey]: String(maxRevision + 1)},
					},
				});
				sets = sets.map((rs) => (rs.metadata.uid === current!.metadata.uid ? current! : rs));
			}
			this.annotateRevision(deployment, revisionOf(current));
			this.roll(deployment, current, old(), desired);
			sets = owned(this.store.peek(replicaSets, {namespace}), deployment);
			current = sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
		}
		let settled = true;
		const delayMs =
			old().length > 0
				? (this.timing.rolloutSeconds * 1000) / Math.max(desired, 1)
				: this.timing.podStartSeconds * 1000;
		for (const rs of sets) settled = this.reconcilePods(rs, initial ? 0 : delayMs) && settled;
		sets = owned(this.store.peek(replicaSets, {namespace}), deployment);
		current = sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
		this.writeStatus(deployment, sets, current, desired);
		this.pruneHistory(deployment, sets, current);
		const done =
			current !== undefined &&
			(current.status?.readyReplicas ?? 0) === desired &&
			old().length === 0;
		return settled && (done || Boolean(deployment.spec.paused));
	}

	/** The Deployment carries its newest revision, as kubectl rollout undo expects. */
	private annotateRevision(deployment: KubeObject, revision: number): void {
		const fresh = this.store.find(
			deployments,
			deployment.metadata.namespace,
			deployment.metadata.name!,
		);
		if (!fresh || fresh.metadata.annotations?.[revisionKey] === String(revision)) return;
		this.store.update(deployments, fresh.metadata.namespace, fresh.metadata.name!, {
			...fresh,
			metadata: {
				...fresh.metadata,
				annotations: {...fresh.metadata.annotations, [revisionKey]: String(revision)},
			},
		});
	}

	private createReplicaSet(
		deployment: KubeObject,
		hash: string,
		revision: number,
		replicas: number,
	): KubeObject {
		const template = structuredClone(deployment.spec.template);
		template.metadata = {
			...template.metadata,
			labels: {...template.metadata?.labels, 'pod-template-hash': hash},
		};
		const name = `${deployment.metadata.name}-${hash}`;
		const created = this.store.create(replicaSets, deployment.metadata.namespace, {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			metadata: {
				name,
				namespace: deployment.metadata.namespace,
				labels: template.metadata.labels,
				annotations: {
					[revisionKey]: String(revision),
					'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
					'deployment.kubernetes.io/max-replicas': String((deployment.spec.replicas ?? 1) + 1),
				},
				ownerReferences: [ownerRef(deployment)],
			},
			spec: {
				replicas,
				selector: {
					matchLabels: {...deployment.spec.selector?.matchLabels, 'pod-template-hash': hash},
				},
				template,
			},
		});
		if (replicas > 0) this.scaled(deployment, name, 0, replicas);
		return created;
	}

	private scaled(deployment: KubeObject, replicaSet: string, from: number, to: number): void {
		const direction = to > from ? 'up' : 'down';
		recordEvent(
			this.store,
			deployment,
			'Normal',
			'ScalingReplicaSet',
			`Scaled ${direction} replica set ${replicaSet} from ${from} to ${to}`,
			'deployment-controller',
		);
	}

	private setReplicas(deployment: KubeObject, rs: KubeObject, replicas: number): void {
		const from = rs.spec?.replicas ?? 0;
		if (from === replicas) return;
		this.store.update(replicaSets, rs.metadata.namespace, rs.metadata.name!, {
			...rs,
			spec: {...rs.spec, replicas},
		});
		this.scaled(deployment, rs.metadata.name!, from, replicas);
	}

	/** A rolling update with Kubernetes' defaults (25 % surge rounded up, 25 % unavailable rounded down). */
	private roll(
		deployment: KubeObject,
		current: KubeObject,
		old: KubeObject[],
		desired: number,
	): void {
		const maxSurge = Math.max(1, Math.ceil(desired * 0.25));
		const maxUnavailable = old.length > 0 ? Math.floor(desired * 0.25) : desired;
		const oldTotal = old.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0);
		const currentReplicas: number = current.spec?.replicas ?? 0;
		if (currentReplicas > desired) this.setReplicas(deployment, current, desired);
		else if (currentReplicas < desired) {
			const room = desired + maxSurge - currentReplicas - oldTotal;
			if (room > 0)
				this.setReplicas(deployment, current, Math.min(desired, currentReplicas + room));
		}
		const readyNew = this.readyPods(current).length;
		const readyOld = old.reduce((sum, rs) => sum + this.readyPods(rs).length, 0);
		// Scale old ReplicaSets down only as far as availability allows.
		let canRemove = Math.max(0, readyNew + readyOld - (desired - maxUnavailable));
		for (const rs of [...old].sort((a, b) => revisionOf(a) - revisionOf(b))) {
			if (canRemove <= 0) break;
			const replicas: number = rs.spec?.replicas ?? 0;
			const cut = Math.min(replicas, canRemove);
			this.setReplicas(deployment, rs, replicas - cut);
			canRemove -= cut;
		}
	}

	private podsOf(rs: KubeObject): KubeObject[] {
		return owned(this.store.peek(pods, {namespace: rs.metadata.namespace}), rs);
	}

	private readyPods(rs: KubeObject): KubeObject[] {
		return this.podsOf(rs).filter(podReady);
	}

	/** Creates and deletes pods to match the ReplicaSet, readies them in time; true when settled. */
	private reconcilePods(rs: KubeObject, delayMs: number): boolean {
		const want: number = rs.spec?.replicas ?? 0;
		let have = this.podsOf(rs);
		for (let i = have.length; i < want; i++) {
			const pod = this.store.create(pods, rs.metadata.namespace, podFor(rs));
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

	private writeStatus(
		deployment: KubeObject,
		sets: KubeObject[],
		current: KubeObject | undefined,
		desired: number,
	): void {
		const fresh = this.store.find(
			deployments,
			deployment.metadata.namespace,
			deployment.metadata.name!,
		);
		if (!fresh) return;
		const total = sets.reduce((sum, rs) => sum + (rs.status?.replicas ?? 0), 0);
		const ready = sets.reduce((sum, rs) => sum + (rs.status?.readyReplicas ?? 0), 0);
		const updated: number = current?.status?.replicas ?? 0;
		const updatedReady: number = current?.status?.readyReplicas ?? 0;
		const complete =
			current !== undefined && updated === desired && updatedReady === desired && total === desired;
		const maxUnavailable = Math.floor(desired * 0.25);
		const previous: Array<Record<string, string>> = fresh.status?.conditions ?? [];
		const condition = (type: string, status: string, reason: string, message: string) => {
			const before = previous.find((c) => c.type === type);
			const now = timestamp();
			const same =
				before &&
				before.status === status &&
				before.reason === reason &&
				before.message === message;
			return {
				type,
				status,
				lastUpdateTime: same ? before.lastUpdateTime : now,
				lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
				reason,
				message,
			};
		};
		const rsName = current?.metadata.name ?? '';
		const conditions = [
			ready >= desired - maxUnavailable
				? condition(
						'Available',
						'True',
						'MinimumReplicasAvailable',
						'Deployment has minimum availability.',
					)
				: condition(
						'Available',
						'False',
						'MinimumReplicasUnavailable',
						'Deployment does not have minimum availability.',
					),
			fresh.spec.paused
				? condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused')
				: complete
					? condition(
							'Progressing',
							'True',
							'NewReplicaSetAvailable',
							`ReplicaSet "${rsName}" has successfully progressed.`,
						)
					: condition(
							'Progressing',
							'True',
							'ReplicaSetUpdated',
							`ReplicaSet "${rsName}" is progressing.`,
						),
		];
		const status = {
			observedGeneration: fresh.metadata.generation,
			replicas: total,
			updatedReplicas: updated,
			readyReplicas: ready,
			availableReplicas: ready,
			...(desired - ready > 0 ? {unavailableReplicas: desired - ready} : {}),
			conditions,
		};
		if (!isDeepStrictEqual(fresh.status, status)) {
			this.store.update(
				deployments,
				fresh.metadata.namespace,
				fresh.metadata.name!,
				{...fresh, status},
				{subresource: 'status'},
			);
		}
	}

	private pruneHistory(
		deployment: KubeObject,
		sets: KubeObject[],
		current: KubeObject | undefined,
	): void {
		const limit: number = deployment.spec?.revisionHistoryLimit ?? 10;
		const idle = sets
			.filter(
				(rs) =>
					rs !== current && (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0,
			)
			.sort((a, b) => revisionOf(a) - revisionOf(b));
		for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
			this.store.delete(replicaSets, rs.metadata.namespace, rs.metadata.name!);
		}
	}
}
