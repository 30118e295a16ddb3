import {invalidObject} from './field-errors.js';
import type {KubeObject} from './objects.js';
import {findByKind, type ResourceType} from './resources.js';

/** What the allocator needs of the store: the Services there are now. */
export type ServicesView = {peek(type: ResourceType): KubeObject[]};

const services = findByKind('v1', 'Service')!;

function heldClusterIps(view: ServicesView): Set<string> {
	const held = new Set<string>();
	for (const service of view.peek(services))
		for (const ip of service.spec?.clusterIPs ?? [service.spec?.clusterIP]) if (ip) held.add(ip);
	return held;
}

/** The service CIDR a default kubeadm / kind cluster uses, 10.96.0.0/12. */
const base = (10 << 24) | (96 << 16);
const size = 1 << 20;

function address(offset: number): string {
	const n = base + offset;
	return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function offsetOf(ip: string): number | undefined {
	const parts = ip.split('.').map(Number);
	if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
		return undefined;
	const n = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
	const offset = n - base;
	return offset > 0 && offset < size - 1 ? offset : undefined;
}

/**
 * Where each store's allocator goes on from: addresses are handed out in turn, so one freed by a
 * deleted Service is not handed to the next one at once (a real allocator picks at random).
 */
const cursors = new WeakMap<object, number>();

function allocate(view: ServicesView): string {
	const held = heldClusterIps(view);
	let offset = cursors.get(view) ?? 0;
	for (let tries = 0; tries < size - 2; tries++) {
		offset = (offset % (size - 2)) + 1;
		const ip = address(offset);
		if (!held.has(ip)) {
			cursors.set(view, offset);
			return ip;
		}
	}
	throw invalidObject('Service', '', '', [
		{type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [], detail: 'range is full'},
	]);
}

function refuse(object: KubeObject, ip: string, detail: string): never {
	throw invalidObject('Service', '', object.metadata.name ?? '', [
		{
			type: 'FieldValueInvalid',
			field: 'spec.clusterIPs',
			value: [ip],
			detail,
		},
	]);
}

/**
 * Gives a Service its cluster IP as the API server's allocator does: ExternalName gets none,
 * `None` (headless) is kept, an explicit address is kept unless another Service holds it, an
 * update without one keeps the current one, and otherwise the next free address in the CIDR.
 */
// biome-ignore lint/suspicious/noExplicitAny: specs as clients send them
export function allocateClusterIp(view: ServicesView, object: KubeObject, current?: any): void {
	const spec = object.spec;
	if (spec.type === 'ExternalName') return;
	const previous = current?.spec?.clusterIP;
	if (!spec.clusterIP && spec.clusterIPs?.[0]) spec.clusterIP = spec.clusterIPs[0];
	if (!spec.clusterIP && previous) {
		spec.clusterIP = previous;
		spec.clusterIPs ??= current.spec.clusterIPs;
	}
	if (!spec.clusterIP) spec.clusterIP = allocate(view);
	else if (previous && spec.clusterIP !== previous)
		refuse(object, spec.clusterIP, 'may not change once set');
	else if (spec.clusterIP !== 'None' && spec.clusterIP !== previous) {
		if (offsetOf(spec.clusterIP) === undefined)
			refuse(
				object,
				spec.clusterIP,
				`failed to allocate IP ${spec.clusterIP}: provided IP is not in the valid range`,
			);
		if (heldClusterIps(view).has(spec.clusterIP))
			refuse(
				object,
				spec.clusterIP,
				`failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
			);
	}
	spec.clusterIPs ??= [spec.clusterIP];
	spec.ipFamilies ??= ['IPv4'];
	spec.ipFamilyPolicy ??= 'SingleStack';
}
