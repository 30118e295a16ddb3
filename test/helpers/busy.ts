import {loadScenario, type Scenario} from '../../source/sim/scenario.js';

/**
 * A built-in scenario with enough traffic that a few percent of errors is a number, not noise:
 * the shop takes 1000 requests a second and myapp 500.
 */
export function busy(name: string): Scenario {
	const scenario = loadScenario(name);
	const rps: Record<string, number> = {'shop/shop': 1000, 'default/myapp': 500};
	return {
		...scenario,
		traffic: scenario.traffic.map((t) => ({...t, rps: rps[`${t.namespace}/${t.name}`] ?? t.rps})),
	};
}
