/** Shared set-up for the tests of the sim's Argo Rollouts: the seed's argo/rollouts-demo, sped up. */
import {resolve} from 'node:path';
import {parseScenario} from '../../source/sim/scenario.js';
import type {KubeObject} from '../../source/sim/store.js';
import {get, startCluster, type TestCluster, typeOf, until} from '../helpers/sim-cluster.js';

export {until};

/** Pause durations and scale-down delays a hundred times shorter: 10 s pauses last 100 ms. */
export const timeScale = 0.01;

/** A blueGreen Rollout modelled on the plugin's fixture (blue-green/bluegreen-rollout.yaml). */
export const blueGreenObjects = `
objects:
  - apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    metadata: {name: bluegreen-demo, namespace: argo, labels: {app: bluegreen-demo}}
    spec:
      replicas: 3
      revisionHistoryLimit: 3
      selector: {matchLabels: {app: bluegreen-demo}}
      strategy:
        blueGreen:
          activeService: bluegreen-demo
          previewService: bluegreen-demo-preview
          autoPromotionEnabled: false
      template:
        metadata: {labels: {app: bluegreen-demo}}
        spec:
          containers:
            - name: bluegreen-demo
              image: argoproj/rollouts-demo:blue
              ports: [{name: http, containerPort: 8080, protocol: TCP}]
  - apiVersion: v1
    kind: Service
    metadata: {name: bluegreen-demo, namespace: argo}
    spec:
      selector: {app: bluegreen-demo}
      ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
  - apiVersion: v1
    kind: Service
    metadata: {name: bluegreen-demo-preview, namespace: argo}
    spec:
      selector: {app: bluegreen-demo}
      ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
`;

export async function argoCluster(extra = ''): Promise<TestCluster> {
	const text = ['name: argo-test', 'extends: seed', extra].join('\n');
	return startCluster({
		scenario: parseScenario(text, resolve('test/sim/argo-test.yaml')),
		argoTimeScale: timeScale,
		trafficIntervalMs: 0,
		rolloutSeconds: 0.3,
		podStartSeconds: 0.05,
	});
}

export function rollout(cluster: TestCluster, name = 'rollouts-demo'): KubeObject {
	return get(cluster.sim, 'rollouts', name, 'argo');
}

/** The weight on the canary Ingress Argo keeps beside rollouts-demo. */
export function ingressWeight(cluster: TestCluster): string | undefined {
	return get(cluster.sim, 'ingresses', 'rollouts-demo-rollouts-demo-canary', 'argo').metadata
		.annotations?.['nginx.ingress.kubernetes.io/canary-weight'];
}

/** The Rollout's ReplicaSets by name: desired replicas and revision. */
export function replicaSets(
	cluster: TestCluster,
	name = 'rollouts-demo',
): Record<string, {replicas: number; revision: string}> {
	const sets = cluster.sim.store
		.peek(typeOf('replicasets'), {namespace: 'argo'})
		.filter((rs) => rs.metadata.ownerReferences?.some((ref) => ref.name === name));
	return Object.fromEntries(
		sets.map((rs) => [
			rs.metadata.name!,
			{
				replicas: rs.spec?.replicas ?? 0,
				revision: rs.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '',
			},
		]),
	);
}

/** A merge patch over HTTP, as the kubectl plugin sends it (status ones to the subresource). */
export async function patch(
	cluster: TestCluster,
	body: unknown,
	{status = false, name = 'rollouts-demo'}: {status?: boolean; name?: string} = {},
): Promise<KubeObject> {
	const url = `${cluster.sim.url}/apis/argoproj.io/v1alpha1/namespaces/argo/rollouts/${name}${status ? '/status' : ''}`;
	const response = await fetch(url, {
		method: 'PATCH',
		headers: {'Content-Type': 'application/merge-patch+json'},
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`PATCH ${url}: ${response.status} ${await response.text()}`);
	return (await response.json()) as KubeObject;
}

/** Waits for the Rollout to show `phase` (with its generation observed) and returns it. */
export function phase(
	cluster: TestCluster,
	want: string,
	name = 'rollouts-demo',
	timeoutMs = 5000,
): Promise<KubeObject> {
	return until(
		`${name} to be ${want}`,
		() => {
			const ro = rollout(cluster, name);
			return ro.status?.phase === want &&
				ro.status.observedGeneration === String(ro.metadata.generation)
				? ro
				: undefined;
		},
		timeoutMs,
	);
}

export function condition(ro: KubeObject, type: string): Record<string, string> | undefined {
	return (ro.status?.conditions ?? []).find((c: {type: string}) => c.type === type);
}
