/**
 * The sim's list and watch history judged as a real API server's, by the real
 * @kubernetes/client-node over HTTP: lists in pages (continue tokens, remainingItemCount, one
 * resourceVersion across pages), a history compacted by time (410 after the window), Exact
 * reads, versions not reached yet (504), the watch-list's initial-events-end bookmark, and a
 * restart (the port refused a while, old versions 410, cutover's ClusterWatcher converging).
 */
import {connect as connectTo} from 'node:net';
import {KubeConfig} from '@kubernetes/client-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KubeClient} from '../../source/cluster/client.js';
import {ClusterWatcher} from '../../source/cluster/watcher.js';
import {kinds} from '../../source/core/kinds.js';
import {registry} from '../../source/core/strategies/index.js';
import {typeOf} from '../helpers/sim-cluster.js';
import {type Any, apiError, type Client, connect, until, watch} from './client-node-helpers.js';

const compactionMs = 1000;
const pastTheWindow = () => new Promise((resolve) => setTimeout(resolve, compactionMs + 300));

let client: Client;
beforeAll(async () => {
	client = await connect({compactionMs, tooLargeWaitMs: 300, restartDownMs: 800});
});
afterAll(async () => {
	await client?.sim.stop();
});

async function configMaps(namespace: string, names: string[]): Promise<void> {
	await client.core.createNamespace({body: {metadata: {name: namespace}}});
	for (const name of names) {
		await client.core.createNamespacedConfigMap({
			namespace,
			body: {metadata: {name}, data: {step: '1'}},
		});
	}
}

const list = (namespace: string, params: Record<string, Any> = {}) =>
	client.core.listNamespacedConfigMap({namespace, ...params});

const names = (items: Any[]) => items.map((item) => item.metadata.name);

describe('lists in pages', () => {
	it("pages by limit and continue at the first page's version, however the world moves meanwhile", async () => {
		await configMaps('pages', ['cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5']);
		const first = await list('pages', {limit: 2});
		expect(names(first.items)).toEqual(['cm-1', 'cm-2']);
		expect(first.metadata?.remainingItemCount).toBe(3);
		expect(first.metadata?._continue).toMatch(/^[A-Za-z0-9_-]+$/);
		// Written between the pages: not in this list, which is the world at the first page's version.
		await client.core.createNamespacedConfigMap({
			namespace: 'pages',
			body: {metadata: {name: 'cm-3a'}},
		});
		await client.core.deleteNamespacedConfigMap({name: 'cm-4', namespace: 'pages'});
		const second = await list('pages', {limit: 2, _continue: first.metadata?._continue});
		expect(names(second.items)).toEqual(['cm-3', 'cm-4']);
		expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
		expect(second.metadata?.remainingItemCount).toBe(1);
		const last = await list('pages', {limit: 2, _continue: second.metadata?._continue});
		expect(names(last.items)).toEqual(['cm-5']);
		expect(last.metadata?._continue).toBeFalsy();
		expect(last.metadata?.remainingItemCount).toBeUndefined();
		// A selector leaves etcd nothing to count: no remainingItemCount, still a token.
		const selected = await list('pages', {limit: 1, fieldSelector: 'metadata.name!=cm-1'});
		expect(selected.metadata?._continue).toBeTruthy();
		expect(selected.metadata?.remainingItemCount).toBeUndefined();
	});

	it('refuses a token it did not make with 400, and an expired one with 410 and a token to go on', async () => {
		const bad = await apiError(list('pages', {limit: 2, _continue: 'not-a-token'}));
		expect(bad.code).toBe(400);
		expect(bad.status.reason).toBe('BadRequest');
		expect(bad.status.message).toMatch(/^invalid continue token: continue key is not valid: /);
		const first = await list('pages', {limit: 2});
		await client.core.patchNamespacedConfigMap({
			name: 'cm-1',
			namespace: 'pages',
			body: [{op: 'replace', path: '/data/step', value: '2'}],
		});
		await pastTheWindow();
		const expired = await apiError(list('pages', {limit: 2, _continue: first.metadata?._continue}));
		expect(expired.code).toBe(410);
		expect(expired.status.reason).toBe('Expired');
		expect(expired.status.message).toMatch(
			/^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/,
		);
		const onFromNow = (expired.status as Any).metadata.continue;
		const rest = await list('pages', {limit: 10, _continue: onFromNow});
		expect(names(rest.items)).toEqual(['cm-3', 'cm-3a', 'cm-5']);
	});
});

