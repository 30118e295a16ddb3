/**
 * The checks no schema can make, across a scenario's objects: kinds the simulator serves,
 * duplicates, namespaces and owner references that resolve, forwards into declared namespaces.
 */
import {apiVersionOf, findByKind, resourceTypes} from './resources.js';
import {ScenarioError} from './scenario-errors.js';
import type {mergeForwards} from './scenario-merge.js';

/** The simulated cluster always has this namespace, as a real one does. */
export const builtinNamespace = 'default';

/** An object with where it came from, so later checks can point at it. */
export type Placed = {object: ScenarioObject; source: string; index: number};
export type ScenarioObject = Record<string, unknown> & {
	apiVersion: string;
	kind: string;
	metadata: Record<string, unknown> & {
		name: string;
		namespace?: string;
		uid?: string;
		ownerReferences?: Array<{apiVersion: string; kind: string; name: string; uid: string}>;
	};
};

/** What makes two objects the same one: duplicates and `extends` both go by it. */
export function identity(object: ScenarioObject): string {
	const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
	return `${object.kind}.${group} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function where(placed: Placed): string {
	const {kind, metadata} = placed.object;
	const name = metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name;
	return `scenario file ${placed.source}: objects[${placed.index}] (${kind} ${name})`;
}

/** Kinds the simulator serves, duplicates and uids: the problems visible inside one file. */
export function checkObjectsOfOneFile(objects: Placed[]): void {
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
export function checkObjectsTogether(objects: Placed[]): void {
	const namespaces = new Set([builtinNamespace]);
	const byUid = new Map<string, ScenarioObject>();
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
function checkOwnerReferences(placed: Placed, byUid: Map<string, ScenarioObject>): void {
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

export function checkForwards(forwards: ReturnType<typeof mergeForwards>, objects: Placed[]): void {
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
