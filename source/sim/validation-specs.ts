/** Each built-in kind's spec rules, as the API server's validation (pkg/apis/<group>/validation) words them. */
import {type FieldError, fieldError} from './field-errors.js';
import {dns1123Label, labelValue, qualifiedName} from './name-rules.js';
import type {ResourceType} from './resources.js';
import type {KubeObject} from './store.js';

// biome-ignore lint/suspicious/noExplicitAny: specs as sent by any client
type Spec = any;

/** metav1 ValidateLabels: each key a qualified name, each value a label value. */
export function validateLabels(labels: unknown, field: string): FieldError[] {
	if (labels === undefined || labels === null) return [];
	if (typeof labels !== 'object' || Array.isArray(labels))
		return [fieldError.invalid(field, labels, 'must be a map of strings')];
	const found: FieldError[] = [];
	for (const [key, value] of Object.entries(labels)) {
		for (const message of qualifiedName(key)) found.push(fieldError.invalid(field, key, message));
		if (typeof value !== 'string') {
			found.push(fieldError.invalid(`${field}[${key}]`, value, 'must be a string'));
			continue;
		}
		for (const message of labelValue(value)) found.push(fieldError.invalid(field, value, message));
	}
	return found;
}

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

export function validateSpec(type: ResourceType, object: KubeObject): FieldError[] {
	if (type.custom) return [];
	switch (type.kind) {
		case 'Deployment':
		case 'ReplicaSet':
			return validateWorkload(object.spec);
		case 'Pod':
			return validatePodSpec(object.spec, 'spec');
		case 'Service':
			return validateService(object.spec);
		case 'Ingress':
			return validateIngress(object.spec);
		default:
			return [];
	}
}

function validateService(spec: Spec): FieldError[] {
	const found: FieldError[] = [];
	// A headless Service (clusterIP None) and an ExternalName one need no ports.
	const ports = spec?.ports;
	if (
		(!Array.isArray(ports) || ports.length === 0) &&
		spec?.clusterIP !== 'None' &&
		spec?.type !== 'ExternalName'
	)
		found.push(fieldError.required('spec.ports'));
	const selector = spec?.selector;
	if (selector !== undefined && selector !== null) {
		if (typeof selector !== 'object' || Array.isArray(selector))
			found.push(fieldError.invalid('spec.selector', selector, 'must be a map of strings'));
		else
			for (const [key, value] of Object.entries(selector)) {
				if (typeof value !== 'string')
					found.push(fieldError.invalid(`spec.selector[${key}]`, value, 'must be a string'));
			}
	}
	return found;
}

function validateIngress(spec: Spec): FieldError[] {
	const found: FieldError[] = [];
	const rules: Spec[] = Array.isArray(spec?.rules) ? spec.rules : [];
	rules.forEach((rule, i) => {
		const paths: Spec[] = Array.isArray(rule?.http?.paths) ? rule.http.paths : [];
		paths.forEach((path, j) => {
			const field = `spec.rules[${i}].http.paths[${j}].pathType`;
			const pathType = path?.pathType;
			if (pathType === undefined || pathType === null)
				found.push(fieldError.required(field, 'pathType must be specified'));
			else if (!pathTypes.includes(pathType))
				found.push(fieldError.notSupported(field, pathType, pathTypes));
		});
	});
	return found;
}

function validatePodSpec(spec: Spec, at: string): FieldError[] {
	const containers = spec?.containers;
	if (!Array.isArray(containers) || containers.length === 0)
		return [fieldError.required(`${at}.containers`)];
	const found: FieldError[] = [];
	containers.forEach((container: Spec, index: number) => {
		const path = `${at}.containers[${index}]`;
		const name = container?.name;
		if (typeof name !== 'string' || name === '') found.push(fieldError.required(`${path}.name`));
		else
			for (const message of dns1123Label(name))
				found.push(fieldError.invalid(`${path}.name`, name, message));
		if (typeof container?.image !== 'string' || container.image.trim() === '')
			found.push(fieldError.required(`${path}.image`));
	});
	return found;
}

/** A Deployment's or ReplicaSet's: replicas, a selector its own template's labels match, a pod spec. */
function validateWorkload(spec: Spec): FieldError[] {
	if (!spec || typeof spec !== 'object') return [fieldError.required('spec')];
	const found: FieldError[] = [];
	if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0))
		found.push(
			fieldError.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'),
		);
	const matchLabels: Record<string, string> = spec.selector?.matchLabels ?? {};
	const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
	if (Object.keys(matchLabels).length === 0) found.push(fieldError.required('spec.selector'));
	found.push(...validateLabels(spec.template?.metadata?.labels, 'spec.template.metadata.labels'));
	if (Object.entries(matchLabels).some(([key, value]) => labels[key] !== value))
		found.push(
			fieldError.invalid(
				'spec.template.metadata.labels',
				labels,
				'`selector` does not match template `labels`',
			),
		);
	found.push(...validatePodSpec(spec.template?.spec, 'spec.template.spec'));
	return found;
}
