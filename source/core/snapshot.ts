import {kindKey, namespaceOf} from './kinds.js';
import type {KindRef, KubeObject, ObjectRef, Snapshot} from './types.js';

/**
 * A Snapshot over lists of objects by kind. Lookups by name are indexed on first use, so a
 * thousand rollouts each finding their Deployment cost one pass, not a thousand.
 */
export function snapshotOf(lists: Iterable<[KindRef, KubeObject[]]>): Snapshot {
	const byKind = new Map<string, KubeObject[]>();
	for (const [kind, objects] of lists) byKind.set(kindKey(kind), objects);
	const indexes = new Map<string, Map<string, KubeObject>>();
	const list = (kind: Pick<KindRef, 'group' | 'plural'>) => byKind.get(kindKey(kind)) ?? [];
	return {
		list,
		get(ref: ObjectRef) {
			const key = kindKey(ref);
			let index = indexes.get(key);
			if (!index) {
				index = new Map(list(ref).map((o) => [`${namespaceOf(o)}/${o.metadata.name}`, o]));
				indexes.set(key, index);
			}
			return index.get(`${ref.namespace}/${ref.name}`);
		},
	};
}
