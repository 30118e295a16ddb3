import {errors} from './errors.js';
import {findByPath, type ResourceType} from './resources.js';

/** What a resource path names: a type, maybe a namespace, an object and its subresource. */
export type ResourceRequest = {
	type: ResourceType;
	namespace?: string;
	name?: string;
	subresource?: string;
	/** What follows the subresource (a proxy's path). */
	rest: string[];
};

/** A pod's subresources that stream from its containers (which the sim does not run). */
export const podStreams = ['log', 'attach', 'exec'];

/** Resolves the segments after `/api/v1` or `/apis/GROUP/VERSION`; 404 for what is not served. */
export function resolveTarget(groupName: string, version: string, rest: string[]): ResourceRequest {
	const namespaced =
		rest[0] === 'namespaces' &&
		rest.length >= 3 &&
		findByPath(groupName, version, rest[2]!) !== undefined;
	const [namespace, plural, name, subresource, ...more] = namespaced
		? rest.slice(1)
		: [undefined, ...rest];
	const type = findByPath(groupName, version, plural!);
	if (!type) throw errors.pathNotFound();
	if (namespaced && !type.namespaced) throw errors.pathNotFound();
	if (!namespaced && type.namespaced && name !== undefined) throw errors.pathNotFound();
	if (
		subresource !== undefined &&
		!['status', 'scale', 'proxy', ...podStreams].includes(subresource)
	)
		throw errors.pathNotFound();
	if (podStreams.includes(subresource!) && type.plural !== 'pods') throw errors.pathNotFound();
	if (subresource === 'scale' && !type.scale) throw errors.pathNotFound();
	if (subresource === 'status' && !type.status) throw errors.pathNotFound();
	if (subresource === 'proxy' && !type.proxy) throw errors.pathNotFound();
	return {
		type,
		...(namespace !== undefined ? {namespace} : {}),
		...(name !== undefined ? {name} : {}),
		...(subresource !== undefined ? {subresource} : {}),
		rest: more as string[],
	};
}

/** The type and name a path's object has, when it names one (a 409's message says them). */
export function objectOfPath(path: string): {type: ResourceType; name: string} | undefined {
	const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
	const [root, ...after] = segments;
	const [groupName, version, ...rest] = root === 'api' ? ['', ...after] : after;
	if ((root !== 'api' && root !== 'apis') || !version) return undefined;
	try {
		const target = resolveTarget(groupName!, version, rest);
		return target.name === undefined ? undefined : {type: target.type, name: target.name};
	} catch {
		return undefined;
	}
}
