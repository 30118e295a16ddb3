import {actionSpecs, stateOf} from '../actions.js';
import {adoptCanaryImages} from '../adopt-images.js';
import {rulesOf} from '../ingress-rules.js';
import {kinds, namespaceOf, refOf} from '../kinds.js';
import {isNginxCanary, nginxAnnotations, readCanaryAnnotations} from '../nginx-annotations.js';
import {planner} from '../plan.js';
import {parseSteps} from '../steps.js';
import type {
	ActionName,
	ActionState,
	Claims,
	Detected,
	Health,
	KubeObject,
	PlanResult,
	PlanStep,
	Rollout,
	Snapshot,
	Strategy,
	Track,
} from '../types.js';
import {deploymentBehind, deploymentTrack, podLabels, pointerToken} from '../workloads.js';

/**
 * NGINX canary Ingress (the seed's second pattern): an Ingress annotated
 * `nginx.ingress.kubernetes.io/canary: "true"` beside the primary Ingress of the same host and
 * path. Weight = canary-weight out of canary-weight-total. Every weight change is a JSON Patch
 * that tests the weight the engineer saw.
 */

type Blocked = {weight?: string; total?: string; steps?: string};

function actionsFor(
	weight: number | null,
	total: number,
	steps: number[] | null,
	stable: Track | undefined,
	canary: Track | undefined,
	blocking: string | undefined,
	bad: Blocked,
): ActionState[] {
	const unreadable =
		weight === null ? (bad.weight ?? 'the canary weight cannot be read') : undefined;
	// A share of an unknown total is a guess: moving the weight up waits for a readable total.
	// Weight 0 is 0 of any total, so rollback (and finalize's weight 0) stay possible.
	const badTotal = bad.total;
	const canaryReady = !canary
		? 'no canary Deployment found behind the canary Ingress'
		: canary.replicas.ready === 0
			? `canary ${canary.workload.name} has no ready pods`
			: undefined;
	const next = weight !== null && steps ? steps.find((s) => s > weight) : undefined;
	const stepReason =
		blocking ??
		unreadable ??
		badTotal ??
		(steps === null ? (bad.steps ?? 'the steps annotation does not parse') : undefined) ??
		(weight !== null && weight >= total
			? `the canary already takes all traffic (${weight}/${total})`
			: undefined) ??
		(next === undefined ? 'no step above the current weight' : undefined) ??
		canaryReady;
	return [
		stateOf('step', stepReason),
		stateOf(
			'promote',
			blocking ??
				unreadable ??
				badTotal ??
				(weight === total
					? `the canary already takes all traffic (${total}/${total})`
					: undefined) ??
				canaryReady,
		),
		stateOf(
			'finalize',
			blocking ??
				unreadable ??
				(!stable ? 'no stable Deployment found behind the primary Ingress' : undefined) ??
				canaryReady ??
				(stable && canary && stable.images.join() === canary.images.join() && weight === 0
					? 'stable already runs the canary images and the weight is 0'
					: undefined),
		),
		// An unreadable weight may still send the canary traffic (nginx versions differ): taking
		// it out is safe, since the patch tests the exact text seen and writes 0.
		stateOf(
			'rollback',
			blocking ?? (weight === 0 ? 'the canary already takes no traffic (weight 0)' : undefined),
		),
	];
}

const phaseHealth: Record<string, Health> = {
	Invalid: 'bad',
	Degraded: 'bad',
	Progressing: 'progressing',
	Stable: 'ok',
	Promoted: 'ok',
	Canary: 'progressing',
};

function track(deployment: KubeObject, key: 'stable' | 'canary', share: number | null): Track {
	const labels = podLabels(deployment);
	return deploymentTrack(deployment, {
		key,
		title: key.toUpperCase(),
		side: key === 'stable' ? 'baseline' : 'candidate',
		serving: share !== 0,
		weight: share,
		// ingress-nginx's series say canary or not; the app's own carry its version label.
		series: {nginx: key, app: labels.version ?? labels.track ?? deployment.metadata.name},
	});
}