describe('the history, compacted by time', () => {
	it('reads a list at an exact older version, and answers 410 once the window has passed it', async () => {
		await configMaps('exact', ['before']);
		const then = (await list('exact')).metadata?.resourceVersion;
		await client.core.createNamespacedConfigMap({
			namespace: 'exact',
			body: {metadata: {name: 'after'}},
		});
		await client.core.patchNamespacedConfigMap({
			name: 'before',
			namespace: 'exact',
			body: [{op: 'replace', path: '/data/step', value: '2'}],
		});
		const exact = await list('exact', {resourceVersion: then, resourceVersionMatch: 'Exact'});
		expect(names(exact.items)).toEqual(['before']);
		expect(exact.items[0]?.data).toEqual({step: '1'});
		expect(exact.metadata?.resourceVersion).toBe(then);
		await pastTheWindow();
		const gone = await apiError(
			list('exact', {resourceVersion: then, resourceVersionMatch: 'Exact'}),
		);
		expect(gone.code).toBe(410);
		expect(gone.status.reason).toBe('Expired');
		expect(gone.status.message).toBe('The resourceVersion for the provided list is too old.');
	});

	it('ends a watch resumed from before the window with 410 Expired inside the stream', async () => {
		const then = Number((await list('exact')).metadata?.resourceVersion);
		await client.core.createNamespacedConfigMap({
			namespace: 'exact',
			body: {metadata: {name: 'later'}},
		});
		const fresh = await watch(client.kc, '/api/v1/namespaces/exact/configmaps', {
			resourceVersion: String(then),
		});
		await fresh.next('the change after the version', (e) => e.type === 'ADDED');
		fresh.stop();
		await pastTheWindow();
		await client.core.createNamespacedConfigMap({
			namespace: 'exact',
			body: {metadata: {name: 'latest'}},
		});
		const stale = await watch(client.kc, '/api/v1/namespaces/exact/configmaps', {
			resourceVersion: String(then),
		});
		const error = await stale.next('the ERROR event', (e) => e.type === 'ERROR');
		expect(error.object.code).toBe(410);
		expect(error.object.reason).toBe('Expired');
		expect(error.object.message).toMatch(
			new RegExp(`^too old resource version: ${then} \\(\\d+\\)$`),
		);
		await stale.done;
	});

	it('answers a version it has not reached with 504 Too large resource version, after waiting for it', async () => {
		const current = client.sim.store.resourceVersion;
		const ahead = current + 1000;
		const started = Date.now();
		const response = await fetch(
			`${client.sim.url}/api/v1/namespaces/exact/configmaps?resourceVersion=${ahead}`,
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		expect(response.status).toBe(504);
		expect(response.headers.get('retry-after')).toBe('1');
		const status = (await response.json()) as Any;
		expect(status.reason).toBe('Timeout');
		expect(status.message).toMatch(
			new RegExp(`^Timeout: Too large resource version: ${ahead}, current: \\d+$`),
		);
		expect(status.details.causes).toEqual([
			{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'},
		]);
	});
});

describe('the watch-list', () => {
	it('sends every object as ADDED, then the bookmark annotated initial-events-end', async () => {
		await configMaps('watchlist', ['one', 'two', 'three']);
		const version = (await list('watchlist')).metadata?.resourceVersion;
		const watching = await watch(client.kc, '/api/v1/namespaces/watchlist/configmaps', {
			sendInitialEvents: true,
			resourceVersionMatch: 'NotOlderThan',
			allowWatchBookmarks: true,
			resourceVersion: version,
		});
		try {
			const end = await watching.next(
				'the initial-events-end bookmark',
				(e) => e.type === 'BOOKMARK',
			);
			expect(end.object.metadata.annotations).toEqual({'k8s.io/initial-events-end': 'true'});
			expect(Number(end.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(version));
			const before = watching.events.slice(0, watching.events.indexOf(end));
			expect(before.map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual([
				'ADDED one',
				'ADDED three',
				'ADDED two',
			]);
		} finally {
			watching.stop();
		}
	});

	it('refuses a watch-list without resourceVersionMatch=NotOlderThan with 422, as ValidateListOptions does', async () => {
		const response = await fetch(
			`${client.sim.url}/api/v1/namespaces/watchlist/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`,
		);
		expect(response.status).toBe(422);
		const status = (await response.json()) as Any;
		expect(status.reason).toBe('Invalid');
		expect(status.message).toBe(
			'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
		);
		expect(status.details.causes).toEqual([
			{
				reason: 'FieldValueForbidden',
				message:
					'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
				field: 'resourceVersionMatch',
			},
		]);
	});
});

describe('a restart', () => {
	/** Writes, so the old history is ahead of the world a restart loads (else their versions coincide). */
	async function moveOn(namespace: string): Promise<void> {
		await configMaps(
			namespace,
			Array.from({length: 20}, (_, i) => `moved-${i}`),
		);
	}

	it('refuses connections a while, then answers a resume from the old history with 410', async () => {
		const {sim} = client;
		await moveOn('moved-on');
		const old = String(sim.store.resourceVersion);
		const restarted = sim.restart();
		// New connections, as a client's next ones (a pooled one would be cut, not refused).
		const connects = () =>
			new Promise<string | undefined>((resolve) => {
				const socket = connectTo(sim.port, '127.0.0.1');
				socket.on('connect', () => {
					socket.destroy();
					resolve('connected');
				});
				socket.on('error', (error: Error & {code?: string}) => resolve(error.code));
			});
		const started = Date.now();
		expect(await connects()).toBe('ECONNREFUSED');
		await until('the port to listen again', async () => (await connects()) === 'connected', 5000);
		// About restartDownMs (800 ms): as long as a real API server takes to come back, not at once.
		expect(Date.now() - started).toBeGreaterThanOrEqual(700);
		await restarted;
		expect(sim.store.resourceVersion).toBeLessThan(Number(old));
		const resumed = await watch(client.kc, '/api/v1/namespaces/default/services', {
			resourceVersion: old,
		});
		const error = await resumed.next('the ERROR event', (e) => e.type === 'ERROR');
		expect(error.object.code).toBe(410);
		expect(error.object.message).toMatch(
			new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`),
		);
	});

	it("cutover's ClusterWatcher says it is disconnected while the port is closed, relists and converges", async () => {
		const {sim} = client;
		const config = new KubeConfig();
		config.loadFromString(sim.kubeconfig);
		// No probe: only the watches' answers can bring it back to the new history.
		const watcher = new ClusterWatcher(new KubeClient(config), undefined, registry.watches, 10, {
			probeMs: 60_000,
		});
		watcher.start();
		try {
			await until('the watcher to be live', () => watcher.state().status === 'live', 10_000);
			await moveOn('moved-on-again');
			sim.store.create(typeOf('services'), 'default', {
				metadata: {name: 'before-restart'},
				spec: {selector: {app: 'x'}, ports: [{port: 80}]},
			});
			const service = (name: string) =>
				watcher
					.snapshot()
					.list(kinds.service)
					.find((s) => s.metadata.namespace === 'default' && s.metadata.name === name);
			await until('the new Service seen', () => service('before-restart'));
			const restarted = sim.restart();
			await until(
				'the watcher to say disconnected',
				() => watcher.state().status === 'disconnected',
				5000,
			);
			expect(watcher.state().error).toMatch(/ECONNREFUSED/);
			await restarted;
			sim.store.patch(typeOf('services'), 'default', 'myapp', 'merge', {
				spec: {selector: {version: 'green'}},
			});
			await until(
				'the watcher converged on the new history',
				() =>
					watcher.state().status === 'live' &&
					!service('before-restart') &&
					service('myapp')?.spec?.selector?.version === 'green',
				10_000,
			);
		} finally {
			await watcher.stop();
		}
	});
});
