/**
 * Scenarios: the YAML files that set up the simulated cluster (its objects), how each container
 * image behaves (health, errors, latency, traffic) and how fast the controllers move.
 * A user can write their own, so every mistake becomes a ScenarioError that names the file,
 * where in it, and what is wrong.
 */
import {existsSync, readFileSync} from 'node:fs';
import {basename, dirname, extname, resolve} from 'node:path';
import {parseDocument} from 'yaml';
import * as z from 'zod';
import {apiVersionOf, findByKind, resourceTypes} from './resources.js';
import {builtinDir, builtinScenarioNames, isYamlFile} from './scenario-names.js';

export {builtinScenarioNames};

export type Behaviour = {
	healthy: boolean;
	errorRatio: number;
	p99Ms: number;
	rps: number;
	readyDelaySeconds?: number;
	/** From this share of its entry's traffic (percent) on, the version errs and lags as below. */
	degradeAtWeight?: number;
	degradedErrorRatio?: number;
	degradedP99Ms?: number;
};

export type Scenario = {
	name: string;
	description: string;
	/** The file it came from (the extending one, when it extends another). */
	source: string;
	settings: {rolloutSeconds: number; podStartSeconds: number};
	/** Always has "*"; every entry is filled in from "*". */
	behaviours: Record<string, Behaviour>;
	forwards: Array<{namespace: string; name: string; url: string}>;
	/**
	 * Where requests enter (a Service, or an Ingress with its canary), and how many a second:
	 * the traffic model splits them by selectors and canary weights. A later file replaces
	 * the entry of the same Service or Ingress.
	 */
	traffic: Array<{kind: 'service' | 'ingress'; namespace: string; name: string; rps: number}>;
	objects: Array<Record<string, unknown>>;
};

export class ScenarioError extends Error {
	override name = 'ScenarioError';
}

const defaultBehaviour: Behaviour = {healthy: true, errorRatio: 0.002, p99Ms: 120, rps: 20};
const defaultSettings = {rolloutSeconds: 4, podStartSeconds: 1};
/** The simulated cluster always has this namespace, as a real one does. */
const builtinNamespace = 'default';

// ─── the file format ───────────────────────────────────────────────────────────────

