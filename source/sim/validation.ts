import {errors} from './errors.js';
import {type FieldError, fieldError, invalidObject} from './field-errors.js';
import {dns1035Label, dns1123Label, dns1123Subdomain, qualifiedName} from './name-rules.js';
import type {ResourceType} from './resources.js';
import type {KubeObject} from './store.js';
import {validateLabels, validateSpec} from './validation-specs.js';

/** Anything else is no Kubernetes object at all, and the store could not even name it. */
export function requireMetadata(body: KubeObject): void {
	if (
		!body ||
		typeof body !== 'object' ||
		typeof body.metadata !== 'object' ||
		body.metadata === null
	) {
		throw errors.badRequest('the body must be an object with metadata');
	}
}

/** The rule a kind's names follow, as the API server's ValidateObjectMeta is given it. */
function nameRule(type: ResourceType): (name: string) => string[] {
	if (type.group === '' && type.kind === 'Service') return dns1035Label;
	if (type.group === '' && type.kind === 'Namespace') return dns1123Label;
	return dns1123Subdomain;
}

/** A generateName is checked with its trailing dash read as a letter (a suffix follows it). */
function maskTrailingDash(prefix: string): string {
	return prefix.length > 1 && prefix.endsWith('-') ? `${prefix.slice(0, -1)}a` : prefix;
}

function validateAnnotations(annotations: unknown): FieldError[] {
	const field = 'metadata.annotations';
	if (annotations === undefined || annotations === null) return [];
	if (typeof annotations !== 'object' || Array.isArray(annotations))
		return [fieldError.invalid(field, annotations, 'must be a map of strings')];
	const found: FieldError[] = [];
	for (const [key, value] of Object.entries(annotations)) {
		for (const message of qualifiedName(key.toLowerCase()))
			found.push(fieldError.invalid(field, key, message));
		if (typeof value !== 'string')
			found.push(fieldError.invalid(`${field}[${key}]`, value, 'must be a string'));
	}
	return found;
}

function validateMeta(type: ResourceType, object: KubeObject): FieldError[] {
	const {name, generateName, labels, annotations} = object.metadata;
	const rule = nameRule(type);
	const found: FieldError[] = [];
	if (generateName) {
		for (const message of rule(maskTrailingDash(generateName)))
			found.push(fieldError.invalid('metadata.generateName', generateName, message));
	}
	if (!name) found.push(fieldError.required('metadata.name', 'name or generateName is required'));
	else
		for (const message of rule(name))
			found.push(fieldError.invalid('metadata.name', name, message));
	found.push(...validateLabels(labels, 'metadata.labels'), ...validateAnnotations(annotations));
	return found;
}

/**
 * What a real API server's validation refuses, in its words: names by the kind's rule, label
 * keys and values, annotation keys, and each kind's spec rules (validation-specs.ts). Throws a
 * 422 Invalid listing every error found.
 */
export function validate(type: ResourceType, object: KubeObject): void {
	const found = [...validateMeta(type, object), ...validateSpec(type, object)];
	if (found.length > 0)
		throw invalidObject(type.kind, type.group, object.metadata.name ?? '', found);
}
