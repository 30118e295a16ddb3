import {randomInt} from 'node:crypto';
import {isDeepStrictEqual} from 'node:util';
import {resourceTypes} from '../resources.js';
import {type KubeObject, type Store, timestamp} from '../store.js';
import {
	endpointsManagedBy,
	selectorOf,
	serviceNameLabel,
	sliceContentFor,
	sliceManagedBy,
	subsetsFor,
} from './endpoint-sets.js';

const services = resourceTypes.find((t) => t.plural === 'services')!;
const pods = resourceTypes.find((t) => t.plural === 'pods')!;
const endpoints = resourceTypes.find((t) => t.plural === 'endpoints')!;
const slices = resourceTypes.find((t) => t.plural === 'endpointslices')!;

const triggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

function ownerRef(service: KubeObject) {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		name: service.metadata.name!,
		uid: service.metadata.uid!,
		controller: true,
		blockOwnerDeletion: true,
	};
}

/**
 * The endpoints and endpointslice controllers: for each Service with a selector, an Endpoints of
 * the same name (Ready pods as addresses, the others as notReadyAddresses) and an EndpointSlice
 * labelled with the Service's name, owned by the Service, rewritten as pods come, go and ready.
 */
export class EndpointsController {
	private readonly dirty = new Set<string>();
	private timer: NodeJS.Timeout | undefined;
	private unsubscribe: Array<() => void> = [];

	constructor(
		private readonly store: Store,
		private readonly tickMs = 50,
	) {}

	start(): void {
		const mark = (_: string, object: KubeObject) => this.dirty.add(object.metadata.namespace ?? '');
		this.unsubscribe = [
			this.store.watch(services, undefined, {}, mark),
			this.store.watch(pods, this.store.resourceVersion, {}, mark),
		];
		// The world a scenario loads is steady: its Endpoints are there from the start.
		this.sync();
		this.timer = setInterval(() => this.sync(), this.tickMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		for (const unsubscribe of this.unsubscribe) unsubscribe();
	}

	private sync(): void {
		const namespaces = [...this.dirty];
		this.dirty.clear();
		for (const namespace of namespaces) {
			try {
				this.reconcile(namespace);
			} catch {
				// A write raced by a client (or the namespace going): try again on the next tick.
				if (this.store.peek(services, {namespace}).length > 0) this.dirty.add(namespace);
			}
		}
	}

	private reconcile(namespace: string): void {
		const inNamespace = this.store.peek(pods, {namespace});
		const live = new Set<string>();
		for (const service of this.store.peek(services, {namespace})) {
			if (!selectorOf(service)) continue;
			live.add(service.metadata.name!);
			this.writeEndpoints(service, subsetsFor(service, inNamespace));
			this.writeSlice(service, sliceContentFor(service, inNamespace));
		}
		// The controller's own Endpoints outlive no Service (slices go with their owner).
		for (const object of this.store.peek(endpoints, {namespace})) {
			const ours = object.metadata.labels?.['endpoints.kubernetes.io/managed-by'];
			if (ours && !live.has(object.metadata.name!))
				this.store.delete(endpoints, namespace, object.metadata.name!);
		}
	}

	private labelsFor(service: KubeObject): Record<string, string> {
		const labels = {...service.metadata.labels};
		if (service.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
		return labels;
	}

	private writeEndpoints(service: KubeObject, subsets: unknown[]): void {
		const {namespace, name} = service.metadata;
		const current = this.store.find(endpoints, namespace, name!);
		const labels = {...this.labelsFor(service), ...endpointsManagedBy};
		const content = subsets.length > 0 ? {subsets} : {};
		if (
			current &&
			isDeepStrictEqual(current.subsets ?? [], subsets) &&
			isDeepStrictEqual(current.metadata.labels, labels)
		)
			return;
		const metadata = {
			...current?.metadata,
			name,
			namespace,
			labels,
			annotations: {...current?.metadata.annotations, [triggerTime]: timestamp()},
		};
		const body = {apiVersion: 'v1', kind: 'Endpoints', metadata, ...content};
		if (current) this.store.update(endpoints, namespace, name!, body);
		else this.store.create(endpoints, namespace, body);
	}

	private writeSlice(service: KubeObject, content: {endpoints: unknown[]; ports: unknown[]}): void {
		const {namespace, name} = service.metadata;
		const owned = this.store
			.peek(slices, {namespace})
			.filter((slice) =>
				slice.metadata.ownerReferences?.some((r) => r.uid === service.metadata.uid),
			);
		const [current, ...extra] = owned;
		for (const slice of extra) this.store.delete(slices, namespace, slice.metadata.name!);
		const labels = {...this.labelsFor(service), [serviceNameLabel]: name!, ...sliceManagedBy};
		if (
			current &&
			isDeepStrictEqual(current.endpoints, content.endpoints) &&
			isDeepStrictEqual(current.ports, content.ports) &&
			isDeepStrictEqual(current.metadata.labels, labels)
		)
			return;
		const generated = Array.from({length: 5}, () => alphabet[randomInt(alphabet.length)]).join('');
		const metadata = {
			...current?.metadata,
			// The controller asks for generateName `<service>-`.
			name: current?.metadata.name ?? `${name!.slice(0, 58)}-${generated}`,
			namespace,
			labels,
			annotations: {...current?.metadata.annotations, [triggerTime]: timestamp()},
			ownerReferences: [ownerRef(service)],
		};
		const body = {
			apiVersion: 'discovery.k8s.io/v1',
			kind: 'EndpointSlice',
			metadata,
			addressType: 'IPv4',
			...content,
		};
		if (current) this.store.update(slices, namespace, metadata.name, body);
		else this.store.create(slices, namespace, body);
	}
}
