/** Shared set-up for the tests of the sim's Flagger: the seed's Canary test/podinfo, sped up. */
import {resolve} from 'node:path';
import {parseScenario} from '../../source/sim/scenario.js';
import type {KubeObject} from '../../source/sim/store.js';
import {get, startCluster, type TestCluster, typeOf, until} from '../helpers/sim-cluster.js';

export {until};

/** Fast enough for tests, slow enough for the traffic model to fill each metric window. */
export const intervalSeconds = 0.25;

/**
 * The seed with more podinfo traffic (every window has data) and podinfo versions that do not
 * err unless told: the gate tests do not hang on a random failed check.
 */
export function scenarioText(extra = ''): string {
	return [
		'name: flagger-test',
		'extends: seed',
		'behaviours:',
		'  ghcr.io/stefanprodan/podinfo: {errorRatio: 0, p99Ms: 120}',
		extra,
		'traffic:',
		'  - {ingress: test/podinfo, rps: 400}',
	].join('\n');
}

export async function flaggerCluster(extra = ''): Promise<TestCluster> {
	return startCluster({
		scenario: parseScenario(scenarioText(extra), resolve('test/sim/flagger-test.yaml')),
		flaggerIntervalSeconds: intervalSeconds,
		trafficIntervalMs: 50,
		rolloutSeconds: 0.3,
		podStartSeconds: 0.05,
	});
}

export function canary(cluster: TestCluster): KubeObject {
	return get(cluster.sim, 'canaries', 'podinfo', 'test');
}

export function ingressWeight(cluster: TestCluster): string | undefined {
	return get(cluster.sim, 'ingresses', 'podinfo-canary', 'test').metadata.annotations?.[
		'nginx.ingress.kubernetes.io/canary-weight'
	];
}

export function image(cluster: TestCluster, name: string): string {
	return get(cluster.sim, 'deployments', name, 'test').spec.template.spec.containers[0].image;
}

/** The messages of the Canary's Events, oldest first. */
export function messages(cluster: TestCluster): string[] {
	return cluster.sim.store
		.list(typeOf('events'), {namespace: 'test'})
		.items.filter((e: KubeObject) => (e.involvedObject as {kind?: string})?.kind === 'Canary')
		.sort((a: KubeObject, b: KubeObject) =>
			Number(a.metadata.resourceVersion) < Number(b.metadata.resourceVersion) ? -1 : 1,
		)
		.map((e: KubeObject) => e.message as string);
}

/** POSTs to the loadtester through the API server's service proxy, as an operator's curl would. */
export async function loadtester(
	cluster: TestCluster,
	path: string,
	body: unknown = {name: 'podinfo', namespace: 'test'},
	method = 'POST',
): Promise<{status: number; text: string}> {
	const response = await fetch(
		`${cluster.sim.url}/api/v1/namespaces/test/services/flagger-loadtester:80/proxy${path}`,
		{
			method,
			...(method === 'GET' ? {} : {body: typeof body === 'string' ? body : JSON.stringify(body)}),
			headers: {'Content-Type': 'application/json'},
		},
	);
	return {status: response.status, text: await response.text()};
}

/** Waits `n` analysis intervals (and a little). */
export function intervals(n: number): Promise<void> {
	return new Promise((done) => setTimeout(done, n * intervalSeconds * 1000 + 50));
}
