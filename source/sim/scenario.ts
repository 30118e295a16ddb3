/**
 * Scenarios: the YAML files that set up the simulated cluster (its objects), how each container
 * image behaves (health, errors, latency, traffic) and how fast the controllers move.
 * A user can write their own, so every mistake becomes a ScenarioError that names the file,
 * where in it, and what is wrong.
 * This file loads them (a built-in's name or a file, and the files they extend); the format is
 * scenario-schema.ts, the checks across objects scenario-checks.ts, the messages scenario-errors.ts.
 */
import {existsSync, readFileSync} from 'node:fs';
import {basename, dirname, extname, resolve} from 'node:path';
import {parseDocument} from 'yaml';
import {findByKind} from './resources.js';
import {
	builtinNamespace,
	checkForwards,
	checkObjectsOfOneFile,
	checkObjectsTogether,
	type ScenarioObject,
} from './scenario-checks.js';
import {describeIssues, ScenarioError} from './scenario-errors.js';
import {
	defaultBehaviour,
	fillBehaviours,
	type Layer,
	mergeForwards,
	mergeObjects,
	mergeTraffic,
} from './scenario-merge.js';
import {builtinDir, builtinScenarioNames, isYamlFile} from './scenario-names.js';
import {fileFields} from './scenario-schema.js';

export {builtinScenarioNames, ScenarioError};

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
	/** The pods answer the proxies as this component (the flagger-loadtester's gates). */
	serves?: 'flagger-loadtester';
};

export type Scenario = {
	name: string;
	description: string;
	/** The file it came from (the extending one, when it extends another). */
	source: string;
	settings: {
		rolloutSeconds: number;
		podStartSeconds: number;
		flaggerIntervalSeconds: number;
		/** Multiplies Argo Rollouts' pause durations and scale-down delays (absent: 1, real time). */
		argoTimeScale?: number;
	};
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

const defaultSettings = {rolloutSeconds: 4, podStartSeconds: 1, flaggerIntervalSeconds: 5};

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
		object: withDefaultNamespace(object as ScenarioObject),
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
function withDefaultNamespace(object: ScenarioObject): ScenarioObject {
	const type = findByKind(object.apiVersion, object.kind);
	if (type?.namespaced && object.metadata.namespace === undefined) {
		object.metadata.namespace = builtinNamespace;
	}
	return object;
}

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

function repositoryOf(image: string): string {
	const withoutDigest = image.split('@')[0] ?? image;
	const lastColon = withoutDigest.lastIndexOf(':');
	return lastColon > withoutDigest.lastIndexOf('/')
		? withoutDigest.slice(0, lastColon)
		: withoutDigest;
}
