import {loadedPercent, type WeightSource} from './router-config.js';
import type {Fact, KubeObject, Snapshot} from './types.js';
import {deploymentReplicaSets, deploymentRevision, ownedReplicaSets} from './workloads.js';

/**
 * Where an app-level router's pods stand: which percentage each ReplicaSet started with, and
 * the share they really apply, weighted by ready pods (a Service spreads requests over them).
 */

type RouterPods = {
	/** Pods (existing, ready) per percentage they started with; `undefined`: not known. */
	groups: Array<{percent: number | undefined; pods: number; ready: number}>;
	/** Every router pod started with the percentage asked for; undefined: not known (a ConfigMap read at start). */
	reached: boolean | undefined;
	/** The share they apply, weighted by ready pods, when every ready pod's is known. */
	applied: number | undefined;
};

export function routerPods(
	router: KubeObject,
	source: WeightSource,
	weight: number | null,
	snapshot: Snapshot,
): RouterPods {
	const sets = ownedReplicaSets(
		router,
		'Deployment',
		deploymentReplicaSets,
		snapshot,
		deploymentRevision,
	);
	const groups = new Map<number | undefined, {pods: number; ready: number}>();
	for (const rs of sets) {
		const pods = Number(rs.status?.replicas ?? 0);
		if (pods === 0) continue;
		const percent = loadedPercent(rs, source);
		const group = groups.get(percent) ?? {pods: 0, ready: 0};
		group.pods += pods;
		group.ready += Number(rs.status?.readyReplicas ?? 0);
		groups.set(percent, group);
	}
	const list = [...groups.entries()]
		.map(([percent, g]) => ({percent, ...g}))
		.sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1));
	const ready = list.reduce((sum, g) => sum + g.ready, 0);
	const known = list.every((g) => g.percent !== undefined || g.ready === 0);
	return {
		groups: list,
		reached: list.some((g) => g.percent !== undefined && g.percent !== weight)
			? false
			: list.length > 0 && list.every((g) => g.percent === weight)
				? true
				: undefined,
		applied:
			known && ready > 0
				? Math.round(list.reduce((sum, g) => sum + (g.percent ?? 0) * g.ready, 0) / ready)
				: undefined,
	};
}

export function podsFact(pods: RouterPods, source: WeightSource | undefined): Fact {
	const text = pods.groups
		.map((g) => `${g.pods} at ${g.percent === undefined ? '?' : `${g.percent}%`}`)
		.join(', ');
	const unknown = pods.groups.some((g) => g.percent === undefined);
	const value =
		pods.groups.length === 0
			? 'no pods'
			: unknown && source?.kind === 'configmap'
				? `${text} (read from the ConfigMap at start; a step restarts them)`
				: text;
	return {
		label: 'router pods',
		value,
		tone:
			pods.groups.length === 0
				? 'bad'
				: pods.reached
					? 'ok'
					: pods.reached === false
						? 'progressing'
						: 'neutral',
	};
}

export function sourceText(source: WeightSource): string {
	return source.kind === 'env'
		? `env ${source.name}`
		: `ConfigMap ${source.ref.name} ${source.key}${source.via ? ` (env ${source.via})` : ''}`;
}
