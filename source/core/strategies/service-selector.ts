import type {
	ActionName,
	ActionState,
	Color,
	KubeObject,
	Plan,
	PlanInput,
	PlanResult,
	Rollout,
	Snapshot,
	Strategy,
	Track,
} from '../types.js';
import {deploymentTrack, podLabels, pointerToken, refOf, selects} from '../workloads.js';

/**
 * Blue/green by Service selector (the seed's pattern): a Service whose selector has a track label
 * (default `version`) and at least two Deployments matching the rest of the selector with
 * different values of it. Live = the value the selector holds. Switching is one JSON Patch that
 * tests the value the engineer saw, so a concurrent switch fails instead of flipping back.
 */

export const trackLabelAnnotation = 'cutover.dev/track-label';
export const healthPathAnnotation = 'cutover.dev/health-path';
const ignoreAnnotation = 'cutover.dev/ignore';

const services = {group: '', version: 'v1', plural: 'services', kind: 'Service'};
const deployments = {group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment'};

type Candidate = {
	service: KubeObject;
	trackLabel: string;
	live: string;
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

function candidates(snapshot: Snapshot): Candidate[] {
	const found: Candidate[] = [];
	const deploymentsIn = byNamespace(snapshot.deployments);
	for (const service of snapshot.services) {
		if (service.metadata.annotations?.[ignoreAnnotation] === 'true') continue;
		const selector: Record<string, string> | undefined = service.spec?.selector;
		const trackLabel = service.metadata.annotations?.[trackLabelAnnotation] ?? 'version';
		if (!selector || selector[trackLabel] === undefined) continue;
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
		const live = selector[trackLabel]!;
		if (pinnedToOneColor(service, live, byValue.get(live) ?? [])) continue;
		found.push({service, trackLabel, live, byValue});
	}
	return found;
}

/**
 * blue and green by name; other values get the colors not taken by name, in a stable (sorted)
 * order, so `blue` and `next` are BLUE and GREEN, never both BLUE.
 */
function colorOf(value: string, values: string[]): Color {
	if (value === 'blue' || value === 'green') return value;
	const free = (['blue', 'green'] as const).filter((c) => !values.includes(c));
	const palette: readonly Color[] = free.length > 0 ? free : ['blue', 'green'];
	const others = values.filter((v) => v !== 'blue' && v !== 'green').sort();
	return palette[others.indexOf(value) % palette.length]!;
}

function newest(objects: KubeObject[]): KubeObject {
	return [...objects].sort((a, b) =>
		(b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
	)[0]!;
}

function actionsFor(
	live: Track | undefined,
	standby: Track | undefined,
	problems: string[],
): ActionState[] {
	const unsafe = problems.length > 0 ? problems[0] : undefined;
	const standbyReady = (need: 'all' | 'any'): string | undefined => {
		if (!standby) return 'there is no standby Deployment to switch to';
		const {ready, desired} = standby.replicas;
		if (need === 'any' && ready === 0) return `standby ${standby.workload.name} has no ready pods`;
		if (need === 'all' && (ready < desired || desired === 0))
			return `standby ${standby.workload.name} is not ready (${ready}/${desired})`;
		if (need === 'all' && standby.rollingOut)
			return `standby ${standby.workload.name} is still rolling out`;
		return undefined;
	};
	const state = (action: ActionName, reason: string | undefined): ActionState =>
		reason ? {action, available: false, reason} : {action, available: true};
	return [
		state('switch', unsafe ?? standbyReady('all')),
		state('promote', unsafe ?? standbyReady('all')),
		state('rollback', unsafe ?? standbyReady('any')),
		state(
			'deploy',
			unsafe ?? (standby ? undefined : 'there is no standby Deployment to deploy to'),
		),
		state('smoke', standbyReady('any') ?? (live ? undefined : 'no live track')),
	];
}

function detectOne({service, trackLabel, live, byValue}: Candidate): Rollout {
	const namespace = service.metadata.namespace ?? 'default';
	const values = [...byValue.keys()];
	const problems: string[] = [];
	for (const [value, list] of byValue) {
		if (list.length > 1)
			problems.push(
				`${list.length} Deployments have ${trackLabel}=${value}: ${list.map((d) => d.metadata.name).join(', ')}`,
			);
	}
	if (!byValue.has(live))
		problems.push(
			`the Service selects ${trackLabel}=${live}, which no Deployment has: nothing serves traffic`,
		);
	if (values.length > 2)
		problems.push(
			`${values.length} values of ${trackLabel} (${values.sort().join(', ')}): cutover switches between two`,
		);
	const liveDeployment = byValue.get(live);
	const others = values.filter((v) => v !== live);
	// With more than two, the standby is the newest of the others: the one most likely just deployed.
	const standbyValue =
		others.length === 1
			? others[0]
			: others.length > 0
				? newest(others.map((v) => newest(byValue.get(v)!))).spec?.template?.metadata?.labels?.[
						trackLabel
					]
				: undefined;
	const tracks: Track[] = [];
	if (liveDeployment)
		tracks.push(
			deploymentTrack(newest(liveDeployment), 'active', 100, {
				color: colorOf(live, values),
				label: live,
			}),
		);
	if (standbyValue !== undefined) {
		tracks.push(
			deploymentTrack(newest(byValue.get(standbyValue)!), 'standby', 0, {
				color: colorOf(standbyValue, values),
				label: standbyValue,
			}),
		);
	}
	const active = tracks.find((t) => t.role === 'active');
	const standby = tracks.find((t) => t.role === 'standby');
	let phase: Rollout['phase'] = 'Healthy';
	// The live side lacking ready pods matters more than a standby rolling out: it serves users.
	if (problems.length > 0 && !active) phase = 'Invalid';
	else if (active && active.replicas.ready < active.replicas.desired) phase = 'Degraded';
	else if (tracks.some((t) => t.rollingOut)) phase = 'Progressing';
	return {
		id: `service-selector/${namespace}/${service.metadata.name}`,
		namespace,
		name: service.metadata.name,
		strategy: 'service-selector',
		phase,
		tracks,
		traffic: {kind: 'selector', label: trackLabel, live},
		problems,
		objects: [refOf(service, 'Service'), ...tracks.map((t) => t.workload)],
		metrics: {preset: 'app'},
		actions: actionsFor(active, standby, problems),
	};
}

function serviceOf(rollout: Rollout, snapshot: Snapshot): KubeObject | undefined {
	return snapshot.services.find(
		(s) =>
			(s.metadata.namespace ?? 'default') === rollout.namespace && s.metadata.name === rollout.name,
	);
}

function upper(track: Track): string {
	return (track.color ?? track.label ?? '').toUpperCase();
}

function switchPlan(
	action: ActionName,
	rollout: Rollout,
	service: KubeObject,
	from: Track,
	to: Track,
	smoke: boolean,
): Plan {
	const {label} = rollout.traffic as {label: string};
	const path = `/spec/selector/${pointerToken(label)}`;
	const healthPath = service.metadata.annotations?.[healthPathAnnotation] ?? '/health';
	const target = {...services, namespace: rollout.namespace, name: rollout.name};
	const steps: Plan['steps'] = [];
	if (smoke) steps.push(smokeStep(rollout, service, to, healthPath));
	steps.push({
		kind: 'request',
		description: `point Service ${rollout.name} at ${label}=${to.label}`,
		target,
		patchType: 'json',
		body: [
			{op: 'test', path, value: from.label},
			{op: 'replace', path, value: to.label},
		],
		precondition: {path, expected: from.label, what: 'the live color'},
	});
	const verb = action === 'rollback' ? 'roll back' : 'switch';
	return {
		action,
		rolloutId: rollout.id,
		summary: `${verb} ${rollout.name} from ${upper(from)} to ${upper(to)}`,
		steps,
		audit: {
			target,
			reason: action === 'rollback' ? 'CutoverRollback' : 'CutoverSwitch',
			message: `${action === 'rollback' ? 'rolled back' : 'switched'} ${rollout.namespace}/${rollout.name} from ${from.label} (${from.images.join(', ')}) -> ${to.label} (${to.images.join(', ')})`,
		},
	};
}

function smokeStep(
	rollout: Rollout,
	service: KubeObject,
	track: Track,
	healthPath: string,
): Plan['steps'][number] {
	const {label} = rollout.traffic as {label: string};
	const selector = {...(service.spec?.selector ?? {}), [label]: track.label!};
	return {
		kind: 'smoke',
		description: `GET ${healthPath} on every ready pod of ${track.workload.name} (${upper(track)})`,
		namespace: rollout.namespace,
		selector,
		path: healthPath,
		workload: track.workload.name,
	};
}

function plan(
	action: ActionName,
	rollout: Rollout,
	snapshot: Snapshot,
	input: PlanInput = {},
): PlanResult {
	const state = rollout.actions.find((a) => a.action === action);
	if (!state) return {error: `${action} is not an action of a blue/green Service rollout`};
	if (!state.available) return {error: `cannot ${action} ${rollout.name}: ${state.reason}`};
	const service = serviceOf(rollout, snapshot);
	if (!service) return {error: `Service ${rollout.namespace}/${rollout.name} is gone`};
	const active = rollout.tracks.find((t) => t.role === 'active')!;
	const standby = rollout.tracks.find((t) => t.role === 'standby')!;
	const healthPath = service.metadata.annotations?.[healthPathAnnotation] ?? '/health';
	switch (action) {
		case 'switch':
		case 'promote':
			return {plan: switchPlan(action, rollout, service, active, standby, true)};
		case 'rollback':
			return {plan: switchPlan(action, rollout, service, active, standby, false)};
		case 'smoke':
			return {
				plan: {
					action,
					rolloutId: rollout.id,
					summary: `smoke-test ${standby.workload.name} (${upper(standby)})`,
					steps: [smokeStep(rollout, service, standby, healthPath)],
					audit: {
						target: {...deployments, namespace: rollout.namespace, name: standby.workload.name},
						reason: 'CutoverSmoke',
						message: `smoke-tested ${standby.workload.name}`,
					},
				},
			};
		case 'deploy': {
			const image = input.image?.trim();
			if (!image) return {error: 'deploy needs an image (e.g. myapp:1.2.0)'};
			if (/\s/.test(image))
				return {error: `"${image}" is not an image reference: no spaces allowed`};
			const deployment = snapshot.deployments.find(
				(d) =>
					d.metadata.namespace === rollout.namespace && d.metadata.name === standby.workload.name,
			);
			const containers: Array<{name: string; image: string}> =
				deployment?.spec?.template?.spec?.containers ?? [];
			if (!deployment || containers.length === 0)
				return {error: `Deployment ${standby.workload.name} is gone or has no containers`};
			const container = containers[0]!;
			const target = {...deployments, namespace: rollout.namespace, name: standby.workload.name};
			const path = '/spec/template/spec/containers/0/image';
			return {
				plan: {
					action,
					rolloutId: rollout.id,
					summary: `deploy ${image} to ${standby.workload.name} (${upper(standby)}, standby)`,
					steps: [
						{
							kind: 'request',
							description: `set container ${container.name} of ${standby.workload.name} to ${image}`,
							target,
							patchType: 'json',
							body: [
								{op: 'test', path, value: container.image},
								{op: 'replace', path, value: image},
							],
							precondition: {
								path,
								expected: container.image,
								what: `the image of ${standby.workload.name}`,
							},
						},
						{
							kind: 'wait',
							description: `wait for ${standby.workload.name} to roll out`,
							target,
							timeoutSeconds: 300,
						},
						smokeStep(rollout, service, standby, healthPath),
					],
					audit: {
						target,
						reason: 'CutoverDeploy',
						message: `deployed ${image} to ${rollout.namespace}/${standby.workload.name} (was ${container.image})`,
					},
					next: 'switch',
				},
			};
		}
		default:
			return {error: `${action} is not an action of a blue/green Service rollout`};
	}
}

export const serviceSelector: Strategy = {
	name: 'service-selector',
	label: 'blue/green',
	detect: (snapshot) => candidates(snapshot).map(detectOne),
	plan,
};
