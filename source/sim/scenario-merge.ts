/** How a file that `extends` another overrides it: entry by entry, key by key. */
import type {Behaviour, Scenario} from './scenario.js';
import {identity, type Placed} from './scenario-checks.js';
import {ScenarioError} from './scenario-errors.js';
import type {BehaviourFields, ScenarioFile} from './scenario-schema.js';

/** A scenario as read from one file: its own fields, objects normalised, not yet merged. */
export type Layer = {
	source: string;
	file: ScenarioFile;
	objects: Placed[];
};

export const defaultBehaviour: Behaviour = {healthy: true, errorRatio: 0.002, p99Ms: 120, rps: 20};

/** A later file's object replaces the base's object of the same kind, namespace and name. */
export function mergeObjects(layers: Layer[]): Placed[] {
	const merged = new Map<string, Placed>();
	for (const layer of layers) {
		for (const placed of layer.objects) merged.set(identity(placed.object), placed);
	}
	return [...merged.values()];
}

export function mergeForwards(layers: Layer[]) {
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

export function mergeTraffic(layers: Layer[], source: string): Scenario['traffic'] {
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
export function fillBehaviours(
	layers: Array<Record<string, BehaviourFields>>,
): Record<string, Behaviour> {
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
