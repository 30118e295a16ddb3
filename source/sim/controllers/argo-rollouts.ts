/**
 * The sim's Argo Rollouts: it moves Rollouts (argoproj.io/v1alpha1) as argoproj/argo-rollouts'
 * controller does, for what the sim supports: a changed pod template makes a new ReplicaSet
 * (revision + 1, label rollouts-pod-template-hash); a canary walks its steps (setWeight on the
 * nginx canary Ingress or as a replica split, pause with or without a duration), then its
 * ReplicaSet becomes stable; a blueGreen points the preview Service at the new ReplicaSet, waits
 * for promotion when autoPromotionEnabled is false, then switches the active Service. It obeys
 * what the kubectl plugin writes: spec.paused, a cleared status.pauseConditions or a set
 * currentStepIndex (promote), status.promoteFull, status.abort true (abort) and false (retry).
 * Pause durations and scale-down delays are multiplied by the scenario's `settings.argoTimeScale`.
 */
import {recordEvent} from '../events.js';
import {resourceTypes} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {blueGreen} from './argo-bluegreen.js';
import {type CanaryStep, canary} from './argo-canary.js';
import {hashLabel} from './argo-routing.js';
import {
	type Actions,
	hashOf,
	type Pass,
	type RolloutStatus,
	revisionKey,
	revisionOf,
	writeStatus,
} from './argo-status.js';
import {ReplicaSetReconciler} from './replicasets.js';
import {templateHash} from './template-hash.js';

const rollouts = resourceTypes.find((t) => t.plural === 'rollouts')!;
const replicaSets = resourceTypes.find((t) => t.plural === 'replicasets')!;
const pods = resourceTypes.find((t) => t.plural === 'pods')!;

export type ArgoTiming = {
	/** Multiplies pause durations and scale-down delays (1 is real time; tests use 0.01). */
	timeScale: number;
	/** How long a new pod takes to become Ready. */
	podStartSeconds: number;
};

function withoutHash(template: KubeObject['spec']): unknown {
	const copy = structuredClone(template ?? {});
	if (copy.metadata?.labels) delete copy.metadata.labels[hashLabel];
	return copy;
}

export class ArgoRolloutsController {
	private readonly dirty = new Set<string>();
	private readonly reconciler: ReplicaSetReconciler;
	/** Rollouts a scenario brought mid-update: their template's sim hash -> their own pod hash. */
	private readonly adopted = new Map<string, {template: string; pod: string}>();
	private readonly seen = new Set<string>();
	/** Per Rollout uid: the step index the controller paused at, and when (ms). */
	private readonly pausedAt = new Map<string, {index: number; at: number}>();
	/** Per ReplicaSet uid: when it is to be scaled to zero (ms). */
	private readonly scaleDownAt = new Map<string, number>();
	private timer: NodeJS.Timeout | undefined;
	private unsubscribe: Array<() => void> = [];
	private readonly actions: Actions;

	constructor(
		private readonly store: Store,
		private readonly timing: ArgoTiming,
		readyDelayFor: (image: string) => number | undefined = () => undefined,
		private readonly tickMs = 50,
	) {
		this.reconciler = new ReplicaSetReconciler(
			store,
			{hashLabel, scaled: (owner, name, from, to) => this.scaled(owner, name, from, to)},
			readyDelayFor,
		);
		this.actions = {
			store,
			timeScale: timing.timeScale,
			pausedAt: this.pausedAt,
			event: (ro, reason, message) => this.event(ro, reason, message),
			scaleNow: (p, rs, replicas) => this.scaleNow(p, rs, replicas),
			scaleDownLater: (p, rs, seconds) => this.scaleDownLater(p, rs, seconds),
			fresh: (rs) => this.fresh(rs),
			byHash: (p, hash) => (hash ? p.sets.find((rs) => hashOf(rs) === hash) : undefined),
			readyPods: (rs) => this.reconciler.readyPods(rs),
		};
	}

