/**
 * The fault table, driven through one console: each fault is injected into the sim's API, the
 * cluster changes behind it while it lasts, and once it ends the screen says what the sim's own
 * store says (the live color of myapp, the weight of the shop canary), with the header live.
 */
import {describe, expect, it} from 'vitest';
import type {Fault} from '../../source/sim/faults.js';
import {type Cluster, openConsole, rowWith, startupMs, typeOf} from './harness.js';

const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';

/** What the store says, as the list shows it. */
function truth(cluster: Cluster): {color: string; weight: string} {
	const ingress = cluster.sim.store.get(typeOf('ingresses'), 'shop', 'shop-canary');
	return {
		color: `${cluster.selector()!.toUpperCase()} live`,
		weight: `${ingress.metadata.annotations?.[weightKey]}%`,
	};
}

const header = (screen: string) => screen.split('\n')[0] ?? '';

/** The screen shows the store's state, and says it is live. */
function agrees(screen: string, cluster: Cluster): boolean {
	const {color, weight} = truth(cluster);
	return (
		(rowWith(screen, 'default/myapp') ?? '').includes(color) &&
		(rowWith(screen, 'shop/shop-canary') ?? '').includes(weight) &&
		/ live\b/.test(header(screen)) &&
		!/stale|disconnected/.test(header(screen))
	);
}

function change(cluster: Cluster, step: number): void {
	cluster.setSelector(cluster.selector() === 'blue' ? 'green' : 'blue');
	cluster.sim.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
		metadata: {annotations: {[weightKey]: String(10 + ((step * 7) % 80))}},
	});
}

type Row = {
	name: string;
	/** Faults while it lasts. */
	faults?: Fault[];
	/** Done to the server at its start (and again halfway). */
	act?: (cluster: Cluster) => void;
	/** How long it lasts. */
	ms: number;
	/** The screen already agrees while the fault lasts (the fault is one cutover works around). */
	convergesDuring?: boolean;
};

const drop = (cluster: Cluster) => cluster.sim.api.dropWatches();

const table: Row[] = [
	{name: 'watches dropped', act: drop, ms: 1500, convergesDuring: true},
	{
		name: '410 Expired on every watch resume, history compacted',
		faults: [{expireResumes: true}],
		act: (cluster) => {
			cluster.sim.store.compact();
			drop(cluster);
		},
		ms: 3000,
		convergesDuring: true,
	},
	{
		name: '503 on half of the reads',
		faults: [{status: 503, method: 'GET', share: 0.5}],
		act: drop,
		ms: 4000,
	},
	{
		name: '429 with Retry-After 2 on every read',
		faults: [{status: 429, retryAfterSeconds: 2, method: 'GET'}],
		act: drop,
		ms: 4000,
	},
	{
		name: '1.5 s latency on every read',
		faults: [{method: 'GET', delayMs: 1500}],
		act: drop,
		ms: 4000,
	},
	{
		name: 'connections dropped before handling',
		faults: [{method: 'GET', dropConnection: true}],
		act: drop,
		ms: 3000,
	},
	{name: 'every read hangs', faults: [{method: 'GET', hang: true}], act: drop, ms: 6000},
	{name: 'a restart with its history reset', act: (cluster) => cluster.sim.restart(), ms: 1000},
];

describe('the console through the fault table', () => {
	it('after each fault the screen equals the sim, and says live', {
		timeout: 240_000,
	}, async (context) => {
		const {cluster, console} = await openConsole(context, {args: ['-A'], columns: 100, rows: 30});
		await console.waitFor((s) => agrees(s, cluster), startupMs);
		for (const [index, row] of table.entries()) {
			for (const fault of row.faults ?? []) cluster.sim.api.faults.add(fault);
			row.act?.(cluster);
			change(cluster, index);
			await new Promise((resolve) => setTimeout(resolve, row.ms / 2));
			row.act?.(cluster);
			change(cluster, index + 100);
			await new Promise((resolve) => setTimeout(resolve, row.ms / 2));
			if (row.convergesDuring)
				await console
					.waitFor((s) => agrees(s, cluster), 15_000)
					.catch((error: Error) => {
						throw new Error(`${row.name}, while it lasts: ${error.message}`);
					});
			cluster.sim.api.faults.clear();
			// A hung request is the server's to end: a new watch or probe finds it answering again.
			await console
				.waitFor((s) => agrees(s, cluster), 40_000)
				.catch((error: Error) => {
					throw new Error(`${row.name}, after it ended: ${error.message}`);
				});
		}
		expect(agrees((await console.screen()).join('\n'), cluster)).toBe(true);
	});
});
