/**
 * The sim's watch streams judged by the real @kubernetes/client-node: `Watch.watch` (events after
 * a list, resuming, 410 Gone, bookmarks) and `makeInformer` (events, reconnects, re-lists).
 */
import {
	makeInformer,
	PatchStrategy,
	setHeaderOptions,
	type V1ConfigMap,
} from '@kubernetes/client-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Client, connect, names, until, watch} from './client-node-helpers.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

let client: Client;
beforeAll(async () => {
	client = await connect({bookmarkIntervalMs: 100});
});
afterAll(async () => {
	await client?.sim.stop();
});

/** A fresh namespace per test, so no test sees another's objects. */
async function namespace(name: string): Promise<string> {
	await client.core.createNamespace({body: {metadata: {name}}});
	return name;
}

async function createConfigMap(ns: string, name: string, labels: Record<string, string> = {}) {
	return client.core.createNamespacedConfigMap({
		namespace: ns,
		body: {metadata: {name, labels}, data: {created: 'yes'}},
	});
}

describe('Watch.watch', () => {
	it('streams ADDED, MODIFIED and DELETED for changes after the list version', async () => {
		const ns = await namespace('watch-events');
		await createConfigMap(ns, 'existing');
		const list = await client.core.listNamespacedConfigMap({namespace: ns});
		const listVersion = Number(list.metadata?.resourceVersion);
		const watching = await watch(client.kc, `/api/v1/namespaces/${ns}/configmaps`, {
			resourceVersion: list.metadata?.resourceVersion,
		});
		try {
			await createConfigMap(ns, 'watched');
			await client.core.patchNamespacedConfigMap(
				{name: 'watched', namespace: ns, body: {data: {step: '2'}}},
				merge,
			);
			await client.core.deleteNamespacedConfigMap({name: 'watched', namespace: ns});
			await watching.next('the DELETED event', (e) => e.type === 'DELETED');
			expect(watching.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
				'ADDED watched',
				'MODIFIED watched',
				'DELETED watched',
			]);
			expect(watching.events[1]?.object.data).toEqual({created: 'yes', step: '2'});
			const versions = watching.events.map((e) => Number(e.object.metadata.resourceVersion));
			expect(versions[0]).toBeGreaterThan(listVersion);
			expect(versions).toEqual([...versions].sort((a, b) => a - b));
			expect(new Set(versions).size).toBe(3);
		} finally {
			watching.stop();
		}
		// Aborting is a normal stop: done is called with an AbortError.
		expect(((await watching.done) as Error | null)?.name).toBe('AbortError');
	});

	it('reports objects moving into and out of a label selector as ADDED and DELETED', async () => {
		const ns = await namespace('watch-selector');
		const list = await client.core.listNamespacedConfigMap({namespace: ns});
		const watching = await watch(client.kc, `/api/v1/namespaces/${ns}/configmaps`, {
			resourceVersion: list.metadata?.resourceVersion,
			labelSelector: 'color in (blue)',
		});
		try {
			await createConfigMap(ns, 'paint', {color: 'blue'});
			await createConfigMap(ns, 'other', {color: 'red'});
			for (const color of ['green', 'blue']) {
				await client.core.patchNamespacedConfigMap(
					{name: 'paint', namespace: ns, body: {metadata: {labels: {color}}}},
					merge,
				);
			}
			await watching.next('the second ADDED', () => watching.events.length >= 3);
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect(
				watching.events.map(
					(e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels.color}`,
				),
			).toEqual(['ADDED paint blue', 'DELETED paint green', 'ADDED paint blue']);
		} finally {
			watching.stop();
		}
	});

	it('replays the changes after an older version when resuming from it', async () => {
		const ns = await namespace('watch-resume');
		const start = (await client.core.listNamespacedConfigMap({namespace: ns})).metadata
			?.resourceVersion;
		const first = await createConfigMap(ns, 'first');
		await createConfigMap(ns, 'second');
		await client.core.deleteNamespacedConfigMap({name: 'first', namespace: ns});

		const fromStart = await watch(client.kc, `/api/v1/namespaces/${ns}/configmaps`, {
			resourceVersion: start,
		});
		const fromFirst = await watch(client.kc, `/api/v1/namespaces/${ns}/configmaps`, {
			resourceVersion: first.metadata?.resourceVersion,
		});
		try {
			await fromStart.next('the replayed DELETED', (e) => e.type === 'DELETED');
			await fromFirst.next('the replayed DELETED', (e) => e.type === 'DELETED');
			expect(fromStart.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
				'ADDED first',
				'ADDED second',
				'DELETED first',
			]);
			expect(fromFirst.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
				'ADDED second',
				'DELETED first',
			]);
			// And the stream goes on live after the replay.
			await createConfigMap(ns, 'third');
			await fromFirst.next('the live ADDED', (e) => e.object.metadata.name === 'third');
		} finally {
			fromStart.stop();
			fromFirst.stop();
		}
	});

	it('answers a version older than the history with an ERROR 410 event, then ends', async () => {
		const ns = await namespace('watch-gone');
		const old = (await client.core.listNamespacedConfigMap({namespace: ns})).metadata
			?.resourceVersion;
		await createConfigMap(ns, 'after');
		client.sim.store.compact();
		const watching = await watch(client.kc, `/api/v1/namespaces/${ns}/configmaps`, {
			resourceVersion: old,
		});
		const ended = await Promise.race([
			watching.done.then(() => 'ended'),
			new Promise((resolve) => setTimeout(() => resolve('still open'), 3000)),
		]);
		expect(ended).toBe('ended');
		expect(await watching.done).toBeNull();
		expect(watching.events).toHaveLength(1);
		const [event] = watching.events;
		expect(event?.type).toBe('ERROR');
		expect(event?.object).toMatchObject({
			kind: 'Status',
			status: 'Failure',
			code: 410,
			reason: 'Expired',
		});
		expect(event?.object.message).toContain(`too old resource version: ${old}`);

		// A watch from the current version still works.
		const current = (await client.core.listNamespacedConfigMap({namespace: ns})).metadata
			?.resourceVersion;
		const again = await watch(client.kc, `/api/v1/namespaces/${ns}/configmaps`, {
			resourceVersion: current,
		});
		try {
			await createConfigMap(ns, 'later');
			const added = await again.next('ADDED later', (e) => e.type === 'ADDED');
			expect(added.object.metadata.name).toBe('later');
		} finally {
			again.stop();
		}
	});

	it('sends bookmarks only when asked for them', async () => {
		const ns = await namespace('watch-bookmarks');
		const version = (await client.core.listNamespacedConfigMap({namespace: ns})).metadata
			?.resourceVersion;
		const path = `/api/v1/namespaces/${ns}/configmaps`;
		const withBookmarks = await watch(client.kc, path, {
			resourceVersion: version,
			allowWatchBookmarks: true,
		});
		const without = await watch(client.kc, path, {resourceVersion: version});
		try {
			const bookmark = await withBookmarks.next('a BOOKMARK', (e) => e.type === 'BOOKMARK');
			expect(bookmark.object.kind).toBe('ConfigMap');
			expect(bookmark.object.apiVersion).toBe('v1');
			expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
				Number(version),
			);
			// A bookmark's version is one the client can resume from.
			await createConfigMap(ns, 'after-bookmark');
			const last = await withBookmarks.next(
				'a bookmark after the change',
				(e) =>
					e.type === 'BOOKMARK' &&
					withBookmarks.events.some((other) => other.type === 'ADDED') &&
					withBookmarks.events.indexOf(e) >
						withBookmarks.events.findIndex((o) => o.type === 'ADDED'),
			);
			const resumed = await watch(client.kc, path, {
				resourceVersion: last.object.metadata.resourceVersion,
			});
			await new Promise((resolve) => setTimeout(resolve, 250));
			resumed.stop();
			expect(resumed.events).toEqual([]);
			expect(without.events.map((e) => e.type)).toEqual(['ADDED']);
		} finally {
			withBookmarks.stop();
			without.stop();
		}
	});
});

describe('makeInformer', () => {
	type Seen = {log: string[]; connects: number; errors: unknown[]; lists: number};

	async function inform(ns: string) {
		const seen: Seen = {log: [], connects: 0, errors: [], lists: 0};
		const informer = makeInformer<V1ConfigMap>(
			client.kc,
			`/api/v1/namespaces/${ns}/configmaps`,
			() => {
				seen.lists++;
				return client.core.listNamespacedConfigMap({namespace: ns});
			},
		);
		informer.on('add', (o) => seen.log.push(`add ${o.metadata?.name}`));
		informer.on('update', (o) => seen.log.push(`update ${o.metadata?.name}`));
		informer.on('delete', (o) => seen.log.push(`delete ${o.metadata?.name}`));
		informer.on('connect', () => seen.connects++);
		informer.on('error', (error) => seen.errors.push(error));
		await informer.start();
		return {informer, seen};
	}

	it('delivers add, update and delete', async () => {
		const ns = await namespace('informer-events');
		await createConfigMap(ns, 'before');
		const {informer, seen} = await inform(ns);
		try {
			expect(names(informer.list())).toEqual(['before']);
			await createConfigMap(ns, 'one');
			await client.core.patchNamespacedConfigMap(
				{name: 'one', namespace: ns, body: {data: {step: '2'}}},
				merge,
			);
			await client.core.deleteNamespacedConfigMap({name: 'before', namespace: ns});
			await until('the delete', () => seen.log.includes('delete before'));
			expect(seen.log).toEqual(['add before', 'add one', 'update one', 'delete before']);
			expect(names(informer.list())).toEqual(['one']);
			expect(informer.get('one', ns)?.data).toEqual({created: 'yes', step: '2'});
			expect(seen.errors).toEqual([]);
		} finally {
			await informer.stop();
		}
	});

	it('reconnects by itself after the watches are dropped, and keeps delivering', async () => {
		const ns = await namespace('informer-drop');
		const {informer, seen} = await inform(ns);
		try {
			expect(seen.connects).toBe(1);
			client.sim.api.dropWatches();
			await until('the reconnect', () => seen.connects >= 2);
			await createConfigMap(ns, 'after-drop');
			await until('the add', () => seen.log.includes('add after-drop'));
			// It resumed its watch from where it was: no second list.
			expect(seen.lists).toBe(1);
			expect(names(informer.list())).toEqual(['after-drop']);
			expect(seen.errors).toEqual([]);
		} finally {
			await informer.stop();
		}
	});

	it('re-lists after a compaction and a drop (410), ending with the right cache', async () => {
		const ns = await namespace('informer-gone');
		await createConfigMap(ns, 'kept');
		await createConfigMap(ns, 'removed');
		const {informer, seen} = await inform(ns);
		try {
			expect(names(informer.list())).toEqual(['kept', 'removed']);
			// Hold the informer's next watch request back while the world changes under it.
			client.sim.api.faults.add({
				method: 'GET',
				path: `/api/v1/namespaces/${ns}/configmaps`,
				delayMs: 1000,
				times: 1,
			});
			client.sim.api.dropWatches();
			await until('the reconnect', () => seen.connects >= 2);
			await client.core.deleteNamespacedConfigMap({name: 'removed', namespace: ns});
			await createConfigMap(ns, 'added');
			await client.core.patchNamespacedConfigMap(
				{name: 'kept', namespace: ns, body: {data: {step: '2'}}},
				merge,
			);
			client.sim.store.compact();
			await until('the re-list', () => seen.lists >= 2, 5000);
			await until('the cache to catch up', () => names(informer.list()).join() === 'added,kept');
			expect(informer.get('kept', ns)?.data).toEqual({created: 'yes', step: '2'});
			expect(seen.log).toEqual(
				expect.arrayContaining(['delete removed', 'add added', 'update kept']),
			);
			expect(seen.errors).toEqual([]);
			// And it is watching again.
			await createConfigMap(ns, 'later');
			await until('the add after the re-list', () => seen.log.includes('add later'));
			expect(names(informer.list())).toEqual(['added', 'kept', 'later']);
		} finally {
			await informer.stop();
		}
	});
});
