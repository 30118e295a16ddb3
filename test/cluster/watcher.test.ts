import {KubeConfig} from '@kubernetes/client-node';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {KubeClient} from '../../source/cluster/client.js';
import {ClusterWatcher} from '../../source/cluster/watcher.js';
import {kinds} from '../../source/core/kinds.js';
import {registry} from '../../source/core/strategies/index.js';
import type {KindRef, KubeObject, Snapshot} from '../../source/core/types.js';
import type {Sim} from '../../source/sim/index.js';
import {startCluster, type TestCluster, typeOf, until} from '../helpers/sim-cluster.js';

/** Custom resources a strategy would add to the registry's kinds: served by the sim, optional elsewhere. */
const canaries: KindRef = {
	group: 'flagger.app',
	version: 'v1beta1',
	plural: 'canaries',
	kind: 'Canary',
	optional: true,
};
const rollouts: KindRef = {
	group: 'argoproj.io',
	version: 'v1alpha1',
	plural: 'rollouts',
	kind: 'Rollout',
	optional: true,
};

let cluster: TestCluster;
let watcher: ClusterWatcher | undefined;

beforeEach(async () => {
	cluster = await startCluster();
});

afterEach(async () => {
	await watcher?.stop();
	watcher = undefined;
	await cluster.stop();
});

function watch(namespace?: string): ClusterWatcher {
	const config = new KubeConfig();
	config.loadFromString(cluster.sim.kubeconfig);
	watcher = new ClusterWatcher(
		new KubeClient(config),
		namespace,
		[...registry.watches, canaries, rollouts],
		10,
	);
	watcher.start();
	return watcher;
}

function names(objects: KubeObject[]): string[] {
	return objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
}

/** What the sim holds of a kind, as the watcher's snapshot should show it. */
function inSim(sim: Sim, plural: string, namespace?: string): string[] {
	return names(
		sim.store.peek(typeOf(plural), namespace ? {namespace} : {}) as unknown as KubeObject[],
	);
}

function selectorOf(snapshot: Snapshot, name = 'myapp'): string | undefined {
	return snapshot
		.list(kinds.service)
		.find((s) => s.metadata.namespace === 'default' && s.metadata.name === name)?.spec?.selector
		?.version;
}

function setLive(sim: Sim, version: string): void {
	sim.store.patch(typeOf('services'), 'default', 'myapp', 'merge', {spec: {selector: {version}}});
}

/** Counts 'change' events from now on. */
function changes(w: ClusterWatcher): {count: number} {
	const seen = {count: 0};
	w.on('change', () => {
		seen.count += 1;
	});
	return seen;
}