	start(): void {
		const markRollout = (_: string, object: KubeObject) =>
			this.dirty.add(`${object.metadata.namespace}/${object.metadata.name}`);
		const markOwner = (_: string, object: KubeObject) => {
			for (const ref of object.metadata.ownerReferences ?? []) {
				if (ref.kind !== 'Rollout' && ref.kind !== 'ReplicaSet') continue;
				const owner = this.store
					.peek(ref.kind === 'Rollout' ? rollouts : replicaSets, {
						namespace: object.metadata.namespace,
					})
					.find((o) => o.metadata.uid === ref.uid);
				if (owner) (ref.kind === 'Rollout' ? markRollout : markOwner)('', owner);
			}
		};
		this.unsubscribe = [
			this.store.watch(rollouts, undefined, {}, markRollout),
			this.store.watch(replicaSets, this.store.resourceVersion, {}, markOwner),
			this.store.watch(pods, this.store.resourceVersion, {}, markOwner),
		];
		this.reconcileDirty(true);
		this.timer = setInterval(() => this.reconcileDirty(false), this.tickMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		for (const unsubscribe of this.unsubscribe) unsubscribe();
		this.unsubscribe = [];
	}

	private reconcileDirty(initial: boolean): void {
		const keys = [...this.dirty];
		this.dirty.clear();
		for (const key of keys) {
			const [namespace, name] = key.split('/') as [string, string];
			const rollout = this.store.find(rollouts, namespace, name);
			if (!rollout) continue;
			try {
				if (!this.reconcile(structuredClone(rollout), initial)) this.dirty.add(key);
			} catch {
				// A write raced by a client: again on the next tick, as a real controller requeues.
				this.dirty.add(key);
			}
		}
	}

	/**
	 * A Rollout found mid-update (the seed's) keeps the pod hash its status and ReplicaSets carry:
	 * the sim's template hash is not Argo's, and its template is that hash's until it changes.
	 */
	private adopt(ro: KubeObject, sets: KubeObject[]): void {
		const pod: string | undefined = ro.status?.currentPodHash;
		if (!pod || !sets.some((rs) => hashOf(rs) === pod)) return;
		this.adopted.set(ro.metadata.uid!, {template: templateHash(ro.spec?.template), pod});
		if (ro.status?.controllerPause && ro.status.currentStepIndex !== undefined) {
			const started = Date.parse(ro.status.pauseConditions?.[0]?.startTime ?? '');
			this.pausedAt.set(ro.metadata.uid!, {
				index: ro.status.currentStepIndex,
				at: Number.isNaN(started) ? Date.now() : started,
			});
		}
	}

	/** The pod-template-hash of the Rollout's template: an existing ReplicaSet's, else a new one. */
	private podHash(ro: KubeObject, sets: KubeObject[]): string {
		const hash = templateHash(ro.spec?.template);
		if (sets.some((rs) => hashOf(rs) === hash)) return hash;
		// An undo sends back an old ReplicaSet's template (minus its hash label).
		const same = sets.find((rs) => templateHash(withoutHash(rs.spec?.template)) === hash);
		if (same) return hashOf(same)!;
		const adopted = this.adopted.get(ro.metadata.uid!);
		return adopted?.template === hash ? adopted.pod : hash;
	}

	/** One pass over a Rollout; true when it has settled (nothing left to wait for). */
	private reconcile(ro: KubeObject, initial: boolean): boolean {
		const strategy = ro.spec?.strategy;
		if (!strategy?.canary && !strategy?.blueGreen) return true;
		const uid = ro.metadata.uid!;
		let sets = this.reconciler.ownedBy(ro);
		if (!this.seen.has(uid)) {
			this.seen.add(uid);
			this.adopt(ro, sets);
		}
		const desired: number = ro.spec?.replicas ?? 1;
		const status: RolloutStatus = structuredClone(ro.status ?? {});
		const hash = this.podHash(ro, sets);
		let current = sets.find((rs) => hashOf(rs) === hash);
		const maxRevision = Math.max(0, ...sets.map(revisionOf));
		if (!current) {
			current = this.reconciler.create(ro, hash, status.stableRS ? 0 : desired, {
				[revisionKey]: String(maxRevision + 1),
				'rollout.argoproj.io/desired-replicas': String(desired),
			});
			sets = [...sets, current];
		} else if (revisionOf(current) < maxRevision && status.currentPodHash !== hash) {
			// An older template again: its ReplicaSet becomes the newest revision.
			current = this.store.update(replicaSets, current.metadata.namespace, current.metadata.name!, {
				...current,
				metadata: {
					...current.metadata,
					annotations: {...current.metadata.annotations, [revisionKey]: String(maxRevision + 1)},
				},
			});
		}
		this.annotateRevision(ro, revisionOf(current));
		const steps: unknown[] = strategy.canary?.steps ?? [];
		if (status.currentPodHash !== hash) {
			status.currentPodHash = hash;
			if (!status.stableRS) status.stableRS = hash;
			for (const field of [
				'pauseConditions',
				'controllerPause',
				'abort',
				'abortedAt',
				'promoteFull',
			])
				delete status[field];
			this.pausedAt.delete(uid);
			if (strategy.canary && steps.length > 0)
				status.currentStepIndex = hash === status.stableRS ? steps.length : 0;
			recordEvent(
				this.store,
				ro,
				'Normal',
				'RolloutUpdated',
				`Rollout updated to revision ${revisionOf(current)}`,
				'rollouts-controller',
			);
		}
		const pass: Pass = {ro, status, sets, current, hash, desired, settled: true};
		if (strategy.canary) canary(this.actions, pass, steps as CanaryStep[]);
		else blueGreen(this.actions, pass);

		let settled = pass.settled;
		const delayMs = this.timing.podStartSeconds * 1000;
		for (const rs of this.reconciler.ownedBy(ro))
			settled = this.reconciler.reconcilePods(rs, initial ? 0 : delayMs) && settled;
		sets = this.reconciler.ownedBy(ro);
		const now = sets.find((rs) => hashOf(rs) === hash);
		const available = strategy.blueGreen
			? (sets.find((rs) => hashOf(rs) === status.blueGreen?.activeSelector)?.status
					?.availableReplicas ?? 0)
			: sets.reduce((sum, rs) => sum + (rs.status?.availableReplicas ?? 0), 0);
		writeStatus(this.store, ro, status, {sets, current: now, available});
		this.pruneHistory(ro, sets, status);
		return settled;
	}

	private annotateRevision(ro: KubeObject, revision: number): void {
		const fresh = this.store.find(rollouts, ro.metadata.namespace, ro.metadata.name!);
		if (!fresh || fresh.metadata.annotations?.[revisionKey] === String(revision)) return;
		this.store.update(rollouts, fresh.metadata.namespace, fresh.metadata.name!, {
			...fresh,
			metadata: {
				...fresh.metadata,
				annotations: {...fresh.metadata.annotations, [revisionKey]: String(revision)},
			},
		});
	}

	private scaled(ro: KubeObject, replicaSet: string, from: number, to: number): void {
		const rs = this.store.find(replicaSets, ro.metadata.namespace, replicaSet);
		recordEvent(
			this.store,
			ro,
			'Normal',
			'ScalingReplicaSet',
			`Scaled ${to > from ? 'up' : 'down'} ReplicaSet ${replicaSet} (revision ${revisionOf(rs)}) from ${from} to ${to}`,
			'rollouts-controller',
		);
	}

	private event(ro: KubeObject, reason: string, message: string): void {
		recordEvent(this.store, ro, 'Normal', reason, message, 'rollouts-controller');
	}

	private scaleNow(p: Pass, rs: KubeObject | undefined, replicas: number): void {
		if (!rs) return;
		this.scaleDownAt.delete(rs.metadata.uid!);
		this.reconciler.scale(p.ro, this.fresh(rs), replicas);
	}

	private scaleDownLater(p: Pass, rs: KubeObject, seconds: number): void {
		if ((rs.spec?.replicas ?? 0) === 0) return;
		const uid = rs.metadata.uid!;
		const now = Date.now();
		if (!this.scaleDownAt.has(uid))
			this.scaleDownAt.set(uid, now + seconds * 1000 * this.timing.timeScale);
		if (now < this.scaleDownAt.get(uid)!) {
			p.settled = false;
			return;
		}
		this.scaleDownAt.delete(uid);
		this.reconciler.scale(p.ro, this.fresh(rs), 0);
	}

	private fresh(rs: KubeObject): KubeObject {
		return this.store.find(replicaSets, rs.metadata.namespace, rs.metadata.name!) ?? rs;
	}

	private pruneHistory(ro: KubeObject, sets: KubeObject[], status: RolloutStatus): void {
		const limit: number = ro.spec?.revisionHistoryLimit ?? 10;
		const idle = sets
			.filter(
				(rs) =>
					hashOf(rs) !== status.currentPodHash &&
					hashOf(rs) !== status.stableRS &&
					(rs.spec?.replicas ?? 0) === 0 &&
					(rs.status?.replicas ?? 0) === 0,
			)
			.sort((a, b) => revisionOf(a) - revisionOf(b));
		for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
			this.store.delete(replicaSets, rs.metadata.namespace, rs.metadata.name!);
	}
}
