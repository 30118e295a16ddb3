import {kinds} from './kinds.js';
import type {Claims, KubeObject, Snapshot} from './types.js';
import {podLabels, selects} from './workloads.js';

/**
 * Which Services are blue/green rollouts by selector: the selector's
 * track label (default `version`, annotation `cutover.dev/track-label`) and the Deployments that
 * match the rest of it, by value of the label.
 */

const trackLabelAnnotation = 'cutover.dev/track-label';
const ignoreAnnotation = 'cutover.dev/ignore';

export type Candidate = {
	service: KubeObject;
	trackLabel: string;
	/** The value the selector holds; undefined when it has none, so it selects every value. */
	live: string | undefined;
	byValue: Map<string, KubeObject[]>;
};

function withoutKey(selector: Record<string, string>, key: string): Record<string, string> {
	const {[key]: _, ...rest} = selector;
	return rest;
}

/**
 * The Service that switches traffic, not a per-color Service (`app-blue` selecting only blue):
 * those are named after the Deployment or the value they pin.
 */
function pinnedToOneColor(service: KubeObject, live: string, matching: KubeObject[]): boolean {
	const name = service.metadata.name;
	return name.endsWith(`-${live}`) || matching.some((d) => d.metadata.name === name);
}

/** Deployments by namespace, so each Service looks only at its own (thousands of rollouts). */
function byNamespace(deployments: KubeObject[]): Map<string, KubeObject[]> {
	const grouped = new Map<string, KubeObject[]>();
	for (const deployment of deployments) {
		const namespace = deployment.metadata.namespace ?? 'default';
		const list = grouped.get(namespace);
		if (list) list.push(deployment);
		else grouped.set(namespace, [deployment]);
	}
	return grouped;
}

export function trackLabelOf(service: KubeObject): string {
	return service.metadata.annotations?.[trackLabelAnnotation] ?? 'version';
}

/**
 * Services that switch between Deployments differing in the track label, and Services that lost
 * it from their selector while still selecting blue and green (or the label they name): traffic to all.
 */
export function candidates(snapshot: Snapshot, claims: Claims): Candidate[] {
	const found: Candidate[] = [];
	const unclaimed = snapshot
		.list(kinds.deployment)
		.filter((d) => !claims.taken(d, kinds.deployment));
	const deploymentsIn = byNamespace(unclaimed);
	for (const service of snapshot.list(kinds.service)) {
		if (service.metadata.annotations?.[ignoreAnnotation] === 'true') continue;
		if (claims.taken(service, kinds.service)) continue;
		const selector: Record<string, string> | undefined = service.spec?.selector;
		const trackLabel = trackLabelOf(service);
		if (!selector) continue;
		const rest = withoutKey(selector, trackLabel);
		if (Object.keys(rest).length === 0) continue;
		const namespace = service.metadata.namespace ?? 'default';
		const byValue = new Map<string, KubeObject[]>();
		for (const deployment of deploymentsIn.get(namespace) ?? []) {
			const labels = podLabels(deployment);
			const value = labels[trackLabel];
			if (value === undefined || !selects(rest, labels)) continue;
			byValue.set(value, [...(byValue.get(value) ?? []), deployment]);
		}
		if (byValue.size < 2) continue;
		const live = selector[trackLabel];
		// With no track label it is a broken blue/green only when that is plain: the label named on
		// the Service, or blue and green. Services over v1, v2 (Istio's routing) are not rollouts.
		const meant =
			service.metadata.annotations?.[trackLabelAnnotation] !== undefined ||
			(byValue.has('blue') && byValue.has('green'));
		if (live === undefined && !meant) continue;
		if (live !== undefined && pinnedToOneColor(service, live, byValue.get(live) ?? [])) continue;
		found.push({service, trackLabel, live, byValue});
	}
	return found;
}
