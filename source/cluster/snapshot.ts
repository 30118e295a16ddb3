import {listQuery} from '../core/kinds.js';
import {snapshotOf} from '../core/snapshot.js';
import type {KindRef, KubeObject, Snapshot} from '../core/types.js';
import {ClusterError, type KubeClient, pathOf} from './client.js';

/** One read of every kind detection needs (for `status` and the action subcommands). */
export async function fetchSnapshot(
	client: KubeClient,
	namespace: string | undefined,
	watches: KindRef[],
): Promise<Snapshot> {
	const lists = await Promise.all(
		watches.map(async (kind): Promise<[KindRef, KubeObject[]]> => {
			try {
				const list = await client.get<{items: KubeObject[]}>(
					`${pathOf({...kind, ...(namespace ? {namespace} : {})})}${listQuery(kind)}`,
				);
				return [kind, list.items ?? []];
			} catch (error) {
				// A cluster without Flagger or Argo Rollouts simply has none of those.
				if (error instanceof ClusterError && error.kind === 'not-found' && kind.optional)
					return [kind, []];
				throw error;
			}
		}),
	);
	return snapshotOf(lists);
}
