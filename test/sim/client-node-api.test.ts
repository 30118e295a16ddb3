/**
 * The sim judged by the real @kubernetes/client-node over HTTP: list, get, create, update,
 * delete (with garbage collection), Kubernetes `Status` errors and injected faults.
 */
import {beforeAll, describe, expect, it} from 'vitest';
import {
	type Any,
	apiError,
	type Client,
	clientPerFile,
	names,
	podinfoCanary,
} from './client-node-helpers.js';

const canary = podinfoCanary;

const sim = clientPerFile();
let client: Client;
beforeAll(() => {
	client = sim();
});

describe('list and get', () => {
	it('lists a namespace with the list resourceVersion', async () => {
		const list = await client.apps.listNamespacedDeployment({namespace: 'default'});
		expect(names(list.items)).toEqual(['app-blue', 'app-green']);
		const version = Number(list.metadata?.resourceVersion);
		expect(Number.isInteger(version)).toBe(true);
		expect(version).toBeGreaterThan(0);
		expect(version).toBeLessThanOrEqual(client.sim.store.resourceVersion);
	});

	it('lists every namespace', async () => {
		const list = await client.apps.listDeploymentForAllNamespaces();
		const where = list.items.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`);
		expect(where).toEqual(
			expect.arrayContaining([
				'default/app-blue',
				'default/app-green',
				'shop/shop-stable',
				'shop/shop-canary',
				'test/podinfo',
				'test/podinfo-primary',
			]),
		);
		expect(new Set(list.items.map((d) => d.metadata?.namespace))).toEqual(
			new Set(['default', 'shop', 'test']),
		);
	});

	it('filters by equality and set-based label selectors', async () => {
		const blue = await client.core.listNamespacedPod({
			namespace: 'default',
			labelSelector: 'app=myapp,version=blue',
		});
		expect(blue.items).toHaveLength(3);
		expect(new Set(blue.items.map((p) => p.metadata?.labels?.version))).toEqual(new Set(['blue']));

		const both = await client.core.listNamespacedPod({
			namespace: 'default',
			labelSelector: 'version in (blue,green)',
		});
		expect(both.items).toHaveLength(6);

		const notBlue = await client.core.listNamespacedPod({
			namespace: 'default',
			labelSelector: 'app=myapp,version notin (blue)',
		});
		expect(new Set(notBlue.items.map((p) => p.metadata?.labels?.version))).toEqual(
			new Set(['green']),
		);

		const tracked = await client.core.listServiceForAllNamespaces({labelSelector: 'track'});
		expect(names(tracked.items)).toEqual(['shop-canary', 'shop-stable']);
		const untracked = await client.core.listNamespacedService({
			namespace: 'shop',
			labelSelector: '!track',
		});
		expect(names(untracked.items)).toEqual([]);
	});

	it('filters by field selectors', async () => {
		const one = await client.core.listNamespacedService({
			namespace: 'default',
			fieldSelector: 'metadata.name=app-blue',
		});
		expect(names(one.items)).toEqual(['app-blue']);
		const others = await client.core.listNamespacedService({
			namespace: 'default',
			fieldSelector: 'metadata.name!=app-blue',
		});
		expect(names(others.items)).toEqual(['app-green', 'myapp']);
		const inShop = await client.apps.listDeploymentForAllNamespaces({
			fieldSelector: 'metadata.namespace=shop',
		});
		expect(names(inShop.items)).toEqual(['shop-canary', 'shop-stable']);
	});

	it('gets one object', async () => {
		const service = await client.core.readNamespacedService({name: 'myapp', namespace: 'default'});
		expect(service.kind).toBe('Service');
		expect(service.apiVersion).toBe('v1');
		expect(service.spec?.selector).toEqual({app: 'myapp', version: 'blue'});
		expect(service.spec?.clusterIP).toBe('10.96.12.40');
		expect(service.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
	});
});

describe('create, update, delete', () => {
	it('creates with 201, then answers 409 AlreadyExists', async () => {
		const body = {metadata: {name: 'settings', labels: {app: 'myapp'}}, data: {color: 'blue'}};
		const created = await client.core.createNamespacedConfigMapWithHttpInfo({
			namespace: 'default',
			body,
		});
		expect(created.httpStatusCode).toBe(201);
		expect(created.data.metadata?.name).toBe('settings');
		expect(created.data.metadata?.namespace).toBe('default');
		expect(created.data.data).toEqual({color: 'blue'});
		expect(Number(created.data.metadata?.resourceVersion)).toBeGreaterThan(0);

		const {code, status} = await apiError(
			client.core.createNamespacedConfigMap({namespace: 'default', body}),
		);
		expect(code).toBe(409);
		expect(status.reason).toBe('AlreadyExists');
		expect(status.message).toBe('configmaps "settings" already exists');
	});

	it('rejects a PUT carrying a stale resourceVersion with 409 Conflict', async () => {
		await client.core.createNamespacedConfigMap({
			namespace: 'default',
			body: {metadata: {name: 'replaced'}, data: {step: '1'}},
		});
		const first = await client.core.readNamespacedConfigMap({
			name: 'replaced',
			namespace: 'default',
		});
		const second = await client.core.replaceNamespacedConfigMap({
			name: 'replaced',
			namespace: 'default',
			body: {...first, data: {step: '2'}},
		});
		expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(
			Number(first.metadata?.resourceVersion),
		);
		const {code, status} = await apiError(
			client.core.replaceNamespacedConfigMap({
				name: 'replaced',
				namespace: 'default',
				body: {...first, data: {step: '3'}},
			}),
		);
		expect(code).toBe(409);
		expect(status.reason).toBe('Conflict');
		expect(status.message).toContain('the object has been modified');
		const now = await client.core.readNamespacedConfigMap({name: 'replaced', namespace: 'default'});
		expect(now.data).toEqual({step: '2'});
		expect(now.metadata?.resourceVersion).toBe(second.metadata?.resourceVersion);
	});

	it('garbage-collects the ReplicaSets and Pods of a deleted Deployment', async () => {
		const selector = {namespace: 'shop', labelSelector: 'app=shop,track=canary'};
		const sets = await client.apps.listNamespacedReplicaSet(selector);
		const pods = await client.core.listNamespacedPod(selector);
		expect(sets.items).toHaveLength(1);
		expect(pods.items).toHaveLength(1);
		await client.apps.deleteNamespacedDeployment({name: 'shop-canary', namespace: 'shop'});
		expect((await client.apps.listNamespacedReplicaSet(selector)).items).toEqual([]);
		expect((await client.core.listNamespacedPod(selector)).items).toEqual([]);
		const {code} = await apiError(
			client.apps.readNamespacedDeployment({name: 'shop-canary', namespace: 'shop'}),
		);
		expect(code).toBe(404);
		// The stable track is untouched.
		const stable = await client.core.listNamespacedPod({
			namespace: 'shop',
			labelSelector: 'app=shop,track=stable',
		});
		expect(stable.items).toHaveLength(3);
	});

	it('orphans the dependents when asked, removing their owner reference', async () => {
		const selector = {namespace: 'default', labelSelector: 'app=myapp,version=blue'};
		const before = await client.apps.listNamespacedReplicaSet(selector);
		expect(before.items).toHaveLength(1);
		expect(before.items[0]?.metadata?.ownerReferences?.[0]?.name).toBe('app-blue');
		const pods = names((await client.core.listNamespacedPod(selector)).items);
		expect(pods).toHaveLength(3);

		await client.apps.deleteNamespacedDeployment({
			name: 'app-blue',
			namespace: 'default',
			body: {propagationPolicy: 'Orphan'},
		});
		const after = await client.apps.listNamespacedReplicaSet(selector);
		expect(names(after.items)).toEqual(names(before.items));
		expect(after.items[0]?.metadata?.ownerReferences).toBeUndefined();
		// The pods still belong to their ReplicaSet.
		const podsAfter = (await client.core.listNamespacedPod(selector)).items;
		expect(names(podsAfter)).toEqual(pods);
		for (const pod of podsAfter)
			expect(pod.metadata?.ownerReferences?.[0]?.name).toBe(before.items[0]?.metadata?.name);
	});

	it('drops the status of a custom resource created through the API', async () => {
		const created: Any = await client.custom.createNamespacedCustomObject({
			group: 'flagger.app',
			version: 'v1beta1',
			plural: 'canaries',
			namespace: 'test',
			body: {
				apiVersion: 'flagger.app/v1beta1',
				kind: 'Canary',
				metadata: {name: 'fresh'},
				spec: {targetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'fresh'}},
				status: {phase: 'Succeeded'},
			},
		});
		expect(created.metadata.generation).toBe(1);
		expect(created.status).toBeUndefined();
		expect(created.spec.targetRef.name).toBe('fresh');
	});
});

describe('errors', () => {
	it('answers 404 NotFound naming the object', async () => {
		const {code, status} = await apiError(
			client.apps.readNamespacedDeployment({name: 'nope', namespace: 'default'}),
		);
		expect(code).toBe(404);
		expect(status.reason).toBe('NotFound');
		expect(status.message).toBe('deployments.apps "nope" not found');
		expect(status.details).toEqual({name: 'nope', group: 'apps', kind: 'deployments'});

		const custom = await apiError(
			client.custom.getNamespacedCustomObject({...canary, name: 'missing'}),
		);
		expect(custom.code).toBe(404);
		expect(custom.status.message).toBe('canaries.flagger.app "missing" not found');
	});

	it('answers 409 to a delete whose precondition is stale, and keeps the object', async () => {
		const created = await client.core.createNamespacedConfigMap({
			namespace: 'default',
			body: {metadata: {name: 'guarded'}, data: {a: '1'}},
		});
		const {code, status} = await apiError(
			client.core.deleteNamespacedConfigMap({
				name: 'guarded',
				namespace: 'default',
				body: {preconditions: {uid: '00000000-0000-0000-0000-000000000000'}},
			}),
		);
		expect(code).toBe(409);
		expect(status.reason).toBe('Conflict');
		const still = await client.core.readNamespacedConfigMap({
			name: 'guarded',
			namespace: 'default',
		});
		expect(still.metadata?.uid).toBe(created.metadata?.uid);
		await client.core.deleteNamespacedConfigMap({
			name: 'guarded',
			namespace: 'default',
			body: {preconditions: {uid: created.metadata?.uid}},
		});
		const gone = await apiError(
			client.core.readNamespacedConfigMap({name: 'guarded', namespace: 'default'}),
		);
		expect(gone.code).toBe(404);
	});

	it('answers 422 Invalid for an object that breaks validation', async () => {
		const {code, status} = await apiError(
			client.core.createNamespacedConfigMap({
				namespace: 'default',
				body: {metadata: {name: 'Not_A_Name'}},
			}),
		);
		expect(code).toBe(422);
		expect(status.reason).toBe('Invalid');
		expect(status.message).toContain('metadata.name: Invalid value: "Not_A_Name"');
	});

	it('answers 400 BadRequest for a malformed JSON body, and keeps serving', async () => {
		const response = await fetch(`${client.sim.url}/api/v1/namespaces/default/configmaps`, {
			method: 'POST',
			headers: {'Content-Type': 'application/json'},
			body: '{"metadata": {"name": "broken"',
		});
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('application/json');
		const status = (await response.json()) as Any;
		expect(status).toMatchObject({
			kind: 'Status',
			status: 'Failure',
			reason: 'BadRequest',
			code: 400,
		});
		expect(status.message).toContain('not valid JSON');

		const patch = await fetch(`${client.sim.url}/api/v1/namespaces/default/services/myapp`, {
			method: 'PATCH',
			headers: {'Content-Type': 'application/merge-patch+json'},
			body: '{spec:',
		});
		expect(patch.status).toBe(400);

		const namespace = await client.core.readNamespace({name: 'default'});
		expect(namespace.status?.phase).toBe('Active');
		const {code} = await apiError(
			client.core.readNamespacedConfigMap({name: 'broken', namespace: 'default'}),
		);
		expect(code).toBe(404);
	});

	it('gives the client an injected 500 once, then normal answers', async () => {
		const inTest = ['flagger-loadtester', 'podinfo', 'podinfo-primary'];
		client.sim.api.faults.add({method: 'GET', path: '/apis/apps/v1', status: 500, times: 1});
		const {code, status} = await apiError(
			client.apps.listNamespacedDeployment({namespace: 'test'}),
		);
		expect(code).toBe(500);
		expect(status.reason).toBe('InternalError');
		expect(status.message).toBe('injected fault: InternalError');
		const list = await client.apps.listNamespacedDeployment({namespace: 'test'});
		expect(names(list.items)).toEqual(inTest);
		expect(names((await client.apps.listNamespacedDeployment({namespace: 'test'})).items)).toEqual(
			inTest,
		);
		// A fault on one path leaves the others alone.
		client.sim.api.faults.add({method: 'GET', path: '/apis/apps/v1', status: 503, times: 1});
		const services = await client.core.listNamespacedService({namespace: 'test'});
		expect(names(services.items)).toEqual([
			'flagger-loadtester',
			'podinfo',
			'podinfo-canary',
			'podinfo-primary',
		]);
		const second = await apiError(client.apps.listNamespacedDeployment({namespace: 'test'}));
		expect(second.code).toBe(503);
		expect(second.status.reason).toBe('ServiceUnavailable');
		expect(names((await client.apps.listNamespacedDeployment({namespace: 'test'})).items)).toEqual(
			inTest,
		);
	});
});
