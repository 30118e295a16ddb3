import {kinds, namespaceOf} from './kinds.js';
import type {KubeObject, ObjectRef, Snapshot} from './types.js';
import {pointerToken} from './workloads.js';

/**
 * How an app-level canary router (the seed's Flask router) is set up, read from its Deployment:
 * where its percentage lives, which two Services it sends to, how it picks a user's version.
 * Annotations on the router Deployment say what cannot be guessed:
 *
 * - `cutover.dev/router-weight`: `env/NAME` (a variable of its pod template) or
 *   `configmap/NAME/KEY`. An env variable filled from a ConfigMap (`valueFrom.configMapKeyRef`)
 *   is that ConfigMap's key: either way pods read it when they start.
 * - `cutover.dev/router-stable`, `cutover.dev/router-canary`: the backend Services, when the
 *   environment does not name them (`STABLE_BACKEND`, `CANARY_BACKEND`, as URLs).
 * - `cutover.dev/router-sticky`: the header that pins a user to a version (`X-User-ID`), `none`.
 * - `cutover.dev/router-hash`: `stable` when its hash is the same in every process (not Python's
 *   `hash()` of a string); the PYTHONHASHSEED warning is then not shown.
 */
export const routerAnnotations = {
	weight: 'cutover.dev/router-weight',
	stable: 'cutover.dev/router-stable',
	canary: 'cutover.dev/router-canary',
	sticky: 'cutover.dev/router-sticky',
	hash: 'cutover.dev/router-hash',
	/** On the pod template: the percentage a ConfigMap held when cutover last restarted the pods. */
	loaded: 'cutover.dev/router-loaded-weight',
} as const;

type EnvVar = {
	name: string;
	value?: string;
	valueFrom?: {configMapKeyRef?: {name?: string; key?: string}};
};
type Container = {name?: string; env?: EnvVar[]};

/** Where the percentage is, as a JSON Pointer into the object that holds it. */
export type WeightSource =
	| {kind: 'env'; name: string; container: number; index: number; path: string}
	| {kind: 'configmap'; ref: ObjectRef; key: string; path: string; via?: string};

export type RouterConfig = {
	source: WeightSource | undefined;
	/** The text at the source now (undefined: absent). */
	seen: string | undefined;
	/** 0..100, or null when it cannot be read (never guessed). */
	weight: number | null;
	stableService: string | undefined;
	canaryService: string | undefined;
	/** How a request picks its version, in words. */
	routing: string;
	/** Why a user may see both versions, with the fix; none when sticky routing holds. */
	hashWarning?: string;
	problems: string[];
};

function containersOf(template: KubeObject['spec']): Container[] {
	return template?.spec?.containers ?? [];
}

/** The first variable of that name in the template's containers, with where it is. */
function findEnv(
	template: KubeObject['spec'],
	name: string,
): {variable: EnvVar; container: number; index: number} | undefined {
	for (const [container, c] of containersOf(template).entries()) {
		const index = (c.env ?? []).findIndex((e) => e.name === name);
		if (index >= 0) return {variable: c.env![index]!, container, index};
	}
	return undefined;
}

