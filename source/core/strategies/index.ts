import type {Rollout, Snapshot, Strategy} from '../types.js';
import {nginxCanary} from './nginx-canary.js';
import {serviceSelector} from './service-selector.js';

/** Every strategy cutover knows. Adding one is a file in this folder and a line here. */
export const strategies: Strategy[] = [serviceSelector, nginxCanary];

export function strategyOf(rollout: Rollout): Strategy {
	const strategy = strategies.find((s) => s.name === rollout.strategy);
	if (!strategy) throw new Error(`no strategy named ${rollout.strategy}`);
	return strategy;
}

/** All rollouts in a snapshot, sorted by namespace and name. */
export function detectAll(snapshot: Snapshot): Rollout[] {
	return strategies
		.flatMap((strategy) => strategy.detect(snapshot))
		.sort(
			(a, b) =>
				a.namespace.localeCompare(b.namespace) ||
				a.name.localeCompare(b.name) ||
				a.strategy.localeCompare(b.strategy),
		);
}
