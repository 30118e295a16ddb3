import jsonpatch from 'fast-json-patch';
import {ApiError, errors} from './errors.js';

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type JsonObject = {[key: string]: Json};

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 7386 JSON merge patch. Written here because it is a dozen lines and the strategic merge
 * below is the same walk with list rules added; a package for it would not save either.
 */
function mergePatch(target: Json, patch: Json): Json {
	if (!isObject(patch)) return patch;
	const result: JsonObject = isObject(target) ? {...target} : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete result[key];
		else result[key] = mergePatch(result[key] ?? null, value);
	}
	return result;
}

/**
 * The patchMergeKey of the list fields the sim's types carry (from the Kubernetes API types);
 * lists without one are replaced whole, as a real API server does.
 */
function mergeKeyFor(field: string, parentField: string | undefined): string | undefined {
	switch (field) {
		case 'containers':
		case 'initContainers':
		case 'ephemeralContainers':
		case 'env':
		case 'volumes':
		case 'imagePullSecrets':
			return 'name';
		case 'volumeMounts':
			return 'mountPath';
		case 'ports':
			return parentField === 'containers' || parentField === 'initContainers'
				? 'containerPort'
				: 'port';
		case 'conditions':
			return 'type';
		case 'ownerReferences':
			return 'uid';
		default:
			return undefined;
	}
}

/** Primitive lists whose patch strategy is merge: their items are unioned. */
const mergedPrimitiveLists = new Set(['finalizers']);

function strategicList(
	field: string,
	parentField: string | undefined,
	target: Json,
	patch: Json[],
): Json {
	const current = Array.isArray(target) ? target : [];
	const key = mergeKeyFor(field, parentField);
	if (mergedPrimitiveLists.has(field)) return [...new Set([...current, ...patch])];
	if (!key) return patch.filter((item) => !(isObject(item) && item.$patch === 'replace'));
	if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
		return patch.filter((item) => !(isObject(item) && item.$patch === 'replace'));
	}
	const result = [...current];
	for (const item of patch) {
		if (!isObject(item)) throw errors.badRequest(`${field}: expected objects keyed by ${key}`);
		const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
		if (item.$patch === 'delete') {
			if (index >= 0) result.splice(index, 1);
			continue;
		}
		if (index >= 0) result[index] = strategicObject(result[index]!, item, field);
		else result.push(strategicObject(null, item, field));
	}
	return result;
}

function strategicObject(target: Json, patch: JsonObject, parentField: string | undefined): Json {
	if (patch.$patch === 'replace') {
		const {$patch: _, ...rest} = patch;
		return rest;
	}
	if (patch.$patch === 'delete') return null;
	const result: JsonObject = isObject(target) ? {...target} : {};
	for (const [key, value] of Object.entries(patch)) {
		// Directives kubectl sends ($setElementOrder/containers, $retainKeys, ...) steer the order
		// and pruning of lists; the sim keeps the existing order, which is what they ask for here.
		if (key.startsWith('$')) continue;
		if (value === null) delete result[key];
		else if (Array.isArray(value))
			result[key] = strategicList(key, parentField, result[key] ?? null, value);
		else if (isObject(value)) {
			const merged = strategicObject(result[key] ?? null, value, key);
			if (merged === null) delete result[key];
			else result[key] = merged;
		} else result[key] = value;
	}
	return result;
}

/** Kubernetes strategic merge patch for the built-in types the sim serves. */
function strategicMergePatch(target: Json, patch: Json): Json {
	if (!isObject(patch)) throw errors.badRequest('a strategic merge patch must be a JSON object');
	return strategicObject(target, patch, undefined);
}

/** RFC 6902 JSON Patch; a failing `test` (or any failing operation) fails the whole patch with 422. */
function applyJsonPatch(target: Json, patch: Json): Json {
	if (!Array.isArray(patch))
		throw errors.badRequest('a JSON Patch must be a JSON array of operations');
	const operations = patch as unknown as jsonpatch.Operation[];
	const malformed = jsonpatch.validate(operations);
	if (malformed) throw errors.badRequest(`invalid JSON Patch: ${firstLine(malformed.message)}`);
	try {
		return jsonpatch.applyPatch(target, operations, true, false).newDocument as Json;
	} catch (error) {
		const operation = (error as {operation?: {op?: string; path?: string}}).operation;
		const what =
			(error as Error).name === 'TEST_OPERATION_FAILED'
				? `testing value ${operation?.path} failed`
				: `${operation?.op ?? 'operation'} ${operation?.path ?? ''}: ${firstLine(String((error as Error).message))}`;
		throw new ApiError(
			422,
			'Invalid',
			`the server rejected our request due to an error in our request: ${what}`,
		);
	}
}

function firstLine(text: string): string {
	return text.split('\n')[0]!;
}

export type PatchType = 'json' | 'merge' | 'strategic';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
	const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
	if (mediaType === 'application/json-patch+json') return 'json';
	if (mediaType === 'application/merge-patch+json') return 'merge';
	if (mediaType === 'application/strategic-merge-patch+json') return 'strategic';
	return undefined;
}

export function applyPatch(type: PatchType, target: Json, patch: Json): Json {
	if (type === 'json') return applyJsonPatch(target, patch);
	if (type === 'merge') {
		if (!isObject(patch)) throw errors.badRequest('a merge patch must be a JSON object');
		return mergePatch(target, patch);
	}
	return strategicMergePatch(target, patch);
}

export type {Json};