describe('ClusterWatcher against the sim', () => {
	it('lists everything detection needs and goes live', async () => {
		const w = watch();
		expect(w.state().status).toBe('connecting');
		await until('the watcher to be live', () => w.state().status === 'live', 10_000);
		const state = w.state();
		expect(state.missing).toEqual([]);
		expect(state.error).toBeUndefined();
		expect(Date.now() - state.lastDataAt).toBeLessThan(10_000);
		const snapshot = w.snapshot();
		expect(names(snapshot.list(kinds.service))).toEqual(inSim(cluster.sim, 'services'));
		expect(names(snapshot.list(kinds.service))).toEqual(
			expect.arrayContaining([
				'default/myapp',
				'default/app-blue',
				'default/app-green',
				'shop/shop-stable',
				'test/podinfo',
				'argo/rollouts-demo-stable',
			]),
		);
		expect(names(snapshot.list(kinds.deployment))).toEqual(inSim(cluster.sim, 'deployments'));
		expect(names(snapshot.list(kinds.deployment))).toEqual(
			expect.arrayContaining(['default/app-blue', 'default/app-green', 'shop/shop-canary']),
		);
		expect(names(snapshot.list(kinds.ingress))).toEqual(inSim(cluster.sim, 'ingresses'));
		expect(names(snapshot.list(kinds.ingress))).toEqual(
			expect.arrayContaining(['shop/shop', 'shop/shop-canary']),
		);
		expect(names(snapshot.list(canaries))).toEqual(['test/podinfo']);
		expect(names(snapshot.list(rollouts))).toEqual(['argo/rollouts-demo']);
		expect(selectorOf(snapshot)).toBe('blue');
		// Objects as the server sent them: a Canary keeps its status.
		expect(snapshot.list(canaries)[0]?.status?.canaryWeight).toBe(20);
	});

	it('emits change and shows a selector flip within a second', async () => {
		const w = watch();
		await until('live', () => w.state().status === 'live', 10_000);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const seen = changes(w);
		const flippedAt = Date.now();
		setLive(cluster.sim, 'green');
		await until('the change event', () => seen.count > 0, 10_000);
		await until('green in the snapshot', () => selectorOf(w.snapshot()) === 'green', 10_000);
		expect(Date.now() - flippedAt).toBeLessThan(1000);
		expect(w.state().status).toBe('live');
	});

	it('sees Events as they are recorded', async () => {
		const w = watch();
		await until('live', () => w.state().status === 'live', 10_000);
		cluster.sim.store.create(typeOf('events'), 'default', {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: 'myapp.cutover-test', namespace: 'default'},
			involvedObject: {apiVersion: 'v1', kind: 'Service', name: 'myapp', namespace: 'default'},
			reason: 'CutoverSwitch',
			message: 'switched default/myapp from blue -> green by test@host',
			type: 'Normal',
		});
		await until(
			'the Event',
			() => w.events().some((e) => (e as {reason?: string}).reason === 'CutoverSwitch'),
			1000,
		);
	});

	it('keeps receiving changes after the server drops its watches', async () => {
		const w = watch();
		await until('live', () => w.state().status === 'live', 10_000);
		cluster.sim.api.dropWatches();
		// Give the informers a moment to see the end of their streams, then change something.
		await new Promise((resolve) => setTimeout(resolve, 50));
		setLive(cluster.sim, 'green');
		await until('green after a dropped watch', () => selectorOf(w.snapshot()) === 'green', 10_000);
		cluster.sim.api.dropWatches();
		setLive(cluster.sim, 'blue');
		await until('blue after a second drop', () => selectorOf(w.snapshot()) === 'blue', 10_000);
		await until('live again', () => w.state().status === 'live', 10_000);
	});

	it('re-lists after 410 Gone (compacted history) and converges', async () => {
		const lines: string[] = [];
		await cluster.stop();
		cluster = await startCluster({log: (line) => lines.push(line)});
		const w = watch();
		await until('live', () => w.state().status === 'live', 10_000);
		// The services watch comes back late; meanwhile the selector flips and the history it
		// would resume from is compacted away, so resuming fails with 410 and only a list helps.
		cluster.sim.api.faults.add({method: 'GET', path: '/api/v1/services', delayMs: 300, times: 1});
		lines.length = 0;
		cluster.sim.api.dropWatches();
		await new Promise((resolve) => setTimeout(resolve, 50));
		setLive(cluster.sim, 'green');
		cluster.sim.store.compact();
		await until('green after the re-list', () => selectorOf(w.snapshot()) === 'green', 10_000);
		expect(lines).toContain('GET /api/v1/services 200');
		// And it keeps watching from the new list.
		setLive(cluster.sim, 'blue');
		await until('blue after the re-list', () => selectorOf(w.snapshot()) === 'blue', 10_000);
		expect(w.state().status).toBe('live');
	});

	it('gives up a watch the server never answers, and watches again once it does', async () => {
		const config = new KubeConfig();
		config.loadFromString(cluster.sim.kubeconfig);
		watcher = new ClusterWatcher(new KubeClient(config), undefined, registry.watches, 10, {
			watchOpenMs: 1500,
		});
		const w = watcher;
		w.start();
		await until('live', () => w.state().status === 'live', 10_000);
		// The restarted watch of services is accepted and never answered (a stuck proxy, say).
		cluster.sim.api.faults.add({method: 'GET', path: '/api/v1/services', hang: true});
		cluster.sim.api.dropWatches();
		await new Promise((resolve) => setTimeout(resolve, 500));
		cluster.sim.api.faults.clear();
		setLive(cluster.sim, 'green');
		await until(
			'green once a new watch is answered',
			() => selectorOf(w.snapshot()) === 'green',
			10_000,
		);
	});

	it('says disconnected, naming the server, when the API server goes away, and keeps the data', async () => {
		const w = watch();
		await until('live', () => w.state().status === 'live', 10_000);
		const url = cluster.sim.url;
		await cluster.stop();
		// A request in flight as it went may see its connection reset first; the next one, refused.
		const state = await until(
			'disconnected, connection refused',
			() => {
				const s = w.state();
				return s.status === 'disconnected' && s.error?.includes('ECONNREFUSED') ? s : undefined;
			},
			10_000,
		);
		expect(state.error?.startsWith(`cannot reach the API server at ${url}: `)).toBe(true);
		// The last state stays on screen, with its age.
		expect(selectorOf(w.snapshot())).toBe('blue');
		expect(state.lastDataAt).toBeGreaterThan(0);
	});

	it('a namespaced watcher sees only its namespace', async () => {
		const w = watch('shop');
		await until('live', () => w.state().status === 'live', 10_000);
		const snapshot = w.snapshot();
		expect(names(snapshot.list(kinds.service))).toEqual(['shop/shop-canary', 'shop/shop-stable']);
		expect(names(snapshot.list(kinds.deployment))).toEqual([
			'shop/shop-canary',
			'shop/shop-stable',
		]);
		expect(names(snapshot.list(kinds.ingress))).toEqual(['shop/shop', 'shop/shop-canary']);
		expect(snapshot.list(canaries)).toEqual([]);
		expect(snapshot.list(rollouts)).toEqual([]);
		// A change elsewhere is not its business.
		setLive(cluster.sim, 'green');
		cluster.sim.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
			metadata: {annotations: {'nginx.ingress.kubernetes.io/canary-weight': '25'}},
		});
		await until(
			'the shop canary weight',
			() =>
				w
					.snapshot()
					.list(kinds.ingress)
					.find((i) => i.metadata.name === 'shop-canary')?.metadata.annotations?.[
					'nginx.ingress.kubernetes.io/canary-weight'
				] === '25',
			1000,
		);
		expect(
			w
				.snapshot()
				.list(kinds.service)
				.every((s) => s.metadata.namespace === 'shop'),
		).toBe(true);
	});
});
