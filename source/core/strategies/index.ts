import {createRegistry, type Registry} from '../registry.js';
import type {KindRef, Strategy} from '../types.js';
import {argoRollouts} from './argo-rollouts.js';
import {flagger} from './flagger.js';
import {nginxCanary} from './nginx-canary.js';
import {rolling} from './rolling.js';
import {router} from './router.js';
import {serviceSelector} from './service-selector.js';

/**
 * Every strategy cutover knows, in claiming order: controller-managed patterns first, then
 * nginx canaries, app routers, Service selectors, plain Deployments last. Adding one is a
 * file in this folder and a line here.
 */
export const builtinStrategies: Strategy[] = [
	flagger,
	argoRollouts,
	nginxCanary,
	router,
	serviceSelector,
	rolling,
];

/**
 * Controllers with no strategy here yet: the Ingresses, Services and Deployments they own are
 * theirs, and a patch of ours would fight them. Each leaves this list when its strategy lands.
 */
const managedElsewhere: KindRef[] = [];

/** A registry of these strategies, with what controllers own kept from them. */
export function registryOf(strategies: Strategy[]): Registry {
	return createRegistry(strategies, {reservedOwners: managedElsewhere});
}

export const registry = registryOf(builtinStrategies);
