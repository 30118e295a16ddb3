import {randomUUID} from 'node:crypto';
import {isDeepStrictEqual} from 'node:util';
import {ChangeHistory, tooOld} from './changes.js';
import {applyDefaults} from './defaults.js';
import {ApiError, errors} from './errors.js';
import {byListKey, objectsBefore, watchDelivery} from './history-reads.js';
import {assignName} from './names.js';
import type {
	KubeObject,
	ObjectMeta,
	StoreEvent,
	WatchEventType,
	WatchFilter,
	WriteOptions,
} from './objects.js';
import {applyPatch, type Json, type PatchType} from './patch.js';
import {replacement} from './replace.js';
import {apiVersionOf, findByKind, type ResourceType, resourceTypes, typeKey} from './resources.js';
import {matchesFilter as matches} from './selectors.js';
import {requireMetadata, validate} from './validation.js';

export type {KubeObject, WatchFilter};

export function timestamp(date = new Date()): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}

function clone<T>(value: T): T {
	return structuredClone(value);
}

/**
 * The simulated cluster's state: every object, one global resourceVersion counter (as etcd's
 * revision), a history of changes compacted by time for watches to resume from and lists to
 * read older versions through, and the subscribers.
 */
export class Store {
	private revision = 0;
	private readonly objects = new Map<string, Map<string, KubeObject>>();
	/** The same objects by type and namespace, so a namespaced peek is not a scan of them all. */
	private readonly byNamespace = new Map<string, Map<string, Map<string, KubeObject>>>();
	private readonly changes: ChangeHistory;

	constructor(compactionMs?: number) {
		this.changes = new ChangeHistory(compactionMs);
		for (const type of resourceTypes) {
			this.objects.set(typeKey(type), new Map());
			this.byNamespace.set(typeKey(type), new Map());
		}
	}

	get resourceVersion(): number {
		return this.revision;
	}

	private bucket(type: ResourceType): Map<string, KubeObject> {
		return this.objects.get(typeKey(type))!;
	}

	private key(type: ResourceType, namespace: string | undefined, name: string): string {
		return type.namespaced ? `${namespace}/${name}` : name;
	}

