/**
 * The field labels a list or watch can select on, per kind, as the API server's field label
 * conversions allow them; any other is a 400 in its words.
 */
import {errors} from './errors.js';
import type {ResourceType} from './resources.js';

const core: Record<string, string[]> = {
	Pod: [
		'metadata.name',
		'metadata.namespace',
		'spec.nodeName',
		'spec.restartPolicy',
		'spec.schedulerName',
		'spec.serviceAccountName',
		'spec.hostNetwork',
		'status.phase',
		'status.podIP',
		'status.podIPs',
		'status.nominatedNodeName',
		'spec.host',
	],
	Event: [
		'involvedObject.kind',
		'involvedObject.namespace',
		'involvedObject.name',
		'involvedObject.uid',
		'involvedObject.apiVersion',
		'involvedObject.resourceVersion',
		'involvedObject.fieldPath',
		'reason',
		'reportingComponent',
		'source',
		'type',
		'metadata.namespace',
		'metadata.name',
	],
	Namespace: ['status.phase', 'metadata.name'],
	Service: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'],
};

/** The label keys of a field selector (`a=b,c!=d`). */
function keysOf(selector: string): string[] {
	return selector
		.split(',')
		.map((term) => /^\s*([^=!\s]+)\s*(?:==|=|!=)/.exec(term)?.[1])
		.filter((key): key is string => key !== undefined);
}

/** Throws 400 BadRequest for a field label the kind does not support; returns the selector. */
export function checkFieldLabels(type: ResourceType, selector: string | null): string | null {
	if (!selector) return selector;
	const own = type.group === '' ? core[type.kind] : undefined;
	for (const key of keysOf(selector)) {
		if (own) {
			if (!own.includes(key)) throw errors.badRequest(`field label not supported: ${key}`);
		} else if (type.custom) {
			// Custom resources: the name, and the namespace when namespaced.
			if (key !== 'metadata.name' && !(type.namespaced && key === 'metadata.namespace'))
				throw errors.badRequest(`field label not supported: ${key}`);
		} else if (key !== 'metadata.name' && key !== 'metadata.namespace') {
			throw errors.badRequest(
				`"${key}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
			);
		}
	}
	return selector;
}
