import {isDeepStrictEqual} from 'node:util';
import {recordEvent} from '../events.js';
import {resourceTypes} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {timestamp} from '../store.js';
import {ReplicaSetReconciler} from './replicasets.js';
import {templateHash} from './template-hash.js';

const deployments = resourceTypes.find((t) => t.plural === 'deployments')!;
const replicaSets = resourceTypes.find((t) => t.plural === 'replicasets')!;
const pods = resourceTypes.find((t) => t.plural === 'pods')!;

const revisionKey = 'deployment.kubernetes.io/revision';
const hashLabel = 'pod-template-hash';

export type DeploymentTiming = {
	/** About how long a changed template takes to roll all pods. */
	rolloutSeconds: number;
	/** How long a pod created outside a rollout takes to become Ready. */
	podStartSeconds: number;
};

function revisionOf(replicaSet: KubeObject): number {
	return Number(replicaSet.metadata.annotations?.[revisionKey] ?? 0);
}

/**
 * The sim's Deployment controller: ReplicaSets per pod template (with revision annotations),
 * a rolling update one surge pod at a time, and the status fields and conditions
 * `kubectl rollout status` reads. The ReplicaSets' pods are the ReplicaSetReconciler's.
 */
export class DeploymentController {
	private readonly dirty = new Set<string>();
	private readonly reconciler: ReplicaSetReconciler;
	private timer: NodeJS.Timeout | undefined;
	private unsubscribe: Array<() => void> = [];

	constructor(
		private readonly store: Store,
		private readonly timing: DeploymentTiming,
		/** Per image: how long its pods take to become Ready, when it differs from the timing. */
		readyDelayFor: (image: string) => number | undefined = () => undefined,
		private readonly tickMs = 100,
	) {
		this.reconciler = new ReplicaSetReconciler(
			store,
			{hashLabel, scaled: (owner, name, from, to) => this.scaled(owner, name, from, to)},
			readyDelayFor,
		);
	}

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
		let sets = this.reconciler.ownedBy(deployment);
		let current = sets.find((rs) => rs.metadata.labels?.[hashLabel] === hash);
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
			sets = this.reconciler.ownedBy(deployment);
			current = sets.find((rs) => rs.metadata.labels?.[hashLabel] === hash);
		}
		let settled = true;
		const delayMs =
			old().length > 0
				? (this.timing.rolloutSeconds * 1000) / Math.max(desired, 1)
				: this.timing.podStartSeconds * 1000;
		for (const rs of sets)
			settled = this.reconciler.reconcilePods(rs, initial ? 0 : delayMs) && settled;
		sets = this.reconciler.ownedBy(deployment);
		current = sets.find((rs) => rs.metadata.labels?.[hashLabel] === hash);
		this.writeStatus(deployment, sets, current, desired, initial);
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
		return this.reconciler.create(deployment, hash, replicas, {
			[revisionKey]: String(revision),
			'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
			'deployment.kubernetes.io/max-replicas': String((deployment.spec.replicas ?? 1) + 1),
		});
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
		if (currentReplicas > desired) this.reconciler.scale(deployment, current, desired);
		else if (currentReplicas < desired) {
			const room = desired + maxSurge - currentReplicas - oldTotal;
			if (room > 0)
				this.reconciler.scale(deployment, current, Math.min(desired, currentReplicas + room));
		}
		const readyNew = this.reconciler.readyPods(current).length;
		const readyOld = old.reduce((sum, rs) => sum + this.reconciler.readyPods(rs).length, 0);
		// Scale old ReplicaSets down only as far as availability allows.
		let canRemove = Math.max(0, readyNew + readyOld - (desired - maxUnavailable));
		for (const rs of [...old].sort((a, b) => revisionOf(a) - revisionOf(b))) {
			if (canRemove <= 0) break;
			const replicas: number = rs.spec?.replicas ?? 0;
			const cut = Math.min(replicas, canRemove);
			this.reconciler.scale(deployment, rs, replicas - cut);
			canRemove -= cut;
		}
	}

	private writeStatus(
		deployment: KubeObject,
		sets: KubeObject[],
		current: KubeObject | undefined,
		desired: number,
		/** The scenario's world, loaded steady: its conditions date from the Deployment's creation. */
		initial = false,
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
		const condition = (
			type: string,
			status: string,
			reason: string,
			message: string,
			touched = false,
		) => {
			const before = previous.find((c) => c.type === type);
			const now = (initial && fresh.metadata.creationTimestamp) || timestamp();
			const same =
				before &&
				before.status === status &&
				before.reason === reason &&
				before.message === message;
			return {
				type,
				status,
				// Progress made is an update, as the real controller stamps it.
				lastUpdateTime: same && !touched ? before.lastUpdateTime : now,
				lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
				reason,
				message,
			};
		};
		const rsName = current?.metadata.name ?? '';
		// As the real controller: Progressing turns False (ProgressDeadlineExceeded) when the new
		// ReplicaSet has made no progress for spec.progressDeadlineSeconds (default 600).
		const progressed =
			fresh.status?.updatedReplicas !== updated || fresh.status?.readyReplicas !== ready;
		const deadlineMs = Number(fresh.spec?.progressDeadlineSeconds ?? 600) * 1000;
		const last = previous.find((c) => c.type === 'Progressing');
		const stalledSince = progressed ? Date.now() : Date.parse(last?.lastUpdateTime ?? '');
		const timedOut =
			!complete &&
			!fresh.spec.paused &&
			(last?.reason === 'ProgressDeadlineExceeded' ||
				(!progressed && !Number.isNaN(stalledSince) && Date.now() - stalledSince > deadlineMs));
		const progressing = () =>
			timedOut
				? condition(
						'Progressing',
						'False',
						'ProgressDeadlineExceeded',
						`ReplicaSet "${rsName}" has timed out progressing.`,
					)
				: condition(
						'Progressing',
						'True',
						'ReplicaSetUpdated',
						`ReplicaSet "${rsName}" is progressing.`,
						progressed,
					);
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
					: progressing(),
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