function detectOne(
	canaryIngress: KubeObject,
	siblings: KubeObject[],
	primaries: KubeObject[],
	snapshot: Snapshot,
	claims: Claims,
): Detected {
	const namespace = namespaceOf(canaryIngress);
	const read = readCanaryAnnotations(canaryIngress);
	const {weight, total} = read;
	const problems = [...read.problems];
	const parsedSteps = parseSteps(canaryIngress, total);
	const steps = parsedSteps.steps;
	if (parsedSteps.problem) problems.push(parsedSteps.problem);
	const bad: Blocked = {...read.bad, ...(parsedSteps.problem ? {steps: parsedSteps.problem} : {})};
	const rule = rulesOf(canaryIngress)[0];
	const primary = rule
		? primaries.find((p) => rulesOf(p).some((r) => r.host === rule.host && r.path === rule.path))
		: undefined;
	let blocking: string | undefined;
	if (!rule) {
		blocking = 'the canary Ingress has no rule';
		problems.push(blocking);
	} else if (!primary) {
		blocking = `no primary Ingress for ${rule.host}${rule.path}: nginx ignores a canary without one`;
		problems.push(blocking);
	}
	const rivals = siblings.filter(
		(other) =>
			other !== canaryIngress &&
			rule &&
			rulesOf(other).some((r) => r.host === rule.host && r.path === rule.path),
	);
	if (rivals.length > 0) {
		blocking = `${rivals.length + 1} canary Ingresses for ${rule!.host}${rule!.path} (${[
			canaryIngress,
			...rivals,
		]
			.map((i) => i.metadata.name)
			.sort()
			.join(', ')}): nginx allows one`;
		problems.push(blocking);
	}
	// An unreadable weight leaves both shares unknown: never 100 % and 0 % by guess.
	const share = weight === null ? null : Math.round((weight / total) * 100);
	const primaryRule =
		primary && rule
			? rulesOf(primary).find((r) => r.host === rule.host && r.path === rule.path)
			: undefined;
	const stableDeployment = deploymentBehind(primaryRule?.service, namespace, snapshot, claims);
	const canaryDeployment = deploymentBehind(rule?.service, namespace, snapshot, claims);
	const tracks: Track[] = [];
	if (stableDeployment)
		tracks.push(track(stableDeployment, 'stable', share === null ? null : 100 - share));
	else if (primary)
		problems.push(
			`no Deployment behind Service ${primaryRule?.service ?? '?'} (the stable backend)`,
		);
	if (canaryDeployment) tracks.push(track(canaryDeployment, 'canary', share));
	else if (rule)
		problems.push(`no Deployment behind Service ${rule.service ?? '?'} (the canary backend)`);
	const stable = tracks.find((t) => t.side === 'baseline');
	const canary = tracks.find((t) => t.side === 'candidate');
	let phase: string;
	if (blocking || weight === null) phase = 'Invalid';
	else if (tracks.some((t) => t.replicas.ready < t.replicas.desired && !t.rollingOut))
		phase = 'Degraded';
	else if (tracks.some((t) => t.rollingOut)) phase = 'Progressing';
	else if (weight === 0) phase = 'Stable';
	else if (weight >= total) phase = 'Promoted';
	else phase = 'Canary';
	const app = [stableDeployment, canaryDeployment]
		.map((d) => (d ? podLabels(d).app : undefined))
		.find((a) => a !== undefined);
	return {
		namespace,
		name: canaryIngress.metadata.name,
		summary: `canary Ingress ${canaryIngress.metadata.name}`,
		phase,
		health: phaseHealth[phase] ?? 'unknown',
		facts: [],
		tracks,
		traffic: {kind: 'split', weight, total, steps: steps ?? [], routing: read.routing},
		problems,
		objects: [
			refOf(canaryIngress, kinds.ingress),
			...(primary ? [refOf(primary, kinds.ingress)] : []),
			...tracks.map((t) => t.workload),
		],
		metrics: {
			preset: 'nginx',
			labels: {...(app ? {app} : {}), ...(primary ? {ingress: primary.metadata.name} : {})},
		},
		actions: actionsFor(weight, total, steps, stable, canary, blocking, bad),
	};
}

function detect(snapshot: Snapshot, claims: Claims): Detected[] {
	const free = snapshot.list(kinds.ingress).filter((i) => !claims.taken(i, kinds.ingress));
	const canaries = free.filter(isNginxCanary);
	return canaries.map((ingress) => {
		const namespace = namespaceOf(ingress);
		const sameNamespace = free.filter((i) => namespaceOf(i) === namespace);
		return detectOne(
			ingress,
			sameNamespace.filter(isNginxCanary),
			sameNamespace.filter((i) => !isNginxCanary(i)),
			snapshot,
			claims,
		);
	});
}