// Messages are predicates, printed after the name of the field: "kind is missing".
const text = (what = 'a string') =>
	z.string({error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${what}`)});
const count = (what: string) => z.number({error: `must be ${what}`});
const dnsLabel = text().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
	error: 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")',
});
const dnsSubdomain = text().regex(
	/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
	{
		error: 'must be a lowercase RFC 1123 name (a-z, 0-9, "-", ".")',
	},
);
// The API server takes only strings here; an unquoted 10 in YAML is a number.
const stringMap = z.record(z.string(), text('a string (quote it in YAML)'));

const behaviourFields = z.strictObject({
	healthy: z.boolean({error: 'must be true or false'}).optional(),
	errorRatio: count('a number')
		.min(0, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.max(1, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.optional(),
	p99Ms: count('a number of milliseconds').min(0, {error: 'must be >= 0'}).optional(),
	rps: count('a number of requests per second').min(0, {error: 'must be >= 0'}).optional(),
	readyDelaySeconds: count('a number of seconds').min(0, {error: 'must be >= 0'}).optional(),
	degradeAtWeight: count('a percent of traffic')
		.min(0, {error: 'must be a percent in 0..100'})
		.max(100, {error: 'must be a percent in 0..100'})
		.optional(),
	degradedErrorRatio: count('a number')
		.min(0, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.max(1, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.optional(),
	degradedP99Ms: count('a number of milliseconds').min(0, {error: 'must be >= 0'}).optional(),
});
type BehaviourFields = z.infer<typeof behaviourFields>;

const settingsFields = z.strictObject({
	rolloutSeconds: count('a number of seconds').gt(0, {error: 'must be greater than 0'}).optional(),
	podStartSeconds: count('a number of seconds').min(0, {error: 'must be >= 0'}).optional(),
});

const forwardFields = z.strictObject({
	service: text('namespace/name').regex(/^[^/\s]+\/[^/\s]+$/, {error: 'must be namespace/name'}),
	url: z.url({protocol: /^https?$/, error: 'must be an http:// or https:// URL'}),
});

const trafficFields = z.strictObject({
	service: text('namespace/name')
		.regex(/^[^/\s]+\/[^/\s]+$/, {error: 'must be namespace/name'})
		.optional(),
	ingress: text('namespace/name')
		.regex(/^[^/\s]+\/[^/\s]+$/, {error: 'must be namespace/name'})
		.optional(),
	rps: count('a number of requests per second').min(0, {error: 'must be >= 0'}),
});

const ownerReference = z.looseObject({
	apiVersion: text(),
	kind: text(),
	name: text(),
	uid: text(),
});

const objectFields = z.looseObject({
	apiVersion: text(),
	kind: text(),
	metadata: z.looseObject(
		{
			name: dnsSubdomain,
			namespace: dnsLabel.optional(),
			uid: text().optional(),
			creationTimestamp: text('an RFC 3339 time string (quote it)').optional(),
			labels: stringMap.optional(),
			annotations: stringMap.optional(),
			ownerReferences: z.array(ownerReference).optional(),
		},
		{error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a mapping')},
	),
});

const fileFields = z.strictObject({
	name: text().min(1, {error: 'must not be empty'}).optional(),
	description: text().optional(),
	extends: text('the name of a built-in scenario or a path to a .yaml file').optional(),
	settings: settingsFields.nullish(),
	behaviours: z.record(z.string(), behaviourFields).nullish(),
	forwards: z.array(forwardFields).nullish(),
	traffic: z.array(trafficFields).nullish(),
	objects: z.array(objectFields).nullish(),
});
type ScenarioFile = z.infer<typeof fileFields>;

/** Keys allowed at each strict level, for "unknown key" messages. */
function allowedKeys(path: PropertyKey[]): string[] {
	const [section] = path;
	if (path.length === 0) return Object.keys(fileFields.shape);
	if (section === 'settings') return Object.keys(settingsFields.shape);
	if (section === 'behaviours') return Object.keys(behaviourFields.shape);
	if (section === 'forwards') return Object.keys(forwardFields.shape);
	if (section === 'traffic') return Object.keys(trafficFields.shape);
	return [];
}

// ─── public API ────────────────────────────────────────────────────────────────────

/** `nameOrFile` is a built-in's name ("seed") or a path to a .yaml/.yml file. */
export function loadScenario(nameOrFile: string): Scenario {
	const file = looksLikePath(nameOrFile) ? resolve(nameOrFile) : builtinFile(nameOrFile);
	return resolveScenario(readScenarioFile(file), file, [file]);
}

export function parseScenario(text: string, source: string): Scenario {
	return resolveScenario(text, source, [resolve(source)]);
}

/** The behaviour of an exact image, else of its repository with any tag, else "*". */
export function behaviourFor(scenario: Scenario, image: string): Behaviour {
	const fallback = scenario.behaviours['*'] ?? defaultBehaviour;
	return scenario.behaviours[image] ?? scenario.behaviours[repositoryOf(image)] ?? fallback;
}

// ─── loading ───────────────────────────────────────────────────────────────────────

function looksLikePath(nameOrFile: string): boolean {
	return isYamlFile(nameOrFile) || /[/\\]/.test(nameOrFile);
}

function builtinFile(name: string): string {
	const file = resolve(builtinDir, `${name}.yaml`);
	if (existsSync(file)) return file;
	throw new ScenarioError(
		`unknown scenario "${name}": the built-in scenarios are ${builtinScenarioNames().join(', ')}` +
			' (or give the path to a .yaml file)',
	);
}

function readScenarioFile(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why =
			code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error);
		throw new ScenarioError(`scenario file ${file}: cannot read it: ${why}`);
	}
}

/** A scenario as read from one file: its own fields, objects normalised, not yet merged. */
type Layer = {
	source: string;
	file: ScenarioFile;
	objects: Placed[];
};
/** An object with where it came from, so later checks can point at it. */
type Placed = {object: KubeObject; source: string; index: number};
type KubeObject = Record<string, unknown> & {
	apiVersion: string;
	kind: string;
	metadata: Record<string, unknown> & {
		name: string;
		namespace?: string;
		uid?: string;
		ownerReferences?: Array<{apiVersion: string; kind: string; name: string; uid: string}>;
	};
};

/** `chain` holds the files seen so far along `extends`, to find a cycle. */
function resolveScenario(text: string, source: string, chain: string[]): Scenario {
	const layers = readLayers(text, source, chain);
	return finish(layers, source);
}

/** The layers from the furthest base to this file. */
function readLayers(text: string, source: string, chain: string[]): Layer[] {
	const layer = readLayer(text, source);
	const parent = layer.file.extends;
	if (parent === undefined) return [layer];
	const parentFile = looksLikePath(parent)
		? resolve(dirname(source), parent)
		: builtinFileFor(parent, source);
	if (chain.includes(parentFile)) {
		const cycle = [...chain, parentFile].map((file) => basename(file)).join(' -> ');
		throw new ScenarioError(
			`scenario file ${source}: extends: "${parent}" makes a cycle: ${cycle}`,
		);
	}
	const parentText = readScenarioFileFor(parentFile, source, parent);
	return [...readLayers(parentText, parentFile, [...chain, parentFile]), layer];
}

function builtinFileFor(name: string, source: string): string {
	try {
		return builtinFile(name);
	} catch (error) {
		throw new ScenarioError(`scenario file ${source}: extends: ${(error as Error).message}`);
	}
}

function readScenarioFileFor(file: string, source: string, parent: string): string {
	if (existsSync(file)) return readScenarioFile(file);
	throw new ScenarioError(`scenario file ${source}: extends: "${parent}": no such file ${file}`);
}

function readLayer(text: string, source: string): Layer {
	const data = parseYaml(text, source);
	const parsed = fileFields.safeParse(data);
	if (!parsed.success) throw new ScenarioError(describeIssues(parsed.error.issues, data, source));
	const objects = (parsed.data.objects ?? []).map((object, index) => ({
		object: withDefaultNamespace(object as KubeObject),
		source,
		index,
	}));
	checkObjectsOfOneFile(objects);
	return {source, file: parsed.data, objects};
}

function parseYaml(text: string, source: string): unknown {
	const document = parseDocument(text, {prettyErrors: true, uniqueKeys: true});
	const [error] = document.errors;
	if (error)
		throw new ScenarioError(
			`scenario file ${source}: YAML syntax error: ${error.message.trimEnd()}`,
		);
	const data = document.toJS() as unknown;
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new ScenarioError(
			`scenario file ${source}: must be a YAML mapping with keys such as name, settings, behaviours, objects`,
		);
	}
	return data;
}

/** Namespaced objects without a namespace land in "default", as `kubectl apply` would put them. */
function withDefaultNamespace(object: KubeObject): KubeObject {
	const type = findByKind(object.apiVersion, object.kind);
	if (type?.namespaced && object.metadata.namespace === undefined) {
		object.metadata.namespace = builtinNamespace;
	}
	return object;
}

// ─── merging (extends) and the checks across objects ───────────────────────────────

function finish(layers: Layer[], source: string): Scenario {
	const top = layers.at(-1)!;
	const objects = mergeObjects(layers);
	checkObjectsTogether(objects);
	const forwards = mergeForwards(layers);
	checkForwards(forwards, objects);
	return {
		name: top.file.name ?? basename(source, extname(source)),
		description: top.file.description ?? '',
		source,
		settings: Object.assign(
			{...defaultSettings},
			...layers.map((layer) => layer.file.settings ?? {}),
		),
		behaviours: fillBehaviours(layers.map((layer) => layer.file.behaviours ?? {})),
		forwards: forwards.map(({forward}) => forward),
		traffic: mergeTraffic(layers, source),
		objects: objects.map(({object}) => object),
	};
}

function identity(object: KubeObject): string {
	const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
	return `${object.kind}.${group} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** A later file's object replaces the base's object of the same kind, namespace and name. */
function mergeObjects(layers: Layer[]): Placed[] {
	const merged = new Map<string, Placed>();
	for (const layer of layers) {
		for (const placed of layer.objects) merged.set(identity(placed.object), placed);
	}
	return [...merged.values()];
}

function mergeForwards(layers: Layer[]) {
	const merged = new Map<
		string,
		{forward: Scenario['forwards'][number]; source: string; index: number}
	>();
	for (const layer of layers) {
		for (const [index, {service, url}] of (layer.file.forwards ?? []).entries()) {
			const [namespace = '', name = ''] = service.split('/');
			merged.set(service, {forward: {namespace, name, url}, source: layer.source, index});
		}
	}
	return [...merged.values()];
}

function mergeTraffic(layers: Layer[], source: string): Scenario['traffic'] {
	const merged = new Map<string, Scenario['traffic'][number]>();
	for (const layer of layers) {
		for (const [index, entry] of (layer.file.traffic ?? []).entries()) {
			if ((entry.service === undefined) === (entry.ingress === undefined)) {
				throw new ScenarioError(
					`scenario file ${layer.source ?? source}: traffic[${index}]: give either service or ingress (namespace/name)`,
				);
			}
			const kind = entry.service ? 'service' : 'ingress';
			const [namespace = '', name = ''] = (entry.service ?? entry.ingress)!.split('/');
			merged.set(`${kind} ${namespace}/${name}`, {kind, namespace, name, rps: entry.rps});
		}
	}
	return [...merged.values()];
}

/** Merges the behaviour entries key by key, then fills each from "*" (itself filled from the defaults). */
function fillBehaviours(layers: Array<Record<string, BehaviourFields>>): Record<string, Behaviour> {
	const merged: Record<string, BehaviourFields> = {};
	for (const layer of layers) {
		for (const [image, fields] of Object.entries(layer))
			merged[image] = {...merged[image], ...fields};
	}
	const star: Behaviour = {...defaultBehaviour, ...definedOnly(merged['*'] ?? {})};
	const filled: Record<string, Behaviour> = {'*': star};
	for (const [image, fields] of Object.entries(merged)) {
		if (image !== '*') filled[image] = {...star, ...definedOnly(fields)};
	}
	return filled;
}

function definedOnly<T extends object>(fields: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(fields).filter(([, value]) => value !== undefined),
	) as Partial<T>;
}

function where(placed: Placed): string {
	const {kind, metadata} = placed.object;
	const name = metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name;
	return `scenario file ${placed.source}: objects[${placed.index}] (${kind} ${name})`;
}

/** Kinds the simulator serves, duplicates and uids: the problems visible inside one file. */
function checkObjectsOfOneFile(objects: Placed[]): void {
	const seen = new Map<string, Placed>();
	const uids = new Map<string, Placed>();
	for (const placed of objects) {
		checkKind(placed);
		const key = identity(placed.object);
		const earlier = seen.get(key);
		if (earlier)
			throw new ScenarioError(`${where(placed)}: declared twice (also objects[${earlier.index}])`);
		seen.set(key, placed);
		const uid = placed.object.metadata.uid;
		const sameUid = uid === undefined ? undefined : uids.get(uid);
		if (sameUid)
			throw new ScenarioError(
				`${where(placed)}: metadata.uid ${uid} is also the uid of objects[${sameUid.index}]`,
			);
		if (uid !== undefined) uids.set(uid, placed);
	}
}

function checkKind(placed: Placed): void {
	const {apiVersion, kind, metadata} = placed.object;
	if (findByKind(apiVersion, kind)) {
		if (kind === 'Namespace' && metadata.name === builtinNamespace) {
			throw new ScenarioError(
				`${where(placed)}: the simulator always has namespace "default"; remove this object`,
			);
		}
		return;
	}
	const sameKind = resourceTypes.find((type) => type.kind === kind);
	if (sameKind) {
		throw new ScenarioError(
			`${where(placed)}: apiVersion ${apiVersion} is not served for ${kind}; use ${apiVersionOf(sameKind)}`,
		);
	}
	const served = resourceTypes.map((type) => type.kind).join(', ');
	throw new ScenarioError(
		`${where(placed)}: kind ${kind} is not served by the simulator (it serves ${served})`,
	);
}

/** Namespaces and owner references, over the merged objects (a base may declare them). */
function checkObjectsTogether(objects: Placed[]): void {
	const namespaces = new Set([builtinNamespace]);
	const byUid = new Map<string, KubeObject>();
	for (const {object} of objects) {
		if (object.kind === 'Namespace') namespaces.add(object.metadata.name);
		if (object.metadata.uid !== undefined) byUid.set(object.metadata.uid, object);
	}
	for (const placed of objects) {
		const namespace = placed.object.metadata.namespace;
		if (
			namespace !== undefined &&
			findByKind(placed.object.apiVersion, placed.object.kind)?.namespaced &&
			!namespaces.has(namespace)
		) {
			throw new ScenarioError(
				`${where(placed)}: namespace "${namespace}" is not declared: add a Namespace object named "${namespace}" (only "default" exists without one)`,
			);
		}
		checkOwnerReferences(placed, byUid);
	}
}

/** Garbage collection and every "who owns this" view follow these uids, so they must resolve. */
function checkOwnerReferences(placed: Placed, byUid: Map<string, KubeObject>): void {
	for (const [index, reference] of (placed.object.metadata.ownerReferences ?? []).entries()) {
		const owner = byUid.get(reference.uid);
		const field = `${where(placed)}: metadata.ownerReferences[${index}]`;
		if (!owner) {
			throw new ScenarioError(
				`${field}: uid ${reference.uid} is the metadata.uid of no object in the scenario (give the owner an explicit metadata.uid)`,
			);
		}
		if (owner.kind !== reference.kind || owner.metadata.name !== reference.name) {
			throw new ScenarioError(
				`${field}: uid ${reference.uid} belongs to ${owner.kind} ${owner.metadata.name}, not ${reference.kind} ${reference.name}`,
			);
		}
	}
}

function checkForwards(forwards: ReturnType<typeof mergeForwards>, objects: Placed[]): void {
	const namespaces = new Set([
		builtinNamespace,
		...objects
			.filter(({object}) => object.kind === 'Namespace')
			.map(({object}) => object.metadata.name),
	]);
	for (const {forward, source, index} of forwards) {
		if (!namespaces.has(forward.namespace)) {
			throw new ScenarioError(
				`scenario file ${source}: forwards[${index}]: namespace "${forward.namespace}" is not declared: add a Namespace object named "${forward.namespace}"`,
			);
		}
	}
}

// ─── error messages ────────────────────────────────────────────────────────────────

/** One line per problem (at most 10), each naming the file and the path in it. */
function describeIssues(issues: z.core.$ZodIssue[], data: unknown, source: string): string {
	const lines = issues
		.slice(0, 10)
		.map((issue) => `scenario file ${source}: ${describeIssue(issue, data)}`);
	if (issues.length > 10)
		lines.push(`scenario file ${source}: ... and ${issues.length - 10} more problems`);
	return lines.join('\n');
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
	const path = issue.path;
	if (issue.code === 'unrecognized_keys') {
		const keys = issue.keys.map((key) => `"${key}"`).join(', ');
		const allowed = allowedKeys(path).join(', ');
		const what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} (allowed: ${allowed})`;
		return path.length === 0 ? what : `${formatPath(path)}: ${what}`;
	}
	// "objects[3] (Deployment shop/x): metadata.name is missing": the item, then the field in it.
	const split = path[0] === 'objects' || path[0] === 'forwards' || path[0] === 'behaviours' ? 2 : 1;
	const location = formatPath(path.slice(0, split)) + describeObjectAt(path, data);
	const field = formatPath(path.slice(split));
	const message = messageOf(issue, valueAt(data, path));
	if (path.length <= split) return `${location} ${message}`;
	return `${location}: ${field} ${message}`;
}

/** For an object, its kind and name as written, so a person can find it without counting. */
function describeObjectAt(path: PropertyKey[], data: unknown): string {
	if (path[0] !== 'objects' || typeof path[1] !== 'number' || path.length <= 2) return '';
	const object = valueAt(data, path.slice(0, 2)) as
		| {kind?: unknown; metadata?: {name?: unknown}}
		| undefined;
	const kind = typeof object?.kind === 'string' ? object.kind : undefined;
	const name = typeof object?.metadata?.name === 'string' ? object.metadata.name : undefined;
	if (kind === undefined && name === undefined) return '';
	return ` (${[kind, name].filter(Boolean).join(' ')})`;
}

function messageOf(issue: z.core.$ZodIssue, value: unknown): string {
	const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
	if (issue.message === 'is missing') return issue.message;
	if (issue.code === 'invalid_type' && !issue.message.startsWith('must'))
		return `must be ${article(issue.expected)}${got}`;
	return `${issue.message}${got}`;
}

function article(expected: string): string {
	if (expected === 'object') return 'a mapping';
	if (expected === 'array') return 'a list';
	return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function formatPath(path: PropertyKey[]): string {
	let text = '';
	for (const key of path) {
		if (typeof key === 'number') text += `[${key}]`;
		else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) text += text ? `.${String(key)}` : String(key);
		else text += `[${JSON.stringify(String(key))}]`;
	}
	return text;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
	let value = data;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[key];
	}
	return value;
}

function repositoryOf(image: string): string {
	const withoutDigest = image.split('@')[0] ?? image;
	const lastColon = withoutDigest.lastIndexOf(':');
	return lastColon > withoutDigest.lastIndexOf('/')
		? withoutDigest.slice(0, lastColon)
		: withoutDigest;
}
