import type {KubeObject, Snapshot} from '../core/types.js';
import {ClusterError, type KubeClient, pathOf} from './client.js';

const kinds = {
	services: {group: '', version: 'v1', plural: 'services'},
	ingresses: {group: 'networking.k8s.io', version: 'v1', plural: 'ingresses'},
	deployments: {group: 'apps', version: 'v1', plural: 'deployments'},
	canaries: {group: 'flagger.app', version: 'v1beta1', plural: 'canaries'},
	rollouts: {group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts'},
} as const;

const optional = new Set(['canaries', 'rollouts']);

/** One read of everything detection needs (for `status` and the action subcommands). */
export async function fetchSnapshot(
	client: KubeClient,
	namespace: string | undefined,
): Promise<Snapshot> {
	const entries = await Promise.all(
		Object.entries(kinds).map(async ([kind, source]) => {
			try {
				const list = await client.get<{items: KubeObject[]}>(
					pathOf({...source, ...(namespace ? {namespace} : {})}),
				);
				return [kind, list.items ?? []] as const;
			} catch (error) {
				// A cluster without Flagger or Argo Rollouts simply has none of those.
				if (error instanceof ClusterError && error.kind === 'not-found' && optional.has(kind))
					return [kind, []] as const;
				throw error;
			}
		}),
	);
	return Object.fromEntries(entries) as unknown as Snapshot;
}
