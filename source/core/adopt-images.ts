import type {PlanStep, Rollout, Snapshot} from './types.js';

/**
 * Finalize's first half for a weight split (nginx canary, app router): the stable Deployment
 * takes the canary's images, container by container (by name; a lone container by position),
 * each tested at the image seen, then a wait while it rolls out. Nothing when they already match.
 */
export function adoptCanaryImages(rollout: Rollout, snapshot: Snapshot, hold: string): PlanStep[] {
	const stable = rollout.tracks.find((t) => t.side === 'baseline')!;
	const canary = rollout.tracks.find((t) => t.side === 'candidate')!;
	const stableContainers: Array<{name: string; image: string}> =
		snapshot.get(stable.workload)?.spec?.template?.spec?.containers ?? [];
	const canaryContainers: Array<{name: string; image: string}> =
		snapshot.get(canary.workload)?.spec?.template?.spec?.containers ?? [];
	const ops: unknown[] = [];
	for (const [index, container] of stableContainers.entries()) {
		const from =
			canaryContainers.find((c) => c.name === container.name) ??
			(stableContainers.length === 1 ? canaryContainers[0] : undefined);
		if (!from || from.image === container.image) continue;
		const path = `/spec/template/spec/containers/${index}/image`;
		ops.push({op: 'test', path, value: container.image}, {op: 'replace', path, value: from.image});
	}
	if (ops.length === 0) return [];
	return [
		{
			kind: 'request',
			description: `set ${stable.workload.name} to the canary's images (${canary.images.join(', ')})`,
			target: stable.workload,
			patchType: 'json',
			body: ops,
			precondition: {
				path: '/spec/template/spec/containers/0/image',
				expected: stableContainers[0]?.image,
				what: `the image of ${stable.workload.name}`,
			},
		},
		{
			kind: 'wait',
			// Short: the running dialog appends the progress (updated 1/3, ready 3/3) at 80 columns.
			description: `wait for ${stable.workload.name} to roll out, ${hold}`,
			target: stable.workload,
			until: 'rolled-out',
			timeoutSeconds: 300,
		},
	];
}
