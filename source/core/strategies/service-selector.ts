import {actionSpecs, stateOf} from '../actions.js';
import {withRepository} from '../images.js';
import {kinds, namespaceOf, refOf} from '../kinds.js';
import {changesCluster} from '../registry.js';
import {type Candidate, candidates, trackLabelOf} from '../selector-candidates.js';
import type {
	ActionName,
	ActionState,
	Color,
	Detected,
	Health,
	KubeObject,
	Plan,
	PlanInput,
	PlanResult,
	Rollout,
	Snapshot,
	Strategy,
	Track,
} from '../types.js';
import {deploymentTrack, newest, podLabels, pointerToken} from '../workloads.js';

/**
 * Blue/green by Service selector (the seed's pattern): a Service whose selector has a track label
 * (default `version`) and at least two Deployments matching the rest of the selector with
 * different values of it. Live = the value the selector holds. Switching is one JSON Patch that
 * tests the value the engineer saw, so a concurrent switch fails instead of flipping back.
 */

const healthPathAnnotation = 'cutover.dev/health-path';

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
	const deploy = stateOf(
		'deploy',
		unsafe ?? (standby ? undefined : 'there is no standby Deployment to deploy to'),
	);
	return [
		stateOf('switch', unsafe ?? standbyReady('all')),
		stateOf('promote', unsafe ?? standbyReady('all')),
		stateOf('rollback', unsafe ?? standbyReady('any')),
		standby
			? {
					...deploy,
					prompt: `image to deploy to ${standby.workload.name} (now ${standby.images.join(', ')})`,
				}
			: deploy,
		stateOf('smoke', standbyReady('any') ?? (live ? undefined : 'no live track')),
	];
}

const phaseHealth: Record<string, Health> = {
	Healthy: 'ok',
	Progressing: 'progressing',
	Degraded: 'bad',
	Invalid: 'bad',
};

function track(
	deployment: KubeObject,
	value: string,
	values: string[],
	live: boolean,
	weight: number | null = live ? 100 : 0,
): Track {
	const color = colorOf(value, values);
	return deploymentTrack(deployment, {
		key: value,
		title: color.toUpperCase(),
		side: live ? 'baseline' : 'candidate',
		serving: live,
		tag: live ? 'LIVE' : 'standby',
		color,
		weight,
		series: {app: value},
	});
}

/**
 * A selector that lost its track label sends traffic to every value it still matches: shown, with
 * what to put back, and nothing offered until it is (which color is live has no answer).
 */
function detectUnswitched({service, trackLabel, byValue}: Candidate): Detected {
	const values = [...byValue.keys()].sort();
	const deployments = values.map((value) => newest(byValue.get(value)!)!);
	const selector = Object.entries(service.spec.selector as Record<string, string>);
	const name = service.metadata.name;
	const problem = `Service ${name} selects ${selector.map(([k, v]) => `${k}=${v}`).join(',')} with no ${trackLabel}: it sends traffic to ${values.length === 2 ? 'both' : 'all of'} ${deployments.map((d, i) => `${d.metadata.name} (${trackLabel}=${values[i]})`).join(values.length === 2 ? ' and ' : ', ')}; put ${values.map((v) => `${trackLabel}: ${v}`).join(' or ')} in its selector`;
	const tracks = deployments.map((d, i) => track(d, values[i]!, values, true, null));
	const app = podLabels(deployments[0]!).app;
	return {
		namespace: namespaceOf(service),
		name,
		summary: `Service ${name} selects no ${trackLabel}`,
		phase: 'Invalid',
		health: 'bad',
		facts: [],
		tracks,
		traffic: {kind: 'switch', live: undefined},
		problems: [problem],
		objects: [refOf(service, kinds.service), ...tracks.map((t) => t.workload)],
		metrics: {preset: 'app', labels: app ? {app} : {}},
		actions: serviceSelector.actions.map((spec) => stateOf(spec.name, problem)),
	};
}

function detectOne(candidate: Candidate): Detected {
	const {service, trackLabel, live, byValue} = candidate;
	if (live === undefined) return detectUnswitched(candidate);
	const namespace = namespaceOf(service);
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
	const liveDeployment = newest(byValue.get(live) ?? []);
	const others = values.filter((v) => v !== live);
	// With more than two, the standby is the newest of the others: the one most likely just deployed.
	const standbyDeployment = newest(others.map((v) => newest(byValue.get(v)!)!));
	const standbyValue = standbyDeployment ? podLabels(standbyDeployment)[trackLabel] : undefined;
	const tracks: Track[] = [];
	if (liveDeployment) tracks.push(track(liveDeployment, live, values, true));
	if (standbyDeployment && standbyValue !== undefined)
		tracks.push(track(standbyDeployment, standbyValue, values, false));
	const active = tracks.find((t) => t.serving);
	const standby = tracks.find((t) => !t.serving);
	let phase = 'Healthy';
	// The live side lacking ready pods matters more than a standby rolling out: it serves users.
	if (problems.length > 0 && !active) phase = 'Invalid';
	else if (active && active.replicas.ready < active.replicas.desired) phase = 'Degraded';
	else if (tracks.some((t) => t.rollingOut)) phase = 'Progressing';
	const app = podLabels(liveDeployment ?? standbyDeployment ?? service).app;
	return {
		namespace,
		name: service.metadata.name,
		summary: `Service ${service.metadata.name} selects ${trackLabel}=${live}`,
		phase,
		health: phaseHealth[phase] ?? 'unknown',
		facts: [],
		tracks,
		traffic: {kind: 'switch', live: active?.key},
		problems,
		objects: [refOf(service, kinds.service), ...tracks.map((t) => t.workload)],
		metrics: {preset: 'app', labels: app ? {app} : {}},
		actions: actionsFor(active, standby, problems),
	};
}

