/**
 * The sim's patches judged by the real @kubernetes/client-node over HTTP: JSON Patch, merge patch
 * and strategic merge patch, resourceVersion preconditions, and the status subresource.
 */
import {PatchStrategy, setHeaderOptions} from '@kubernetes/client-node';
import {beforeAll, describe, expect, it} from 'vitest';
import {
	type Any,
	apiError,
	type Client,
	clientPerFile,
	podinfoCanary,
} from './client-node-helpers.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

const canary = podinfoCanary;
const rollout = {
	group: 'argoproj.io',
	version: 'v1alpha1',
	plural: 'rollouts',
	namespace: 'argo',
	name: 'rollouts-demo',
};

const sim = clientPerFile();
let client: Client;
beforeAll(() => {
	client = sim();
});

describe('patch', () => {
	it('merges containers by name in a strategic merge patch', async () => {
		const patched = await client.apps.patchNamespacedDeployment(
			{
				name: 'shop-stable',
				namespace: 'shop',
				body: {spec: {template: {spec: {containers: [{name: 'shop', image: 'shop:2.5.0'}]}}}},
			},
			strategic,
		);
		const containers = patched.spec?.template.spec?.containers ?? [];
		expect(containers).toHaveLength(1);
		expect(containers[0]?.image).toBe('shop:2.5.0');
		expect(containers[0]?.ports).toEqual([{name: 'http', containerPort: 8080, protocol: 'TCP'}]);
	});

	it('replaces lists in a merge patch', async () => {
		const patched = await client.apps.patchNamespacedDeployment(
			{
				name: 'podinfo',
				namespace: 'test',
				body: {spec: {template: {spec: {containers: [{name: 'podinfod', image: 'podinfo:7'}]}}}},
			},
			merge,
		);
		const containers = patched.spec?.template.spec?.containers ?? [];
		expect(containers).toHaveLength(1);
		expect(containers[0]?.image).toBe('podinfo:7');
		expect(containers[0]?.ports).toBeUndefined();
		expect(containers[0]?.command).toBeUndefined();
	});

	it('fails a JSON Patch whose test fails with 422, changing nothing', async () => {
		const before = await client.core.readNamespacedService({
			name: 'app-green',
			namespace: 'default',
		});
		const {code, status} = await apiError(
			client.core.patchNamespacedService(
				{
					name: 'app-green',
					namespace: 'default',
					body: [
						{op: 'add', path: '/metadata/annotations', value: {touched: 'yes'}},
						{op: 'test', path: '/spec/selector/version', value: 'blue'},
						{op: 'replace', path: '/spec/selector/version', value: 'red'},
					],
				},
				jsonPatch,
			),
		);
		expect(code).toBe(422);
		expect(status.reason).toBe('Invalid');
		expect(status.message).toContain('/spec/selector/version');
		const after = await client.core.readNamespacedService({
			name: 'app-green',
			namespace: 'default',
		});
		expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
		expect(after.metadata?.annotations).toBeUndefined();
		expect(after.spec?.selector).toEqual({app: 'myapp', version: 'green'});
	});

	it('switches the Service selector with the JSON Patch cutover sends', async () => {
		const before = await client.core.readNamespacedService({name: 'myapp', namespace: 'default'});
		const patched = await client.core.patchNamespacedService(
			{
				name: 'myapp',
				namespace: 'default',
				body: [
					{op: 'test', path: '/spec/selector/version', value: 'blue'},
					{op: 'replace', path: '/spec/selector/version', value: 'green'},
				],
			},
			jsonPatch,
		);
		expect(patched.spec?.selector).toEqual({app: 'myapp', version: 'green'});
		expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(
			Number(before.metadata?.resourceVersion),
		);
		// Sent again, the test now fails: a second console cannot switch it twice.
		const {code} = await apiError(
			client.core.patchNamespacedService(
				{
					name: 'myapp',
					namespace: 'default',
					body: [
						{op: 'test', path: '/spec/selector/version', value: 'blue'},
						{op: 'replace', path: '/spec/selector/version', value: 'green'},
					],
				},
				jsonPatch,
			),
		);
		expect(code).toBe(422);
		const read = await client.core.readNamespacedService({name: 'myapp', namespace: 'default'});
		expect(read.spec?.selector).toEqual({app: 'myapp', version: 'green'});
		expect(read.metadata?.resourceVersion).toBe(patched.metadata?.resourceVersion);
	});

	it('rejects a merge patch carrying a stale resourceVersion with 409', async () => {
		const before = await client.core.readNamespacedService({
			name: 'app-blue',
			namespace: 'default',
		});
		const stale = before.metadata?.resourceVersion;
		await client.core.patchNamespacedService(
			{name: 'app-blue', namespace: 'default', body: {metadata: {labels: {tier: 'web'}}}},
			merge,
		);
		const {code, status} = await apiError(
			client.core.patchNamespacedService(
				{
					name: 'app-blue',
					namespace: 'default',
					body: {metadata: {resourceVersion: stale, labels: {tier: 'api'}}},
				},
				merge,
			),
		);
		expect(code).toBe(409);
		expect(status.reason).toBe('Conflict');
		const after = await client.core.readNamespacedService({name: 'app-blue', namespace: 'default'});
		expect(after.metadata?.labels?.tier).toBe('web');
	});

	it('rejects a strategic merge patch on a custom resource with 415', async () => {
		const before: Any = await client.custom.getNamespacedCustomObject(canary);
		const {code, status} = await apiError(
			client.custom.patchNamespacedCustomObject(
				{...canary, body: {spec: {skipAnalysis: true}}},
				strategic,
			),
		);
		expect(code).toBe(415);
		expect(status.reason).toBe('UnsupportedMediaType');
		expect(status.message).toContain('application/strategic-merge-patch+json');
		const after: Any = await client.custom.getNamespacedCustomObject(canary);
		expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
		expect(after.spec.skipAnalysis).toBeUndefined();
	});
});

