import {errors} from './errors.js';
import type {ResourceType} from './resources.js';
import type {KubeObject} from './store.js';

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

/**
 * The few validation rules a client of the sim can trip over and would get from a real API
 * server too: a Deployment must select its own pods and name its containers and images, and
 * label values must be strings.
 */
export function validate(type: ResourceType, object: KubeObject): void {
	const name = object.metadata.name ?? '';
	const fail = (message: string) => {
		throw errors.invalid(type, name, message);
	};
	for (const [field, map] of [
		['metadata.labels', object.metadata.labels],
		['metadata.annotations', object.metadata.annotations],
	] as const) {
		if (map === undefined || map === null) continue;
		if (typeof map !== 'object' || Array.isArray(map))
			fail(`${field}: Invalid value: must be a map of strings`);
		for (const [key, value] of Object.entries(map)) {
			if (typeof value !== 'string')
				fail(`${field}[${key}]: Invalid value: ${JSON.stringify(value)}: must be a string`);
		}
	}
	if (type.kind === 'Deployment' || type.kind === 'ReplicaSet') validateWorkload(object.spec, fail);
	if (type.kind === 'Service') {
		const selector = object.spec?.selector;
		if (selector !== undefined && selector !== null) {
			if (typeof selector !== 'object' || Array.isArray(selector))
				fail('spec.selector: Invalid value: must be a map of strings');
			for (const [key, value] of Object.entries(selector as object)) {
				if (typeof value !== 'string')
					fail(`spec.selector[${key}]: Invalid value: ${JSON.stringify(value)}: must be a string`);
			}
		}
	}
}

// biome-ignore lint/suspicious/noExplicitAny: a workload spec as sent by any client
function validateWorkload(spec: any, fail: (message: string) => never | void): void {
	if (!spec || typeof spec !== 'object') return void fail('spec: Required value');
	if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
		fail(
			`spec.replicas: Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`,
		);
	}
	const matchLabels: Record<string, string> = spec.selector?.matchLabels ?? {};
	const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
	if (Object.keys(matchLabels).length === 0) fail('spec.selector: Required value');
	for (const [key, value] of Object.entries(matchLabels)) {
		if (labels[key] !== value) {
			fail(
				'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`',
			);
		}
	}
	const containers = spec.template?.spec?.containers;
	if (!Array.isArray(containers) || containers.length === 0)
		fail('spec.template.spec.containers: Required value');
	(containers as Array<{name?: unknown; image?: unknown}>).forEach((container, index) => {
		if (typeof container?.name !== 'string' || container.name === '') {
			fail(`spec.template.spec.containers[${index}].name: Required value`);
		}
		if (typeof container?.image !== 'string' || container.image.trim() === '') {
			fail(`spec.template.spec.containers[${index}].image: Required value`);
		}
	});
}