	find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
		return this.bucket(type).get(this.key(type, namespace, name));
	}

	get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
		const object = this.find(type, namespace, name);
		if (!object) throw errors.notFound(type, name);
		return clone(object);
	}

	/** Objects of a type, live references: callers inside the sim must not mutate them. */
	peek(type: ResourceType, filter: WatchFilter = {}): KubeObject[] {
		const objects =
			type.namespaced && filter.namespace
				? this.byNamespace.get(typeKey(type))!.get(filter.namespace)?.values()
				: this.bucket(type).values();
		return objects ? [...objects].filter((object) => matches(object, filter)) : [];
	}

	list(
		type: ResourceType,
		filter: WatchFilter = {},
	): {items: KubeObject[]; resourceVersion: string} {
		const items = this.peek(type, filter).map(clone).sort(byListKey);
		return {items, resourceVersion: String(this.revision)};
	}

	/**
	 * The objects of a type as they were at `version` (a list with `resourceVersionMatch=Exact`, a
	 * continued one); undefined when the history no longer reaches back to it.
	 */
	listAt(
		type: ResourceType,
		filter: WatchFilter,
		version: number,
	): {items: KubeObject[]; resourceVersion: string} | undefined {
		if (version === this.revision) return this.list(type, filter);
		const events = this.changes.after(version);
		if (!events || version > this.revision) return undefined;
		const before = objectsBefore(
			this.peek(type),
			events.filter((event) => event.resourceType === type),
		);
		const items = before.filter((object) => matches(object, filter)).map(clone);
		return {items: items.sort(byListKey), resourceVersion: String(version)};
	}

	/** The oldest version the history still reaches back to (watches resume, lists read from it). */
	get oldestVersion(): number {
		return this.changes.oldest;
	}

	private requireNamespace(type: ResourceType, namespace: string | undefined): void {
		if (!type.namespaced) return;
		const namespaces = resourceTypes.find((t) => t.plural === 'namespaces')!;
		if (!namespace || !this.find(namespaces, undefined, namespace)) {
			throw errors.notFound(namespaces, namespace ?? '');
		}
	}

	private commit(
		type: ResourceType,
		eventType: WatchEventType,
		object: KubeObject,
		previous?: KubeObject,
	): KubeObject {
		this.revision++;
		const stored: KubeObject = {
			...object,
			metadata: {...object.metadata, resourceVersion: String(this.revision)},
		};
		const key = this.key(type, stored.metadata.namespace, stored.metadata.name!);
		const namespaces = this.byNamespace.get(typeKey(type))!;
		const namespace = stored.metadata.namespace ?? '';
		if (eventType === 'DELETED') {
			this.bucket(type).delete(key);
			namespaces.get(namespace)?.delete(key);
		} else {
			this.bucket(type).set(key, stored);
			const inNamespace = namespaces.get(namespace) ?? new Map<string, KubeObject>();
			namespaces.set(namespace, inNamespace);
			inNamespace.set(key, stored);
		}
		const event: StoreEvent = {
			type: eventType,
			resourceType: type,
			object: stored,
			resourceVersion: this.revision,
			...(previous ? {previous} : {}),
		};
		this.changes.record(event);
		return clone(stored);
	}

	/**
	 * Creates an object. From the API (`fromApi`), a type with a status subresource starts with an
	 * empty status, as on a real server; scenarios and controllers keep the status they give.
	 */
	create(
		type: ResourceType,
		namespace: string | undefined,
		body: KubeObject,
		options: {fromApi?: boolean; dryRun?: boolean} = {},
	): KubeObject {
		requireMetadata(body);
		const metadata: ObjectMeta = {...body.metadata};
		if (type.namespaced) {
			if (metadata.namespace && namespace && metadata.namespace !== namespace) {
				throw errors.badRequest(
					'the namespace of the provided object does not match the namespace sent on the request',
				);
			}
			metadata.namespace = namespace ?? metadata.namespace;
		} else delete metadata.namespace;
		const name = assignName(type, metadata);
		this.requireNamespace(type, metadata.namespace);
		metadata.uid ??= randomUUID();
		metadata.creationTimestamp ??= timestamp();
		if (type.generation) metadata.generation = 1;
		delete metadata.resourceVersion;
		const object: KubeObject = {
			...clone(body),
			apiVersion: apiVersionOf(type),
			kind: type.kind,
			metadata,
		};
		if (options.fromApi && type.status) {
			if (type.plural === 'namespaces') object.status = {phase: 'Active'};
			else delete object.status;
		}
		applyDefaults(type, object, this);
		validate(type, object);
		if (this.find(type, metadata.namespace, name)) throw errors.alreadyExists(type, name);
		if (options.dryRun) return object;
		return this.commit(type, 'ADDED', object);
	}

	/**
	 * Replaces an object (PUT). A `metadata.resourceVersion` in the body is a precondition: a stale
	 * one is a 409 Conflict. Writes to the main resource keep the stored status; writes to /status
	 * keep everything but the status.
	 */
	update(
		type: ResourceType,
		namespace: string | undefined,
		name: string,
		body: KubeObject,
		options: WriteOptions = {},
	): KubeObject {
		requireMetadata(body);
		const current = this.find(type, namespace, name);
		if (!current) throw errors.notFound(type, name);
		if (body.metadata.name !== undefined && body.metadata.name !== name) {
			throw errors.badRequest(
				`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
			);
		}
		if (type.namespaced && body.metadata.namespace && body.metadata.namespace !== namespace) {
			throw errors.badRequest(
				'the namespace of the provided object does not match the namespace sent on the request',
			);
		}
		const precondition = body.metadata.resourceVersion;
		if (
			precondition !== undefined &&
			precondition !== '' &&
			precondition !== current.metadata.resourceVersion
		) {
			throw errors.conflict(type, name);
		}
		const next = replacement(type, current, body, {namespace, name, ...options});
		return this.write(type, current, next, options);
	}

	/** Applies a patch of the given type, then writes as `update` does. */
	patch(
		type: ResourceType,
		namespace: string | undefined,
		name: string,
		patchType: PatchType,
		body: unknown,
		options: WriteOptions = {},
	): KubeObject {
		const current = this.find(type, namespace, name);
		if (!current) throw errors.notFound(type, name);
		const patched = applyPatch(
			patchType,
			clone(current) as unknown as Json,
			body as Json,
		) as unknown as KubeObject;
		if (
			!patched ||
			typeof patched !== 'object' ||
			typeof patched.metadata !== 'object' ||
			patched.metadata === null
		) {
			throw new ApiError(422, 'Invalid', "the patch removed the object's metadata");
		}
		return this.update(type, namespace, name, patched, options);
	}

	private write(
		type: ResourceType,
		current: KubeObject,
		next: KubeObject,
		options: WriteOptions,
	): KubeObject {
		applyDefaults(type, next, this, current);
		if (
			type.generation &&
			options.subresource !== 'status' &&
			!isDeepStrictEqual(current.spec, next.spec)
		) {
			next.metadata.generation = (current.metadata.generation ?? 1) + 1;
		}
		next.metadata.resourceVersion = current.metadata.resourceVersion;
		validate(type, next);
		// A write that changes nothing is not a change: no new version, no watch event.
		if (isDeepStrictEqual(current, next)) return clone(current);
		if (options.dryRun) return next;
		return this.commit(type, 'MODIFIED', next, current);
	}

	/**
	 * Deletes an object and, unless orphaned, the objects it owns (garbage collection). Orphaning
	 * removes the owner's reference from its dependents, as the garbage collector does.
	 */
	delete(
		type: ResourceType,
		namespace: string | undefined,
		name: string,
		options: {
			orphan?: boolean;
			precondition?: {uid?: string; resourceVersion?: string};
			/** Inside a namespace's deletion, whose objects all go: no references to remove. */
			keepReferences?: boolean;
		} = {},
	): KubeObject {
		const current = this.find(type, namespace, name);
		if (!current) throw errors.notFound(type, name);
		const {uid, resourceVersion} = options.precondition ?? {};
		if (
			(uid && uid !== current.metadata.uid) ||
			(resourceVersion && resourceVersion !== current.metadata.resourceVersion)
		) {
			throw errors.conflict(type, name);
		}
		if (type.plural === 'namespaces') {
			for (const other of resourceTypes.filter((t) => t.namespaced)) {
				for (const object of this.peek(other, {namespace: name})) {
					if (this.find(other, name, object.metadata.name!))
						this.delete(other, name, object.metadata.name!, {orphan: true, keepReferences: true});
				}
			}
		}
		if (options.orphan && !options.keepReferences) this.releaseDependents(current.metadata.uid!);
		const deleted = this.commit(
			type,
			'DELETED',
			{...clone(current), metadata: {...clone(current.metadata), deletionTimestamp: timestamp()}},
			current,
		);
		if (!options.orphan) this.collectGarbage(current.metadata.uid!);
		return deleted;
	}

	private releaseDependents(ownerUid: string): void {
		for (const type of resourceTypes) {
			for (const object of this.peek(type)) {
				const references = object.metadata.ownerReferences;
				if (!references?.some((ref) => ref.uid === ownerUid)) continue;
				const metadata = clone(object.metadata);
				const rest = references.filter((ref) => ref.uid !== ownerUid);
				if (rest.length > 0) metadata.ownerReferences = clone(rest);
				else delete metadata.ownerReferences;
				this.commit(type, 'MODIFIED', {...clone(object), metadata}, object);
			}
		}
	}

	private collectGarbage(ownerUid: string): void {
		for (const type of resourceTypes) {
			for (const object of this.peek(type)) {
				if (object.metadata.ownerReferences?.some((ref) => ref.uid === ownerUid)) {
					this.delete(type, object.metadata.namespace, object.metadata.name!);
				}
			}
		}
	}

	/**
	 * Calls `onEvent` for each change after `fromVersion` matching the filter, then for each new
	 * one (from none: ADDED for each object first). A version older than the retained history
	 * throws 410 Gone, as etcd compaction does; so does one this history never reached (a version
	 * of the history before a restart).
	 */
	watch(
		type: ResourceType,
		fromVersion: number | undefined,
		filter: WatchFilter,
		onEvent: (type: WatchEventType, object: KubeObject) => void,
	): () => void {
		const deliver = watchDelivery(type, filter, onEvent);
		if (fromVersion === undefined) {
			for (const object of this.list(type, filter).items) onEvent('ADDED', object);
		} else if (fromVersion > this.revision) throw tooOld(fromVersion, this.changes.oldest);
		else this.changes.replay(fromVersion, deliver);
		return this.changes.subscribe(deliver);
	}

	/** Forgets every object, change and subscriber (a restart on an emptied etcd): from version 0. */
	reset(): void {
		this.revision = 0;
		for (const bucket of [...this.objects.values(), ...this.byNamespace.values()]) bucket.clear();
		this.changes.reset();
	}

	/** Forgets the change history, as etcd compaction does: older watches then get 410 Gone. */
	compact(): void {
		this.changes.compact(this.revision);
	}

	/** Resolves a type from an object's apiVersion and kind (scenarios, owner references). */
	typeOf(object: {apiVersion?: string; kind?: string}): ResourceType | undefined {
		return findByKind(object.apiVersion ?? '', object.kind ?? '');
	}
}
