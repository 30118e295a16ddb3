import {changesCluster} from './registry.js';
import type {ActionName, ObjectRef, PlanResult, PlanStep, Rollout} from './types.js';

/**
 * A plan builder for one action on one rollout: each plan says whether it changes the cluster
 * (from its steps) and records its Event on `target`, naming the rollout.
 */
export function planner(action: ActionName, rollout: Rollout, target: ObjectRef) {
	return (summary: string, steps: PlanStep[], reason: string, message: string): PlanResult => ({
		plan: {
			action,
			rolloutId: rollout.id,
			summary,
			changes: changesCluster(steps),
			steps,
			audit: {target, reason, message: `${message} on ${rollout.namespace}/${rollout.name}`},
		},
	});
}