/** `http://stable-service:8080` -> `stable-service`; `canary.shop.svc.cluster.local` -> its first label. */
export function serviceOfUrl(url: string | undefined): string | undefined {
	if (!url) return undefined;
	const host = url
		.trim()
		.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
		.split(/[/:?#]/)[0];
	const name = host?.split('.')[0];
	return name && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) ? name : undefined;
}

export function isRouter(deployment: KubeObject): boolean {
	return deployment.metadata.annotations?.[routerAnnotations.weight] !== undefined;
}

/** A percentage as the seed's router compares it (`hash % 100 < p`): an integer 0..100. */
export function parsePercent(text: string | undefined): number | null {
	if (text === undefined || !/^\s*\d+\s*$/.test(text)) return null;
	const n = Number(text);
	return n <= 100 ? n : null;
}

function configMapSource(namespace: string, name: string, key: string, via?: string): WeightSource {
	return {
		kind: 'configmap',
		ref: {...kinds.configMap, namespace, name},
		key,
		path: `/data/${pointerToken(key)}`,
		...(via ? {via} : {}),
	};
}

function sourceOf(router: KubeObject, problems: string[]): WeightSource | undefined {
	const raw = router.metadata.annotations?.[routerAnnotations.weight] ?? '';
	const namespace = namespaceOf(router);
	const [kind, ...rest] = raw.trim().split('/');
	if (kind === 'configmap' && rest.length === 2 && rest[0] && rest[1])
		return configMapSource(namespace, rest[0], rest[1]);
	if (kind === 'env' && rest.length === 1 && rest[0]) {
		const name = rest[0];
		const found = findEnv(router.spec?.template, name);
		if (!found) {
			problems.push(`no container of ${router.metadata.name} sets ${name} in its environment`);
			return undefined;
		}
		const fromMap = found.variable.valueFrom?.configMapKeyRef;
		if (fromMap?.name && fromMap.key)
			return configMapSource(namespace, fromMap.name, fromMap.key, name);
		if (found.variable.valueFrom) {
			problems.push(
				`${name} comes from a Secret or a field, not a value or a ConfigMap: cutover cannot change it`,
			);
			return undefined;
		}
		return {
			kind: 'env',
			name,
			container: found.container,
			index: found.index,
			path: `/spec/template/spec/containers/${found.container}/env/${found.index}/value`,
		};
	}
	problems.push(
		`${routerAnnotations.weight} "${raw}" does not parse: give env/NAME or configmap/NAME/KEY`,
	);
	return undefined;
}

function envValue(template: KubeObject['spec'], name: string): string | undefined {
	return findEnv(template, name)?.variable.value;
}

/** The router's setup as its Deployment and ConfigMap say it now. */
export function readRouter(router: KubeObject, snapshot: Snapshot): RouterConfig {
	const problems: string[] = [];
	const annotations = router.metadata.annotations ?? {};
	const template = router.spec?.template;
	const source = sourceOf(router, problems);
	let seen: string | undefined;
	if (source?.kind === 'env') seen = envValue(template, source.name);
	else if (source?.kind === 'configmap') {
		const configMap = snapshot.get(source.ref);
		if (!configMap)
			problems.push(`ConfigMap ${source.ref.name} (the router's percentage) is missing`);
		else {
			seen = configMap.data?.[source.key];
			if (seen === undefined)
				problems.push(`ConfigMap ${source.ref.name} has no key ${source.key}`);
		}
	}
	const weight = parsePercent(seen);
	if (seen !== undefined && weight === null)
		problems.push(`the router's percentage "${seen}" is not a whole number from 0 to 100`);
	const stableService =
		annotations[routerAnnotations.stable] ?? serviceOfUrl(envValue(template, 'STABLE_BACKEND'));
	const canaryService =
		annotations[routerAnnotations.canary] ?? serviceOfUrl(envValue(template, 'CANARY_BACKEND'));
	if (!stableService)
		problems.push(
			`the router names no stable backend: set STABLE_BACKEND or ${routerAnnotations.stable}`,
		);
	if (!canaryService)
		problems.push(
			`the router names no canary backend: set CANARY_BACKEND or ${routerAnnotations.canary}`,
		);
	const sticky = annotations[routerAnnotations.sticky] ?? 'X-User-ID';
	const stickyNone = sticky.trim().toLowerCase() === 'none';
	const routing = stickyNone
		? 'every request at random'
		: `sticky by ${sticky}, anonymous users at random`;
	const replicas = Number(router.spec?.replicas ?? 1);
	const seed = envValue(template, 'PYTHONHASHSEED');
	const salted = seed === undefined || seed.trim() === 'random' || seed.trim() === '';
	const hashWarning =
		!stickyNone && salted && replicas > 1 && annotations[routerAnnotations.hash] !== 'stable'
			? `${sticky} not sticky across ${replicas} router pods: set PYTHONHASHSEED=0 in the router's environment (Python salts hash() per process, so each pod, and each restart, sends a user to its own choice of version; ${routerAnnotations.hash}: stable if the router's hash is not Python's)`
			: undefined;
	return {
		source,
		seen,
		weight,
		stableService,
		canaryService,
		routing,
		...(hashWarning ? {hashWarning} : {}),
		problems,
	};
}

/**
 * The percentage a ReplicaSet's pods route by: its template's variable (env), or the value
 * cutover's restart stamped on it (a ConfigMap is read at start: without the stamp, unknown).
 */
export function loadedPercent(rs: KubeObject, source: WeightSource): number | undefined {
	const template = rs.spec?.template;
	const text =
		source.kind === 'env'
			? envValue(template, source.name)
			: template?.metadata?.annotations?.[routerAnnotations.loaded];
	return parsePercent(text) ?? undefined;
}
