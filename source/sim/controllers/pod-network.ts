import {resourceTypes} from '../resources.js';
import type {Store} from '../store.js';

const pods = resourceTypes.find((t) => t.plural === 'pods')!;

/** The node the sim's own pods are scheduled on, and its address (the pods' hostIP). */
export const simNode = {name: 'sim-node-1', ip: '172.18.0.2'};

/** Addresses per /24 the sim hands out: .2 to .251, as a node's pod CIDR leaves .0, .1 and the top. */
const perBlock = 250;
/** 10.244.0.0/16, the pod CIDR kind and flannel use by default. */
const blocks = 256;

function address(n: number): string {
	return `10.244.${Math.floor(n / perBlock) % blocks}.${(n % perBlock) + 2}`;
}

type Network = {next: number; taken: Set<string>};
const networks = new WeakMap<Store, Network>();

function inUse(store: Store): Set<string> {
	return new Set(
		store
			.peek(pods)
			.flatMap((pod) => [
				pod.status?.podIP,
				...(pod.status?.podIPs ?? []).map((p: {ip?: string}) => p.ip),
			]),
	);
}

/**
 * A pod IP no pod of this store holds, as the node's IPAM allocates one: the scenario's own pods
 * keep the addresses they were given, so they are skipped; the range wraps after 64,000.
 */
export function allocatePodIp(store: Store): string {
	let network = networks.get(store);
	if (!network) {
		network = {next: 10, taken: inUse(store)};
		networks.set(store, network);
	}
	for (let tries = 0; tries < perBlock * blocks; tries++) {
		const n = network.next++;
		if (network.next >= perBlock * blocks) {
			network.next = 0;
			network.taken = inUse(store);
		}
		const ip = address(n);
		if (network.taken.has(ip)) continue;
		network.taken.add(ip);
		return ip;
	}
	throw new Error('the simulated pod network 10.244.0.0/16 is full');
}
