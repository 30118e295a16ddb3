/**
 * The sim's Deployment controller and its pod and service proxies, as the real
 * @kubernetes/client-node sees them.
 */
import {PatchStrategy, setHeaderOptions, type V1Deployment} from '@kubernetes/client-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseScenario} from '../../source/sim/scenario.js';
import {type Any, apiError, type Client, connect, until} from './client-node-helpers.js';

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const revisionKey = 'deployment.kubernetes.io/revision';

function rolledOut(deployment: V1Deployment): boolean {
	const status = deployment.status;
	return (
		status?.observedGeneration === deployment.metadata?.generation &&
		status?.updatedReplicas === 3 &&
		status?.readyReplicas === 3 &&
		status?.availableReplicas === 3 &&
		status?.replicas === 3
	);
}

describe('the seed scenario', () => {
	let client: Client;
	beforeAll(async () => {
		client = await connect();
	});
	afterAll(async () => {
		await client?.sim.stop();
	});

	it('answers the service proxy with the version behind the Service', async () => {
		const viaClient: Any = await client.core.connectGetNamespacedServiceProxyWithPath({
			name: 'app-blue:8080',
			namespace: 'default',
			path: 'health',
		});
		const body = typeof viaClient === 'string' ? JSON.parse(viaClient) : viaClient;
		expect(body).toMatchObject({status: 'ok', version: 'myapp:1.0.0'});
		expect(body.pod).toMatch(/^app-blue-/);

		const raw = await fetch(
			`${client.sim.url}/api/v1/namespaces/default/services/app-green:8080/proxy/health`,
		);
		expect(raw.status).toBe(200);
		expect(await raw.json()).toMatchObject({status: 'ok', version: 'myapp:1.1.0'});

		const main = await fetch(`${client.sim.url}/api/v1/namespaces/default/services/myapp/proxy/`);
		expect(main.status).toBe(200);
		expect(await main.json()).toMatchObject({version: 'myapp:1.0.0'});
	});

	it('answers the pod proxy with that pod', async () => {
		const pods = await client.core.listNamespacedPod({
			namespace: 'default',
			labelSelector: 'version=green',
		});
		const name = pods.items[0]?.metadata?.name ?? '';
		expect(name).toMatch(/^app-green-/);
		const answer: Any = await client.core.connectGetNamespacedPodProxyWithPath({
			name,
			namespace: 'default',
			path: 'health',
		});
		const body = typeof answer === 'string' ? JSON.parse(answer) : answer;
		expect(body).toEqual({status: 'ok', pod: name, version: 'myapp:1.1.0'});

		const missing = await apiError(
			client.core.connectGetNamespacedPodProxyWithPath({
				name: 'no-such-pod',
				namespace: 'default',
				path: 'health',
			}),
		);
		expect(missing.code).toBe(404);
		expect(missing.status.message).toBe('pods "no-such-pod" not found');
	});

	it('rolls app-green to a new image as a real Deployment controller does', async () => {
		const before = await client.apps.readNamespacedDeployment({
			name: 'app-green',
			namespace: 'default',
		});
		expect(rolledOut(before)).toBe(true);
		expect(before.metadata?.generation).toBe(1);
		expect(before.metadata?.annotations?.[revisionKey]).toBe('1');

		const patched = await client.apps.patchNamespacedDeployment(
			{
				name: 'app-green',
				namespace: 'default',
				body: {spec: {template: {spec: {containers: [{name: 'app', image: 'myapp:2.0.0'}]}}}},
			},
			strategic,
		);
		// The strategic merge kept the container's ports and the defaults the API server filled in
		// at creation; the spec change bumped the generation, which the controller has not observed yet.
		const containers = patched.spec?.template.spec?.containers ?? [];
		expect(containers).toEqual([
			{
				name: 'app',
				image: 'myapp:2.0.0',
				imagePullPolicy: 'IfNotPresent',
				ports: [{containerPort: 8080, protocol: 'TCP'}],
				resources: {},
				terminationMessagePath: '/dev/termination-log',
				terminationMessagePolicy: 'File',
			},
		]);
		expect(patched.metadata?.generation).toBe(2);
		expect(patched.status?.observedGeneration).toBe(1);
		expect(rolledOut(patched)).toBe(false);

		const done = await until(
			'app-green to roll out',
			async () => {
				const now = await client.apps.readNamespacedDeploymentStatus({
					name: 'app-green',
					namespace: 'default',
				});
				return rolledOut(now) ? now : undefined;
			},
			10_000,
		);
		expect(done.status?.observedGeneration).toBe(2);
		expect(done.status?.unavailableReplicas).toBeUndefined();
		const progressing = done.status?.conditions?.find((c) => c.type === 'Progressing');
		expect(progressing?.status).toBe('True');
		expect(progressing?.reason).toBe('NewReplicaSetAvailable');
		const available = done.status?.conditions?.find((c) => c.type === 'Available');
		expect(available?.status).toBe('True');
		expect(done.metadata?.annotations?.[revisionKey]).toBe('2');

		const sets = await client.apps.listNamespacedReplicaSet({
			namespace: 'default',
			labelSelector: 'app=myapp,version=green',
		});
		const byRevision = sets.items
			.map((rs) => ({
				revision: rs.metadata?.annotations?.[revisionKey],
				image: rs.spec?.template?.spec?.containers[0]?.image,
				replicas: rs.spec?.replicas,
				owner: rs.metadata?.ownerReferences?.[0]?.name,
			}))
			.sort((a, b) => Number(a.revision) - Number(b.revision));
		expect(byRevision).toEqual([
			{revision: '1', image: 'myapp:1.1.0', replicas: 0, owner: 'app-green'},
			{revision: '2', image: 'myapp:2.0.0', replicas: 3, owner: 'app-green'},
		]);
		const newSet = sets.items.find((rs) => rs.metadata?.annotations?.[revisionKey] === '2');
		expect(progressing?.message).toBe(
			`ReplicaSet "${newSet?.metadata?.name}" has successfully progressed.`,
		);

		const pods = await until('the old pods to go', async () => {
			const list = await client.core.listNamespacedPod({
				namespace: 'default',
				labelSelector: 'app=myapp,version=green',
			});
			return list.items.length === 3 ? list.items : undefined;
		});
		expect(pods.map((p) => p.spec?.containers[0]?.image)).toEqual([
			'myapp:2.0.0',
			'myapp:2.0.0',
			'myapp:2.0.0',
		]);
		for (const pod of pods) {
			expect(pod.status?.phase).toBe('Running');
			expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
			expect(pod.metadata?.ownerReferences?.[0]?.name).toBe(newSet?.metadata?.name);
		}

		// And the Service now answers with the new version.
		const raw = await fetch(
			`${client.sim.url}/api/v1/namespaces/default/services/app-green:8080/proxy/health`,
		);
		expect(raw.status).toBe(200);
		expect(await raw.json()).toMatchObject({status: 'ok', version: 'myapp:2.0.0'});
	});

	it('scales on a PUT of what the client read, without a new ReplicaSet', async () => {
		const read = await client.apps.readNamespacedDeployment({
			name: 'app-blue',
			namespace: 'default',
		});
		const put = await client.apps.replaceNamespacedDeployment({
			name: 'app-blue',
			namespace: 'default',
			body: {...read, spec: {...read.spec!, replicas: 4}},
		});
		expect(put.metadata?.generation).toBe(2);
		const done = await until('app-blue to have 4 ready pods', async () => {
			const now = await client.apps.readNamespacedDeployment({
				name: 'app-blue',
				namespace: 'default',
			});
			return now.status?.observedGeneration === 2 && now.status.readyReplicas === 4
				? now
				: undefined;
		});
		expect(done.metadata?.annotations?.[revisionKey]).toBe('1');
		const sets = await client.apps.listNamespacedReplicaSet({
			namespace: 'default',
			labelSelector: 'app=myapp,version=blue',
		});
		expect(
			sets.items.map((rs) => [rs.metadata?.annotations?.[revisionKey], rs.spec?.replicas]),
		).toEqual([['1', 4]]);
	});
});

