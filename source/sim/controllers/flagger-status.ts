/**
 * The writes of the sim's Flagger: the Canary's status (as fluxcd/flagger pkg/canary/status.go
 * writes it: every write stamps lastTransitionTime, phases carry a Promoted condition), the
 * canary Ingress's weight, and the target and primary Deployments (scale, promote).
 */
import {resourceTypes} from '../resources.js';
import {type KubeObject, type Store, timestamp} from '../store.js';

const canaries = resourceTypes.find((t) => t.plural === 'canaries')!;
const deployments = resourceTypes.find((t) => t.plural === 'deployments')!;
const ingresses = resourceTypes.find((t) => t.plural === 'ingresses')!;

const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';

type Condition = {
	type: string;
	status: string;
	reason: string;
	message: string;
	lastTransitionTime: string;
	lastUpdateTime: string;
};

/** Flagger's MakeStatusConditions: the Promoted condition for a phase; undefined when unchanged. */
function promotedCondition(canary: KubeObject, phase: string): Condition[] | undefined {
	const kind = canary.spec?.targetRef?.kind ?? 'Deployment';
	const [status, message] = (
		{
			Initializing: ['Unknown', `New ${kind} detected, starting initialization.`],
			Initialized: ['True', `${kind} initialization completed.`],
			Waiting: ['Unknown', 'Waiting for approval.'],
			WaitingPromotion: ['Unknown', 'Waiting for approval.'],
			Progressing: ['Unknown', 'New revision detected, progressing canary analysis.'],
			Promoting: ['Unknown', 'Canary analysis completed, starting primary rolling update.'],
			Finalising: ['Unknown', 'Canary analysis completed, routing all traffic to primary.'],
			Succeeded: ['True', 'Canary analysis completed successfully, promotion finished.'],
			Failed: ['False', `Canary analysis failed, ${kind} scaled to zero.`],
		} as Record<string, [string, string]>
	)[phase] ?? ['Unknown', `New ${kind} detected, starting initialization.`];
	const current = (canary.status?.conditions as Condition[] | undefined)?.find(
		(c) => c.type === 'Promoted',
	);
	if (current && current.status === status && current.reason === phase) return undefined;
	const now = timestamp();
	return [
		{
			type: 'Promoted',
			status,
			reason: phase,
			message,
			lastTransitionTime: current && current.status === status ? current.lastTransitionTime : now,
			lastUpdateTime: now,
		},
	];
}

export class CanaryWriter {
	constructor(private readonly store: Store) {}

	private fresh(canary: KubeObject): KubeObject {
		return this.store.get(canaries, canary.metadata.namespace, canary.metadata.name!);
	}

	private write(canary: KubeObject, status: Record<string, unknown>): void {
		this.store.update(
			canaries,
			canary.metadata.namespace,
			canary.metadata.name!,
			{...canary, status},
			{subresource: 'status'},
		);
	}

	/** Changes some status fields (failedChecks, canaryWeight, iterations). */
	set(canary: KubeObject, fields: Record<string, unknown>): void {
		const fresh = this.fresh(canary);
		this.write(fresh, {...fresh.status, ...fields, lastTransitionTime: timestamp()});
	}

	/** SyncStatus: phase and counters, lastAppliedSpec from the target's current template hash. */
	sync(
		canary: KubeObject,
		phase: string,
		hash: string,
		counters: {canaryWeight?: number; failedChecks?: number; iterations?: number} = {},
	): void {
		const fresh = this.fresh(canary);
		const conditions = promotedCondition(fresh, phase);
		this.write(fresh, {
			...fresh.status,
			phase,
			canaryWeight: counters.canaryWeight ?? 0,
			failedChecks: counters.failedChecks ?? 0,
			iterations: counters.iterations ?? 0,
			lastAppliedSpec: hash,
			...(phase === 'Initialized' ? {lastPromotedSpec: hash} : {}),
			lastTransitionTime: timestamp(),
			...(conditions ? {conditions} : {}),
		});
	}

	/** SetStatusPhase: outside Progressing and Waiting the weight and iterations go to 0. */
	phase(canary: KubeObject, phase: string): void {
		const fresh = this.fresh(canary);
		const status: Record<string, unknown> = {
			...fresh.status,
			phase,
			lastTransitionTime: timestamp(),
		};
		if (phase !== 'Progressing' && phase !== 'Waiting') {
			status.canaryWeight = 0;
			status.iterations = 0;
		}
		if (phase === 'WaitingPromotion')
			status.iterations = (fresh.spec?.analysis?.iterations ?? 0) - 1;
		if (phase === 'Initialized' || phase === 'Succeeded')
			status.lastPromotedSpec = fresh.status?.lastAppliedSpec;
		const conditions = promotedCondition(fresh, phase);
		if (conditions) status.conditions = conditions;
		this.write(fresh, status);
	}
}

/** The canary Ingress Flagger generates from the ingressRef: `<ingress>-canary`. */
function canaryIngress(store: Store, canary: KubeObject): KubeObject | undefined {
	const ref = canary.spec?.ingressRef?.name;
	return ref ? store.find(ingresses, canary.metadata.namespace, `${ref}-canary`) : undefined;
}

