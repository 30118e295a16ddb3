/**
 * The fault table the console is driven through (test/e2e/faults.test.ts, and the soak): each
 * row a fault the sim's API injects, what is done to the server meanwhile, and how long it
 * lasts; and what "the screen equals the cluster" means, read from the sim's own store.
 */
import type {Fault} from '../../source/sim/faults.js';
import type {Sim} from '../../source/sim/index.js';
import {resourceTypes} from '../../source/sim/resources.js';

const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';
const type = (plural: string) => resourceTypes.find((t) => t.plural === plural)!;

export type FaultRow = {
	name: string;
	/** Faults while it lasts. */
	faults?: Fault[];
	/** Done to the server at its start and again halfway. */
	act?: (sim: Sim) => void;
	/** How long it lasts. */
	ms: number;
	/** The screen already agrees while it lasts (a fault cutover works around). */
	convergesDuring?: boolean;
};

const drop = (sim: Sim) => void sim.api.dropWatches();

export const faultTable: FaultRow[] = [
	{name: 'watches dropped', act: drop, ms: 1500, convergesDuring: true},
	{
		name: '410 Expired on every watch resume, history compacted',
		faults: [{expireResumes: true}],
		act: (sim) => {
			sim.store.compact();
			drop(sim);
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
	{name: 'a restart with its history reset', act: (sim) => sim.restart(), ms: 1000},
];

/** What the sim's store says, as the console's list shows it. */
export function truth(sim: Sim): {color: string; weight: string} {
	const service = sim.store.get(type('services'), 'default', 'myapp');
	const ingress = sim.store.get(type('ingresses'), 'shop', 'shop-canary');
	return {
		color: `${String(service.spec.selector.version).toUpperCase()} live`,
		weight: `${ingress.metadata.annotations?.[weightKey]}%`,
	};
}

const rowWith = (screen: string, text: string) =>
	screen.split('\n').find((line) => line.includes(text)) ?? '';

/** The screen shows the store's state (myapp's live color, the shop canary's weight), and says it is live. */
export function agrees(screen: string, sim: Sim): boolean {
	const {color, weight} = truth(sim);
	const header = screen.split('\n')[0] ?? '';
	return (
		rowWith(screen, 'default/myapp').includes(color) &&
		rowWith(screen, 'shop/shop-canary').includes(weight) &&
		/ live\b/.test(header) &&
		!/stale|disconnected/.test(header)
	);
}

/** Another writer's change: myapp's selector flips and the shop canary's weight moves. */
export function churn(sim: Sim, step: number): void {
	const services = type('services');
	const live = sim.store.get(services, 'default', 'myapp').spec.selector.version;
	sim.store.patch(services, 'default', 'myapp', 'merge', {
		spec: {selector: {version: live === 'blue' ? 'green' : 'blue'}},
	});
	sim.store.patch(type('ingresses'), 'shop', 'shop-canary', 'merge', {
		metadata: {annotations: {[weightKey]: String(10 + ((step * 7) % 80))}},
	});
}
