/**
 * The periodic faults of a spec, as a client sees them: every watch dropped every N, and a
 * restart with its history reset (connections cut, the scenario's objects back, resourceVersions
 * lower than before, the same port), by a timer or by `sim.restart()`.
 */
import {PatchStrategy, setHeaderOptions} from '@kubernetes/client-node';
import {afterEach, describe, expect, it} from 'vitest';
import type {SimOptions} from '../../source/sim/index.js';
import {get, settled} from '../helpers/sim-cluster.js';
import {apiError, type Client, connect, until, watch} from './client-node-helpers.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const configmaps = '/api/v1/namespaces/default/configmaps';

const open: Client[] = [];
/** What the periodic faults did, as `cutover sim` prints it; and the request faults that hit. */
let notices: string[] = [];
let hits: string[] = [];
afterEach(async () => {
	notices = [];
	hits = [];
	await Promise.all(open.splice(0).map((client) => client.sim.stop()));
});

async function simWith(faults: string, options: SimOptions = {}): Promise<Client> {
	const notice = (line: string) => notices.push(line);
	const log = (line: string) => {
		if (line.startsWith('fault ')) hits.push(line);
	};
	const client = await connect({faults, trafficIntervalMs: 0, notice, log, ...options});
	open.push(client);
	return client;
}

/** The resourceVersion a list of ConfigMaps answers with: the server's current one. */
async function listVersion(client: Client): Promise<number> {
	const list = await client.core.listNamespacedConfigMap({namespace: 'default'});
	return Number(list.metadata?.resourceVersion);
}

async function createConfigMaps(client: Client, count: number): Promise<void> {
	for (let i = 0; i < count; i++)
		await client.core.createNamespacedConfigMap({
			namespace: 'default',
			body: {metadata: {name: `drill-${i}`}, data: {i: String(i)}},
		});
}

describe('periodic faults', () => {
	it('drop-watches every 300ms: each open watch is ended, again and again', async () => {
		const client = await simWith('drop-watches every 300ms');
		for (const round of [1, 2]) {
			const watching = await watch(client.kc, configmaps, {});
			const started = performance.now();
			await Promise.race([
				watching.done,
				new Promise((_, reject) =>
					setTimeout(() => reject(new Error(`watch ${round} was never dropped`)), 3000),
				),
			]);
			expect(performance.now() - started).toBeLessThan(3000);
		}
		expect(notices).toContain('fault "drop-watches every 300ms": dropped 1 open watch');
	});

	it("restart after 2s: the objects are the scenario's again, at lower resourceVersions, on the same port", async () => {
		const client = await simWith('restart after 2s');
		const scenarioVersion = get(client.sim, 'services', 'myapp').spec.selector.version;
		await createConfigMaps(client, 20);
		await client.core.patchNamespacedService(
			{name: 'myapp', namespace: 'default', body: {spec: {selector: {version: 'drill'}}}},
			merge,
		);
		const before = await listVersion(client);
		expect(notices).toEqual([]);
		const watching = await watch(client.kc, configmaps, {resourceVersion: String(before)});
		// The same URL answers throughout: after the restart, at a version lower than before.
		const after = await until('the resourceVersions to go backwards', async () => {
			const version = await listVersion(client);
			return version < before ? version : undefined;
		});
		expect(after).toBeLessThan(before);
		await watching.done;
		expect(notices).toEqual([
			'fault "restart after 2s": restarted from the scenario; every connection cut, resourceVersions start over',
		]);
		const list = await client.core.listNamespacedConfigMap({namespace: 'default'});
		expect(list.items.filter((item) => item.metadata?.name?.startsWith('drill-'))).toEqual([]);
		const service = await client.core.readNamespacedService({name: 'myapp', namespace: 'default'});
		expect(service.spec?.selector?.version).toBe(scenarioVersion);
		expect(Number(service.metadata?.resourceVersion)).toBeLessThanOrEqual(after);
	});

	it('sim.restart(): watches and hung requests cut, the world rebuilt, its controllers working afresh', async () => {
		const client = await simWith('hang GET /api/v1/nodes');
		const {sim} = client;
		await settled(sim);
		const flagger = sim.flagger;
		await createConfigMaps(client, 3);
		const before = await listVersion(client);
		const watching = await watch(client.kc, configmaps, {});
		const hung = fetch(`${sim.url}/api/v1/nodes`).then(
			() => 'answered',
			() => 'cut',
		);
		await until('the hung request to reach the sim', () => hits.length === 1);
		await sim.restart();
		await watching.done;
		expect(await hung).toBe('cut');
		expect(await listVersion(client)).toBeLessThan(before);
		expect(
			(await apiError(client.core.readNamespacedConfigMap({name: 'drill-0', namespace: 'default'})))
				.code,
		).toBe(404);
		expect(sim.flagger).not.toBe(flagger);
		// The new Deployment controller rolls a new image out.
		await settled(sim);
		await client.apps.patchNamespacedDeployment(
			{
				name: 'app-green',
				namespace: 'default',
				body: {spec: {template: {spec: {containers: [{name: 'app', image: 'myapp:9.9.9'}]}}}},
			},
			setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
		);
		await until(
			'app-green rolled out',
			() => {
				const d = get(sim, 'deployments', 'app-green');
				return (
					d.status?.observedGeneration === d.metadata.generation &&
					d.status?.updatedReplicas === d.spec.replicas &&
					d.status?.readyReplicas === d.spec.replicas
				);
			},
			15_000,
		);
		// The faults are not the API server's state: they outlive its restart.
		await expect(
			fetch(`${sim.url}/api/v1/nodes`, {signal: AbortSignal.timeout(200)}),
		).rejects.toThrow();
	});

	it('stopping the sim clears its timers: nothing happens after stop()', async () => {
		const client = await simWith('drop-watches every 100ms; restart every 100ms');
		await open.splice(0)[0]!.sim.stop();
		const count = notices.length;
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(notices.length).toBe(count);
		await expect(fetch(`${client.sim.url}/version`)).rejects.toThrow();
	});
});
