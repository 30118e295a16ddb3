/**
 * What the endpoints and endpointslice controllers compute for one Service from its pods: pure,
 * so the controller (endpoints.ts) only decides when to write.
 */
import type {KubeObject} from '../store.js';
import {podReady} from './pods.js';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const sliceManagedBy = {
	'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
};
export const endpointsManagedBy = {'endpoints.kubernetes.io/managed-by': 'endpoint-controller'};

type ServicePort = {name?: string; port: number; targetPort?: number | string; protocol?: string};
type ContainerPort = {name?: string; containerPort: number; protocol?: string};
type EndpointPort = {name?: string; port: number; protocol: string};

/** The Service's selector, or undefined when it has none (its Endpoints are someone else's). */
export function selectorOf(service: KubeObject): Record<string, string> | undefined {
	const selector = service.spec?.selector;
	if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0)
		return undefined;
	return selector as Record<string, string>;
}

export function selects(selector: Record<string, string>, pod: KubeObject): boolean {
	const labels = pod.metadata.labels ?? {};
	return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** podutil.FindPort: a number as it is, a name looked up in the pod's container ports. */
function findPort(pod: KubeObject, servicePort: ServicePort): number | undefined {
	const target = servicePort.targetPort ?? servicePort.port;
	if (typeof target === 'number') return target;
	if (/^\d+$/.test(target)) return Number(target);
	for (const container of pod.spec?.containers ?? []) {
		for (const port of (container.ports ?? []) as ContainerPort[]) {
			if (port.name === target && (port.protocol ?? 'TCP') === (servicePort.protocol ?? 'TCP'))
				return port.containerPort;
		}
	}
	return undefined;
}

/** The ports one pod serves the Service on, named as the Service names its ports. */
function portsOf(service: KubeObject, pod: KubeObject): EndpointPort[] {
	return ((service.spec?.ports ?? []) as ServicePort[]).flatMap((servicePort) => {
		const port = findPort(pod, servicePort);
		if (port === undefined) return [];
		return [
			{
				...(servicePort.name ? {name: servicePort.name} : {}),
				port,
				protocol: servicePort.protocol ?? 'TCP',
			},
		];
	});
}

function ipNumber(ip: string): number {
	return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/**
 * ShouldPodBeInEndpoints: an address and not finished; terminating ones only in slices (which
 * say so in their conditions) or when the Service publishes not-ready addresses.
 */
function candidates(service: KubeObject, pods: KubeObject[], terminating = false): KubeObject[] {
	const selector = selectorOf(service);
	if (!selector) return [];
	const publishNotReady = service.spec?.publishNotReadyAddresses === true;
	return pods
		.filter((pod) => selects(selector, pod) && pod.status?.podIP)
		.filter((pod) => !['Succeeded', 'Failed'].includes(pod.status?.phase))
		.filter((pod) => terminating || publishNotReady || !pod.metadata.deletionTimestamp)
		.sort((a, b) => ipNumber(a.status.podIP) - ipNumber(b.status.podIP));
}

function targetRef(pod: KubeObject) {
	return {
		kind: 'Pod',
		namespace: pod.metadata.namespace,
		name: pod.metadata.name,
		uid: pod.metadata.uid,
	};
}

/** The Endpoints' subsets: pods with the same ports together, Ready ones as addresses. */
export function subsetsFor(service: KubeObject, pods: KubeObject[]): unknown[] {
	const publishNotReady = service.spec?.publishNotReadyAddresses === true;
	const bySignature = new Map<
		string,
		{addresses: unknown[]; notReadyAddresses: unknown[]; ports: EndpointPort[]}
	>();
	const headless = ((service.spec?.ports ?? []) as unknown[]).length === 0;
	for (const pod of candidates(service, pods)) {
		const ports = portsOf(service, pod);
		if (ports.length === 0 && !headless) continue;
		const key = JSON.stringify(ports);
		const subset = bySignature.get(key) ?? {addresses: [], notReadyAddresses: [], ports};
		bySignature.set(key, subset);
		const address = {ip: pod.status.podIP, nodeName: pod.spec?.nodeName, targetRef: targetRef(pod)};
		if (publishNotReady || podReady(pod)) subset.addresses.push(address);
		else subset.notReadyAddresses.push(address);
	}
	return [...bySignature.values()].map(({addresses, notReadyAddresses, ports}) => ({
		...(addresses.length > 0 ? {addresses} : {}),
		...(notReadyAddresses.length > 0 ? {notReadyAddresses} : {}),
		...(ports.length > 0 ? {ports} : {}),
	}));
}

/** The endpoints and ports of the Service's one EndpointSlice (the sim never needs a second). */
export function sliceContentFor(service: KubeObject, pods: KubeObject[]) {
	const endpoints: unknown[] = [];
	let ports: EndpointPort[] = [];
	for (const pod of candidates(service, pods, true)) {
		const podPorts = portsOf(service, pod);
		if (endpoints.length === 0) ports = podPorts;
		// A pod serving on other ports belongs in another slice: the sim keeps the first set's.
		if (JSON.stringify(podPorts) !== JSON.stringify(ports)) continue;
		const ready = podReady(pod);
		const terminating = Boolean(pod.metadata.deletionTimestamp);
		endpoints.push({
			addresses: [pod.status.podIP],
			conditions: {ready: ready && !terminating, serving: ready, terminating},
			nodeName: pod.spec?.nodeName,
			targetRef: targetRef(pod),
		});
	}
	// The slice names every port: an unnamed Service port is "" in a slice, not absent.
	return {
		endpoints,
		ports: ports.map((p) => ({name: p.name ?? '', port: p.port, protocol: p.protocol})),
	};
}