describe('a scenario with an unhealthy image', () => {
	let client: Client;
	beforeAll(async () => {
		const scenario = parseScenario(
			[
				'name: sick-green',
				'extends: seed',
				'behaviours:',
				'  "myapp:1.1.0": { healthy: false }',
			].join('\n'),
			'sick-green.yaml',
		);
		client = await connect({scenario});
	});
	afterAll(async () => {
		await client?.sim.stop();
	});

	it('answers 503 through the service proxy for the unhealthy version only', async () => {
		const sick = await fetch(
			`${client.sim.url}/api/v1/namespaces/default/services/app-green:8080/proxy/health`,
		);
		expect(sick.status).toBe(503);
		expect(await sick.json()).toMatchObject({status: 'unhealthy', version: 'myapp:1.1.0'});

		const viaClient = await client.core
			.connectGetNamespacedServiceProxyWithPath({
				name: 'app-green:8080',
				namespace: 'default',
				path: 'health',
			})
			.then(
				() => undefined,
				(error: unknown) => error as {code?: number},
			);
		expect(viaClient?.code).toBe(503);

		const healthy = await fetch(
			`${client.sim.url}/api/v1/namespaces/default/services/app-blue:8080/proxy/health`,
		);
		expect(healthy.status).toBe(200);
		expect(await healthy.json()).toMatchObject({status: 'ok', version: 'myapp:1.0.0'});
	});

	it('answers 503 ServiceUnavailable for a Service with no ready endpoints', async () => {
		await client.core.createNamespacedService({
			namespace: 'default',
			body: {
				metadata: {name: 'nobody'},
				spec: {selector: {app: 'nobody'}, ports: [{port: 80}]},
			},
		});
		const {code, status} = await apiError(
			client.core.connectGetNamespacedServiceProxyWithPath({
				name: 'nobody',
				namespace: 'default',
				path: 'health',
			}),
		);
		expect(code).toBe(503);
		expect(status.reason).toBe('ServiceUnavailable');
		expect(status.message).toBe('no endpoints available for service "nobody"');
	});
});