const weightPath = `/metadata/annotations/${pointerToken(nginxAnnotations.weight)}`;

function weightStep(
	rollout: Rollout,
	ingress: KubeObject,
	from: number | string,
	to: number,
	seen: string | undefined,
): PlanStep {
	// An absent annotation means weight 0: JSON Patch cannot test for absence, so the whole
	// object is tested unchanged (its resourceVersion) before the annotation is added.
	const body =
		seen === undefined
			? [
					{op: 'test', path: '/metadata/resourceVersion', value: ingress.metadata.resourceVersion},
					{op: 'add', path: weightPath, value: String(to)},
				]
			: [
					{op: 'test', path: weightPath, value: seen},
					{op: 'replace', path: weightPath, value: String(to)},
				];
	return {
		kind: 'request',
		description: `set canary-weight of Ingress ${rollout.name} from ${from} to ${to}`,
		target: refOf(ingress, kinds.ingress),
		patchType: 'json',
		body,
		precondition: {path: weightPath, expected: seen, what: 'the canary weight'},
	};
}

function finalizeSteps(
	rollout: Rollout,
	ingress: KubeObject,
	snapshot: Snapshot,
	weight: number,
	seen: string | undefined,
): PlanStep[] {
	const steps = adoptCanaryImages(rollout, snapshot, `weight stays ${weight}`);
	if (weight > 0) steps.push(weightStep(rollout, ingress, weight, 0, seen));
	return steps;
}

function plan(action: ActionName, rollout: Rollout, snapshot: Snapshot): PlanResult {
	const ingress = snapshot.get({
		...kinds.ingress,
		namespace: rollout.namespace,
		name: rollout.name,
	});
	if (!ingress || rollout.traffic.kind !== 'split')
		return {error: `Ingress ${rollout.namespace}/${rollout.name} is gone`};
	const seen = ingress.metadata.annotations?.[nginxAnnotations.weight];
	const target = refOf(ingress, kinds.ingress);
	const planOf = planner(action, rollout, target);
	const {weight, total, steps} = rollout.traffic;
	if (weight === null) {
		// Only rollback is offered on an unreadable weight: it tests the text seen, writes 0.
		if (action !== 'rollback')
			return {error: `cannot ${action} ${rollout.name}: the canary weight cannot be read`};
		return planOf(
			`roll back ${rollout.name}: no traffic to the canary (weight "${seen}" -> 0)`,
			[weightStep(rollout, ingress, `"${seen}"`, 0, seen)],
			'CutoverRollback',
			`canary weight "${seen}" -> 0`,
		);
	}
	switch (action) {
		case 'step': {
			const next = steps.find((s) => s > weight)!;
			return planOf(
				`step ${rollout.name} from ${weight} to ${next} of ${total}`,
				[weightStep(rollout, ingress, weight, next, seen)],
				'CutoverStep',
				`canary weight ${weight} -> ${next}`,
			);
		}
		case 'promote':
			return planOf(
				`promote ${rollout.name}: all traffic to the canary (${weight} -> ${total})`,
				[weightStep(rollout, ingress, weight, total, seen)],
				'CutoverPromote',
				`canary weight ${weight} -> ${total}`,
			);
		case 'rollback':
			return planOf(
				`roll back ${rollout.name}: no traffic to the canary (${weight} -> 0)`,
				[weightStep(rollout, ingress, weight, 0, seen)],
				'CutoverRollback',
				`canary weight ${weight} -> 0`,
			);
		case 'finalize': {
			const stable = rollout.tracks.find((t) => t.side === 'baseline')!;
			const canary = rollout.tracks.find((t) => t.side === 'candidate')!;
			return planOf(
				`finalize ${rollout.name}: ${stable.workload.name} takes ${canary.images.join(', ')}, then weight ${weight} -> 0`,
				finalizeSteps(rollout, ingress, snapshot, weight, seen),
				'CutoverFinalize',
				`stable ${stable.workload.name} now runs ${canary.images.join(', ')} (was ${stable.images.join(', ')}), canary weight ${weight} -> 0`,
			);
		}
		default:
			return {error: `${action} is not an action of an nginx canary`, usage: true};
	}
}

export const nginxCanary: Strategy = {
	name: 'nginx-canary',
	label: 'nginx',
	watches: [kinds.ingress, kinds.service, kinds.deployment],
	actions: [actionSpecs.step, actionSpecs.promote, actionSpecs.finalize, actionSpecs.rollback],
	detect,
	plan,
};
