/**
 * What the sim's Argo Rollouts controller writes outside the Rollout and its ReplicaSets: the
 * pod-template-hash in the selectors of the Services it manages, and the canary weight on the
 * canary Ingress it keeps beside the stable one (trafficRouting.nginx).
 */
import {isDeepStrictEqual} from 'node:util';
import {resourceTypes} from '../resources.js';
import type {KubeObject, Store} from '../store.js';

const services = resourceTypes.find((t) => t.plural === 'services')!;
const ingresses = resourceTypes.find((t) => t.plural === 'ingresses')!;

export const hashLabel = 'rollouts-pod-template-hash';
const managedBy = 'argo-rollouts.argoproj.io/managed-by-rollouts';
const canaryKey = 'nginx.ingress.kubernetes.io/canary';
const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';

/** Points a Service the Rollout manages at one pod-template-hash (no Service: nothing to do). */
export function selectHash(
	store: Store,
	rollout: KubeObject,
	service: string | undefined,
	hash: string | undefined,
): void {
	if (!service || !hash) return;
	const namespace = rollout.metadata.namespace!;
	const found = store.find(services, namespace, service);
	if (!found) return;
	const selector = {...found.spec?.selector, [hashLabel]: hash};
	const annotations = {...found.metadata.annotations, [managedBy]: rollout.metadata.name!};
	if (
		isDeepStrictEqual(selector, found.spec?.selector) &&
		isDeepStrictEqual(annotations, found.metadata.annotations)
	)
		return;
	store.update(services, namespace, service, {
		...found,
		metadata: {...found.metadata, annotations},
		spec: {...found.spec, selector},
	});
}

/** `<rollout>-<stableIngress>-canary`, as Argo Rollouts names it. */
export function canaryIngressName(rollout: KubeObject): string | undefined {
	const stable: string | undefined =
		rollout.spec?.strategy?.canary?.trafficRouting?.nginx?.stableIngress;
	return stable ? `${rollout.metadata.name}-${stable}-canary` : undefined;
}

/**
 * Sets the canary Ingress's weight, creating the Ingress from the stable one (its rules sent to
 * the canary Service) when the scenario does not bring it.
 */
export function setCanaryWeight(store: Store, rollout: KubeObject, weight: number): void {
	const name = canaryIngressName(rollout);
	const canary = rollout.spec?.strategy?.canary;
	if (!name || !canary?.canaryService) return;
	const namespace = rollout.metadata.namespace!;
	const existing = store.find(ingresses, namespace, name);
	if (existing) {
		const annotations = existing.metadata.annotations ?? {};
		if (annotations[weightKey] === String(weight) && annotations[canaryKey] === 'true') return;
		store.update(ingresses, namespace, name, {
			...existing,
			metadata: {
				...existing.metadata,
				annotations: {...annotations, [canaryKey]: 'true', [weightKey]: String(weight)},
			},
		});
		return;
	}
	const stable = store.find(ingresses, namespace, canary.trafficRouting.nginx.stableIngress);
	if (!stable) return;
	const spec = structuredClone(stable.spec ?? {});
	for (const rule of spec.rules ?? [])
		for (const path of rule.http?.paths ?? [])
			if (path.backend?.service && path.backend.service.name === canary.stableService)
				path.backend.service.name = canary.canaryService;
	store.create(ingresses, namespace, {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'Ingress',
		metadata: {
			name,
			namespace,
			...(stable.metadata.labels ? {labels: {...stable.metadata.labels}} : {}),
			annotations: {[canaryKey]: 'true', [weightKey]: String(weight)},
			ownerReferences: [
				{
					apiVersion: rollout.apiVersion!,
					kind: 'Rollout',
					name: rollout.metadata.name!,
					uid: rollout.metadata.uid!,
					controller: true,
					blockOwnerDeletion: true,
				},
			],
		},
		spec,
	});
}
