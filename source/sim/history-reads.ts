/** Reads through the change history: the objects as they were at a version, and a watch's view. */
import type {KubeObject, StoreEvent, WatchEventType, WatchFilter} from './objects.js';
import type {ResourceType} from './resources.js';
import {matchesFilter as matches} from './selectors.js';

/** Where an object sits in a list: etcd's key order (namespace, then name, byte by byte). */
export function listKey(object: KubeObject): string {
	const {namespace, name} = object.metadata;
	return namespace ? `${namespace}/${name}` : (name ?? '');
}

export function byListKey(a: KubeObject, b: KubeObject): number {
	const [x, y] = [listKey(a), listKey(b)];
	return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The objects of a type as they were before `events` (the changes since, oldest first): each
 * change undone, newest first, from the objects as they are now.
 */
export function objectsBefore(now: KubeObject[], events: StoreEvent[]): KubeObject[] {
	const objects = new Map(now.map((object) => [listKey(object), object]));
	for (const event of [...events].reverse()) {
		const key = listKey(event.object);
		if (event.type === 'ADDED') objects.delete(key);
		else if (event.previous) objects.set(key, event.previous);
	}
	return [...objects.values()];
}

/**
 * A watcher's view of each change to a type: only those matching its filter, and an object
 * moving into or out of a selector arrives as ADDED or DELETED.
 */
export function watchDelivery(
	type: ResourceType,
	filter: WatchFilter,
	onEvent: (type: WatchEventType, object: KubeObject) => void,
): (event: StoreEvent) => void {
	return (event) => {
		if (event.resourceType !== type) return;
		const now = matches(event.object, filter);
		const before =
			event.previous !== undefined && event.type === 'MODIFIED' && matches(event.previous, filter);
		if (event.type === 'MODIFIED' && now && !before)
			onEvent('ADDED', structuredClone(event.object));
		else if (event.type === 'MODIFIED' && !now && before)
			onEvent('DELETED', structuredClone(event.object));
		else if (now) onEvent(event.type, structuredClone(event.object));
	};
}