describe('the status subresource', () => {
	it('patches a Deployment status without touching its spec or generation', async () => {
		const before = await client.apps.readNamespacedDeployment({
			name: 'podinfo-primary',
			namespace: 'test',
		});
		const patched = await client.apps.patchNamespacedDeploymentStatus(
			{
				name: 'podinfo-primary',
				namespace: 'test',
				body: {spec: {replicas: 9}, status: {collisionCount: 4}},
			},
			merge,
		);
		expect(patched.status?.collisionCount).toBe(4);
		expect(patched.spec?.replicas).toBe(2);
		expect(patched.metadata?.generation).toBe(before.metadata?.generation);
	});

	it.each([
		['the Flagger Canary', canary, {phase: 'Promoting', canaryWeight: 50}, {skipAnalysis: true}],
		['the Argo Rollout', rollout, {pauseConditions: null, currentStepIndex: 2}, {paused: true}],
	])('keeps status and spec apart on %s', async (_, ref, status, spec) => {
		// The sim's Argo controller would answer the patched status at once: this is about the API.
		if (ref === rollout) client.sim.argo.stop();
		const before: Any = await client.custom.getNamespacedCustomObject(ref);
		expect(before.metadata.generation).toBe(1);

		// A status patch changes status, not spec, and leaves the generation alone.
		const afterStatus: Any = await client.custom.patchNamespacedCustomObjectStatus(
			{...ref, body: {status, spec}},
			merge,
		);
		for (const [key, value] of Object.entries(status)) {
			if (value === null) expect(afterStatus.status[key]).toBeUndefined();
			else expect(afterStatus.status[key]).toEqual(value);
		}
		expect(afterStatus.spec).toEqual(before.spec);
		expect(afterStatus.metadata.generation).toBe(1);
		expect(Number(afterStatus.metadata.resourceVersion)).toBeGreaterThan(
			Number(before.metadata.resourceVersion),
		);

		// A spec change through the main resource bumps the generation and keeps the status.
		const afterSpec: Any = await client.custom.patchNamespacedCustomObject(
			{...ref, body: {spec}},
			merge,
		);
		expect(afterSpec.metadata.generation).toBe(2);
		expect(afterSpec.spec).toEqual({...before.spec, ...spec});
		expect(afterSpec.status).toEqual(afterStatus.status);

		// A status change sent to the main resource is ignored: nothing changes, not even the version.
		const ignored: Any = await client.custom.patchNamespacedCustomObject(
			{...ref, body: {status: {phase: 'Failed'}}},
			merge,
		);
		expect(ignored.status).toEqual(afterStatus.status);
		expect(ignored.metadata.resourceVersion).toBe(afterSpec.metadata.resourceVersion);
		const read: Any = await client.custom.getNamespacedCustomObject(ref);
		expect(read.status.phase).toBe(afterStatus.status.phase);
		expect(read.metadata.generation).toBe(2);
	});
});