/** The weight the router holds now (GetRoutes): the canary Ingress's, else the status's. */
export function routedWeight(store: Store, canary: KubeObject): number {
	const text = canaryIngress(store, canary)?.metadata.annotations?.[weightKey];
	if (text !== undefined && /^\d+$/.test(text.trim())) return Number(text);
	return canary.status?.canaryWeight ?? 0;
}

/** SetRoutes: the canary Ingress's weight annotation. */
export function setRoute(store: Store, canary: KubeObject, weight: number): void {
	const ingress = canaryIngress(store, canary);
	if (!ingress || ingress.metadata.annotations?.[weightKey] === String(weight)) return;
	store.patch(ingresses, ingress.metadata.namespace, ingress.metadata.name!, 'merge', {
		metadata: {annotations: {[weightKey]: String(weight)}},
	});
}

export function deployment(
	store: Store,
	namespace: string,
	name: string | undefined,
): KubeObject | undefined {
	return name ? store.find(deployments, namespace, name) : undefined;
}

export function scale(store: Store, target: KubeObject, replicas: number): void {
	if ((target.spec?.replicas ?? 1) === replicas) return;
	store.patch(deployments, target.metadata.namespace, target.metadata.name!, 'merge', {
		spec: {replicas},
	});
}

/** ScaleFromZero: the target keeps its replicas, else takes the primary's, else 1. */
export function scaleFromZero(store: Store, target: KubeObject, primary: KubeObject): void {
	if ((target.spec?.replicas ?? 1) > 0) return;
	scale(store, target, primary.spec?.replicas > 0 ? primary.spec.replicas : 1);
}

/** Promote: the primary takes the target's pod spec and annotations, keeping its own labels. */
export function promote(store: Store, target: KubeObject, primary: KubeObject): void {
	const fresh = store.get(deployments, primary.metadata.namespace, primary.metadata.name!);
	const template = structuredClone(target.spec.template);
	store.update(deployments, fresh.metadata.namespace, fresh.metadata.name!, {
		...fresh,
		spec: {
			...fresh.spec,
			template: {
				...template,
				metadata: {...template.metadata, labels: {...fresh.spec.template.metadata?.labels}},
			},
		},
	});
}

/** Why a Deployment is not rolled out (Flagger's isDeploymentReady), or undefined when it is. */
export function notReady(target: KubeObject): string | undefined {
	const status = target.status ?? {};
	const desired: number = target.spec?.replicas ?? 1;
	if ((status.observedGeneration ?? 0) < (target.metadata.generation ?? 1))
		return 'waiting for rollout to finish: observed deployment generation less than desired generation';
	const updated: number = status.updatedReplicas ?? 0;
	if (updated < desired)
		return `waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated`;
	if ((status.replicas ?? 0) > updated)
		return `waiting for rollout to finish: ${(status.replicas ?? 0) - updated} old replicas are pending termination`;
	const available: number = status.availableReplicas ?? 0;
	if (available < desired)
		return `waiting for rollout to finish: ${available} of ${desired} (readyThreshold 100%) updated replicas are available`;
	return undefined;
}

/** Flagger's maxWeight: the last of stepWeights, else maxWeight, else 100. */
export function maxWeight(canary: KubeObject): number {
	const analysis = canary.spec?.analysis ?? {};
	const steps: number[] = analysis.stepWeights ?? [];
	if (steps.length > 0) return Math.min(100, steps.at(-1)!);
	return analysis.maxWeight > 0 ? analysis.maxWeight : 100;
}

/** Flagger's nextStepWeight: stepWeight, else the distance to the next of stepWeights. */
export function nextStepWeight(canary: KubeObject, weight: number): number {
	const analysis = canary.spec?.analysis ?? {};
	const steps: number[] = analysis.stepWeights ?? [];
	if (analysis.stepWeight > 0 || steps.length === 0) return analysis.stepWeight ?? 0;
	const room = 100 - weight;
	if (room === 0) return 1;
	if (weight === 0) return Math.min(room, steps[0]!);
	for (let i = 0; i < steps.length - 1; i++)
		if (steps[i] === weight) return Math.min(room, steps[i + 1]! - weight);
	return room;
}

/** The primary Deployment Flagger generates from the target: `<target>-primary`, owned by the Canary. */
export function createPrimary(store: Store, cd: KubeObject, target: KubeObject): void {
	const namespace = cd.metadata.namespace!;
	const primaryName = `${target.metadata.name}-primary`;
	const labels = {...target.spec.template.metadata?.labels, app: primaryName};
	store.create(deployments, namespace, {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {
			name: primaryName,
			namespace,
			labels: {...target.metadata.labels, app: primaryName},
			ownerReferences: [
				{
					apiVersion: 'flagger.app/v1beta1',
					kind: 'Canary',
					name: cd.metadata.name!,
					uid: cd.metadata.uid!,
					controller: true,
					blockOwnerDeletion: true,
				},
			],
		},
		spec: {
			...structuredClone(target.spec),
			selector: {matchLabels: {app: primaryName}},
			template: {
				...structuredClone(target.spec.template),
				metadata: {...target.spec.template.metadata, labels},
			},
		},
	});
}
