/**
 * A throttled API server (429 with Retry-After) refused the request before doing anything, so
 * asking again after the wait it named is safe, for writes too; anything else is never asked
 * again blindly. The watcher's restarts wait at least the Retry-After, and are jittered.
 */
import {KubeConfig} from '@kubernetes/client-node';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {ClusterError, KubeClient} from '../../source/cluster/client.js';
import {ClusterWatcher} from '../../source/cluster/watcher.js';
import {kinds} from '../../source/core/kinds.js';
import {registry} from '../../source/core/strategies/index.js';
import {startCluster, type TestCluster, typeOf, until} from '../helpers/sim-cluster.js';

let cluster: TestCluster;
let client: KubeClient;
/** The sim's log of answered requests, each with when it was answered. */
let lines: Array<{at: number; line: string}>;
const watchers: ClusterWatcher[] = [];

beforeEach(async () => {
	lines = [];
	cluster = await startCluster({log: (line) => lines.push({at: Date.now(), line})});
	const config = new KubeConfig();
	config.loadFromString(cluster.sim.kubeconfig);
	client = new KubeClient(config);
});

afterEach(async () => {
	for (const w of watchers.splice(0)) await w.stop();
	await cluster.stop();
});

const service = '/api/v1/namespaces/default/services/myapp';
const answered = (prefix: string) => lines.filter((l) => l.line.startsWith(prefix));

describe('429 with Retry-After', () => {
	it('a read is asked again after the wait the server named, and answers', async () => {
		cluster.sim.api.faults.add({status: 429, retryAfterSeconds: 1, path: service, times: 1});
		const started = Date.now();
		const object = await client.get<{metadata: {name: string}}>(service);
		expect(object.metadata.name).toBe('myapp');
		const asked = answered(`GET ${service} `);
		expect(asked.map((l) => l.line)).toEqual([`GET ${service} 429`, `GET ${service} 200`]);
		expect(asked[1]!.at - started).toBeGreaterThanOrEqual(1000);
	});

	it('a write refused with 429 is sent again and lands once', async () => {
		cluster.sim.api.faults.add({
			status: 429,
			retryAfterSeconds: 1,
			method: 'PATCH',
			path: service,
			times: 1,
		});
		await client.patch({...kinds.service, namespace: 'default', name: 'myapp'}, 'merge', {
			spec: {selector: {version: 'green'}},
		});
		expect(answered(`PATCH ${service} `).map((l) => l.line)).toEqual([
			`PATCH ${service} 429`,
			`PATCH ${service} 200`,
		]);
		expect(
			cluster.sim.store.get(typeOf('services'), 'default', 'myapp').spec.selector.version,
		).toBe('green');
	});

	it.for([
		{what: 'a 429 without Retry-After', fault: {status: 429}, says: 'throttling requests (429)'},
		{
			what: 'a Retry-After past 10 s',
			fault: {status: 429, retryAfterSeconds: 30},
			says: 'it asked to wait 30s',
		},
		{
			what: 'a 503 with Retry-After (the server may have begun)',
			fault: {status: 503, retryAfterSeconds: 1},
			says: '503',
		},
		{what: 'a 500', fault: {status: 500}, says: '500'},
	])('$what is not asked again: one request, an error naming it', async ({fault, says}) => {
		cluster.sim.api.faults.add({...fault, method: 'PATCH', path: service, times: 1});
		const error = await client
			.patch({...kinds.service, namespace: 'default', name: 'myapp'}, 'merge', {
				spec: {selector: {version: 'green'}},
			})
			.then(
				() => undefined,
				(e: unknown) => e,
			);
		expect(error).toBeInstanceOf(ClusterError);
		expect((error as Error).message).toContain(says);
		expect(answered(`PATCH ${service} `)).toHaveLength(1);
		expect(
			cluster.sim.store.get(typeOf('services'), 'default', 'myapp').spec.selector.version,
		).toBe('blue');
	});

	it('a server that keeps throttling is asked four times, then its answer is said', async () => {
		cluster.sim.api.faults.add({status: 429, retryAfterSeconds: 1, path: service});
		const error = await client.get(service).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect((error as Error).message).toMatch(/throttling requests \(429\).*asked to wait 1s/);
		expect(answered(`GET ${service} `)).toHaveLength(4);
	});
});

describe("the watcher's restarts", () => {
	function watch(random: number): ClusterWatcher {
		const w = new ClusterWatcher(client, undefined, registry.watches, 10, {random: () => random});
		watchers.push(w);
		w.start();
		return w;
	}

	/** Milliseconds between the failed list of services and the next one. */
	function relistGap(): number {
		const lists = lines.filter((l) =>
			/^GET \/api\/v1\/services(\?(?!.*watch=)\S*)? \d+$/.test(l.line),
		);
		const failed = lists.findIndex((l) => !l.line.endsWith(' 200'));
		expect(failed).toBeGreaterThanOrEqual(0);
		return lists[failed + 1]!.at - lists[failed]!.at;
	}

	it('wait at least the Retry-After the server asked for', async () => {
		cluster.sim.api.faults.add({
			// 503: the client itself does not ask again, so the wait is the watcher's.
			status: 503,
			retryAfterSeconds: 3,
			path: '/api/v1/services',
			times: 1,
		});
		const w = watch(0);
		await until('live after the refused list', () => w.state().status === 'live', 15_000);
		// Without the Retry-After its first backoff would be 0.5 s (1 s, jittered to half).
		expect(relistGap()).toBeGreaterThanOrEqual(3000);
		expect(w.snapshot().list(kinds.service).length).toBeGreaterThan(0);
	});

	// Retried: under a loaded CI run the injected 500 is now and then not met by the list this
	// watcher makes (cause not yet found; see the closing note of stop 24). Each try asserts in full.
	it('are jittered between half and all of the backoff', {retry: 2}, async () => {
		// The delays the watcher asks its timers for (what a clock under load cannot blur).
		const asked: number[] = [];
		const real = globalThis.setTimeout;
		const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
			callback: () => void,
			ms?: number,
		) => {
			asked.push(ms ?? 0);
			return real(callback, ms);
		}) as typeof setTimeout);
		try {
			for (const [random, delay] of [
				[0, 500],
				[0.999, 999.5],
			] as const) {
				asked.length = 0;
				cluster.sim.api.faults.add({status: 500, path: '/api/v1/services', times: 1});
				const w = watch(random);
				await until('live', () => w.state().status === 'live', 10_000);
				await w.stop();
				expect(asked).toContain(delay);
			}
		} finally {
			spy.mockRestore();
		}
	});
});
