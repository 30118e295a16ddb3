import {resourceTypes} from './resources.js';
import type {KubeObject, Store} from './store.js';

const configMaps = resourceTypes.find((t) => t.plural === 'configmaps')!;

/**
 * The seed's Flask canary router, as the simulator runs it: a pod whose environment names
 * `STABLE_BACKEND` and `CANARY_BACKEND` sends `CANARY_PERCENTAGE` percent of requests to the
 * canary, by a hash of the user for known users and at random for anonymous ones. Like the real
 * one, a pod reads its environment once, when it starts: a variable filled from a ConfigMap
 * keeps the value the ConfigMap had then. Its hash is salted per pod (Python's `hash()` of a
 * string is salted per process) unless `PYTHONHASHSEED` is set.
 */
export type RouterPod = {
	pod: KubeObject;
	/** The percentage it started with, 0..100 (one it cannot read sends the canary nothing). */
	percent: number;
	stable: string;
	canary: string;
	/** What its hash is salted with: the PYTHONHASHSEED, else this process (the pod). */
	salt: string;
};

type EnvVar = {
	name: string;
	value?: string;
	valueFrom?: {configMapKeyRef?: {name?: string; key?: string}};
};

/** `http://stable-service:8080` -> `stable-service`. */
function serviceOf(url: string | undefined): string | undefined {
	return url
		?.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
		.split(/[/:?#]/)[0]
		?.split('.')[0];
}

/** FNV-1a over the salt and the user: the same user, the same salt, the same bucket 0..99. */
export function bucketOf(salt: string, user: string): number {
	let hash = 0x811c9dc5;
	for (const char of `${salt}:${user}`) {
		hash ^= char.codePointAt(0)!;
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash % 100;
}

/** Which backend one request goes to, as the seed's `get_backend(user_id)` decides. */
export function choose(router: RouterPod, user: string | undefined): 'stable' | 'canary' {
	const canary = user
		? bucketOf(router.salt, user) < router.percent
		: Math.floor(Math.random() * 100) + 1 <= router.percent;
	return canary ? 'canary' : 'stable';
}

export class Routers {
	/** The percentage each pod started with, by uid (what its process read at start). */
	private readonly started = new Map<string, number>();

	constructor(private readonly store: Store) {}

	/** The pod as a router, or undefined when it is not one. */
	routerOf(pod: KubeObject): RouterPod | undefined {
		const env: EnvVar[] = (pod.spec?.containers ?? []).flatMap(
			(c: {env?: EnvVar[]}) => c.env ?? [],
		);
		const value = (name: string) => env.find((e) => e.name === name);
		const stable = serviceOf(value('STABLE_BACKEND')?.value);
		const canary = serviceOf(value('CANARY_BACKEND')?.value);
		if (!stable || !canary) return undefined;
		const uid = String(pod.metadata.uid ?? pod.metadata.name);
		let percent = this.started.get(uid);
		if (percent === undefined) {
			percent = this.read(pod, value('CANARY_PERCENTAGE'));
			if (this.started.size > 10_000) this.started.clear();
			this.started.set(uid, percent);
		}
		const seed = value('PYTHONHASHSEED')?.value?.trim();
		const salt = seed && seed !== 'random' ? `seed:${seed}` : `pod:${uid}`;
		return {pod, percent, stable, canary, salt};
	}

	private read(pod: KubeObject, variable: EnvVar | undefined): number {
		let text = variable?.value;
		const ref = variable?.valueFrom?.configMapKeyRef;
		if (ref?.name && ref.key) {
			const configMap = this.store.find(configMaps, String(pod.metadata.namespace), ref.name);
			text = (configMap?.data as Record<string, string> | undefined)?.[ref.key];
		}
		const n = text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : 0;
		return Math.min(n, 100);
	}
}