function serviceOf(rollout: Rollout, snapshot: Snapshot): KubeObject | undefined {
	return snapshot.get({...kinds.service, namespace: rollout.namespace, name: rollout.name});
}

function switchPlan(
	action: ActionName,
	rollout: Rollout,
	service: KubeObject,
	from: Track,
	to: Track,
	smoke: boolean,
): Plan {
	const label = trackLabelOf(service);
	const path = `/spec/selector/${pointerToken(label)}`;
	const healthPath = service.metadata.annotations?.[healthPathAnnotation] ?? '/health';
	const target = refOf(service, kinds.service);
	const steps: Plan['steps'] = [];
	if (smoke) steps.push(smokeStep(rollout, service, to, healthPath));
	steps.push({
		kind: 'request',
		description: `point Service ${rollout.name} at ${label}=${to.key}`,
		target,
		patchType: 'json',
		body: [
			{op: 'test', path, value: from.key},
			{op: 'replace', path, value: to.key},
		],
		precondition: {path, expected: from.key, what: 'the live color'},
	});
	const verb = action === 'rollback' ? 'roll back' : 'switch';
	return {
		action,
		rolloutId: rollout.id,
		summary: `${verb} ${rollout.name} from ${from.title} to ${to.title}`,
		changes: true,
		steps,
		audit: {
			target,
			reason: action === 'rollback' ? 'CutoverRollback' : 'CutoverSwitch',
			message: `${action === 'rollback' ? 'rolled back' : 'switched'} ${rollout.namespace}/${rollout.name} from ${from.key} (${from.images.join(', ')}) -> ${to.key} (${to.images.join(', ')})`,
		},
	};
}

function smokeStep(
	rollout: Rollout,
	service: KubeObject,
	track: Track,
	healthPath: string,
): Plan['steps'][number] {
	const selector = {...(service.spec?.selector ?? {}), [trackLabelOf(service)]: track.key};
	return {
		kind: 'smoke',
		description: `GET ${healthPath} on every ready pod of ${track.workload.name} (${track.title})`,
		namespace: rollout.namespace,
		selector,
		path: healthPath,
		workload: track.workload.name,
	};
}

function deployPlan(
	rollout: Rollout,
	service: KubeObject,
	standby: Track,
	snapshot: Snapshot,
	input: PlanInput,
): PlanResult {
	const image = input.image?.trim();
	if (!image) return {error: 'deploy needs an image (e.g. myapp:1.2.0)', usage: true};
	if (/\s/.test(image))
		return {error: `"${image}" is not an image reference: no spaces allowed`, usage: true};
	const deployment = snapshot.get(standby.workload);
	const containers: Array<{name: string; image: string}> =
		deployment?.spec?.template?.spec?.containers ?? [];
	if (!deployment || containers.length === 0)
		return {error: `Deployment ${standby.workload.name} is gone or has no containers`};
	const container = containers[0]!;
	const {image: reference, note} = withRepository(image, container.image);
	const target = standby.workload;
	const path = '/spec/template/spec/containers/0/image';
	const healthPath = service.metadata.annotations?.[healthPathAnnotation] ?? '/health';
	const steps: Plan['steps'] = [
		{
			kind: 'request',
			description: `set container ${container.name} of ${standby.workload.name} to ${reference}${note}`,
			target,
			patchType: 'json',
			body: [
				{op: 'test', path, value: container.image},
				{op: 'replace', path, value: reference},
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
			until: 'rolled-out',
			timeoutSeconds: 300,
		},
		smokeStep(rollout, service, standby, healthPath),
	];
	return {
		plan: {
			action: 'deploy',
			rolloutId: rollout.id,
			summary: `deploy ${reference} to ${standby.workload.name} (${standby.title}, standby)`,
			changes: changesCluster(steps),
			steps,
			audit: {
				target,
				reason: 'CutoverDeploy',
				message: `deployed ${reference} to ${rollout.namespace}/${standby.workload.name} (was ${container.image})`,
			},
			next: 'switch',
		},
	};
}

function plan(
	action: ActionName,
	rollout: Rollout,
	snapshot: Snapshot,
	input: PlanInput = {},
): PlanResult {
	const service = serviceOf(rollout, snapshot);
	if (!service) return {error: `Service ${rollout.namespace}/${rollout.name} is gone`};
	const active = rollout.tracks.find((t) => t.serving);
	const standby = rollout.tracks.find((t) => !t.serving);
	if (!active || !standby) return {error: `${rollout.name} has no live and standby Deployments`};
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
					summary: `smoke-test ${standby.workload.name} (${standby.title})`,
					changes: false,
					steps: [smokeStep(rollout, service, standby, healthPath)],
					audit: {
						target: standby.workload,
						reason: 'CutoverSmoke',
						message: `smoke-tested ${standby.workload.name}`,
					},
				},
			};
		case 'deploy':
			return deployPlan(rollout, service, standby, snapshot, input);
		default:
			return {error: `${action} is not an action of a blue/green Service rollout`, usage: true};
	}
}

export const serviceSelector: Strategy = {
	name: 'service-selector',
	label: 'blue/green',
	watches: [kinds.service, kinds.deployment],
	actions: [
		actionSpecs.switch,
		actionSpecs.promote,
		actionSpecs.rollback,
		actionSpecs.deploy,
		actionSpecs.smoke,
	],
	detect: (snapshot, claims) => candidates(snapshot, claims).map(detectOne),
	plan,
};
