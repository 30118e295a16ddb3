import {actionSpecs, stateOf} from '../actions.js';
import {adoptCanaryImages} from '../adopt-images.js';
import {kinds, namespaceOf, refOf} from '../kinds.js';
import {planner} from '../plan.js';
import {isRouter, type RouterConfig, readRouter, routerAnnotations} from '../router-config.js';
import {podsFact, routerPods, sourceText} from '../router-pods.js';
import {parseSteps} from '../steps.js';
import type {
	ActionName,
	ActionState,
	Claims,
	Detected,
	Fact,
	Health,
	KubeObject,
	PlanInput,
	PlanResult,
	PlanStep,
	Rollout,
	Snapshot,
	Strategy,
	Track,
} from '../types.js';
import {
	deploymentBehind,
	deploymentReplicaSets,
	deploymentTrack,
	podLabels,
	restartedAtAnnotation,
	templateAnnotationOps,
} from '../workloads.js';

/**
 * An app-level canary router (the seed's Flask router): a Deployment annotated
 * `cutover.dev/router-weight` that sends its percentage of requests to the canary Service and
 * the rest to the stable one. Its tracks are the Deployments behind those Services. A change of
 * the percentage reaches a router pod only when it starts: an env change rolls the router by
 * itself, a ConfigMap change needs a restart, which the plan includes and says so. Where the
 * router's pods stand (which percentage each ReplicaSet started with) is shown, and the share
 * they really apply, weighted by ready pods (a Service spreads requests over them).
 */

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
		series: {app: labels.version ?? labels.track ?? deployment.metadata.name},
	});
}

function actionsFor(
	config: RouterConfig,
	steps: number[] | null,
	stepsProblem: string | undefined,
	stable: Track | undefined,
	canary: Track | undefined,
	router: KubeObject,
): ActionState[] {
	const {weight, source} = config;
	const blocking = !source
		? (config.problems[0] ?? 'the router percentage cannot be found')
		: !stable || !canary
			? `no ${!stable ? 'stable' : 'canary'} Deployment behind Service ${!stable ? config.stableService : config.canaryService}`
			: undefined;
	const unreadable = weight === null ? 'the router percentage cannot be read' : undefined;
	const canaryReady =
		canary && canary.replicas.ready === 0
			? `canary ${canary.workload.name} has no ready pods`
			: undefined;
	const next = weight !== null && steps ? steps.find((s) => s > weight) : undefined;
	const paused =
		router.spec?.paused === true
			? `router ${router.metadata.name} is paused: resume it first`
			: undefined;
	return [
		stateOf(
			'step',
			blocking ??
				paused ??
				unreadable ??
				(steps === null ? stepsProblem : undefined) ??
				(weight === 100 ? 'the canary already takes all traffic (100%)' : undefined) ??
				(next === undefined ? 'no step above the current percentage' : undefined) ??
				canaryReady,
		),
		stateOf(
			'promote',
			blocking ??
				paused ??
				unreadable ??
				(weight === 100 ? 'the canary already takes all traffic (100%)' : undefined) ??
				canaryReady,
		),
		stateOf(
			'finalize',
			blocking ??
				paused ??
				unreadable ??
				canaryReady ??
				(stable && canary && stable.images.join() === canary.images.join() && weight === 0
					? 'stable already runs the canary images and the percentage is 0'
					: undefined),
		),
		// An unreadable percentage may still send the canary traffic: 0 is safe, tested on the text seen.
		stateOf(
			'rollback',
			(!source ? blocking : undefined) ??
				paused ??
				(weight === 0 ? 'the canary already takes no traffic (0%)' : undefined),
		),
		stateOf('restart', paused ?? (source ? undefined : blocking)),
	];
}

function detectOne(router: KubeObject, snapshot: Snapshot, claims: Claims): Detected {
	const namespace = namespaceOf(router);
	const name = router.metadata.name;
	const config = readRouter(router, snapshot);
	const problems = [...config.problems];
	const {steps, problem: stepsProblem} = parseSteps(router, 100);
	if (stepsProblem) problems.push(stepsProblem);
	const share = config.weight;
	const tracks: Track[] = [];
	const sides = [
		['stable', config.stableService, share === null ? null : 100 - share],
		['canary', config.canaryService, share],
	] as const;
	for (const [key, service, weight] of sides) {
		if (!service) continue;
		const deployment = deploymentBehind(service, namespace, snapshot, claims);
		if (deployment && deployment !== router) tracks.push(track(deployment, key, weight));
		else problems.push(`no Deployment behind Service ${service} (the ${key} backend)`);
	}
	if (config.hashWarning) problems.push(config.hashWarning);
	const stable = tracks.find((t) => t.side === 'baseline');
	const canary = tracks.find((t) => t.side === 'candidate');
	const pods = config.source
		? routerPods(router, config.source, config.weight, snapshot)
		: undefined;
	const facts: Fact[] = [
		...(config.source ? [{label: 'percentage', value: sourceText(config.source)}] : []),
		...(pods ? [podsFact(pods, config.source)] : []),
		{label: 'routing', value: config.routing},
	];
	let phase: string;
	if (!config.source || config.weight === null || !stable || !canary) phase = 'Invalid';
	else if (tracks.some((t) => t.replicas.ready < t.replicas.desired && !t.rollingOut))
		phase = 'Degraded';
	else if (tracks.some((t) => t.rollingOut) || pods?.reached === false) phase = 'Progressing';
	else if (config.weight === 0) phase = 'Stable';
	else if (config.weight === 100) phase = 'Promoted';
	else phase = 'Canary';
	const app = tracks.map((t) => podLabels(snapshot.get(t.workload)!).app).find(Boolean);
	const services = [config.stableService, config.canaryService].flatMap((s) =>
		s ? [{...kinds.service, namespace, name: s}] : [],
	);
	return {
		namespace,
		name,
		summary: `router ${name} splits requests: ${config.canaryService ?? '?'} (canary) / ${config.stableService ?? '?'} (stable)`,
		phase,
		health: phaseHealth[phase] ?? 'unknown',
		facts,
		tracks,
		traffic: {
			kind: 'split',
			weight: config.weight,
			total: 100,
			steps: steps ?? [],
			routing: [],
			...(pods?.applied !== undefined && pods.applied !== config.weight
				? {actual: pods.applied, appliedBy: 'router pods'}
				: {}),
		},
		problems,
		objects: [
			refOf(router, kinds.deployment),
			...(config.source?.kind === 'configmap' ? [config.source.ref] : []),
			...services,
			...tracks.map((t) => t.workload),
		],
		metrics: {preset: 'app', labels: app ? {app} : {}},
		actions: actionsFor(config, steps, stepsProblem, stable, canary, router),
	};
}

/** The router's restart: its pods start again and read the percentage (stamped for cutover). */
function restartStep(
	router: KubeObject,
	now: string,
	loaded: number | undefined,
	why: string,
): PlanStep {
	const generation = router.metadata.generation;
	const target = refOf(router, kinds.deployment);
	return {
		kind: 'request',
		description: `restart ${router.metadata.name} ${why}`,
		target,
		patchType: 'json',
		body: [
			{op: 'test', path: '/metadata/generation', value: generation},
			...templateAnnotationOps(router, {
				[restartedAtAnnotation]: now,
				...(loaded === undefined ? {} : {[routerAnnotations.loaded]: String(loaded)}),
			}),
		],
		precondition: {path: '/metadata/generation', expected: generation, what: "the router's spec"},
	};
}

function rolledOut(router: KubeObject, to: number | undefined): PlanStep {
	return {
		kind: 'wait',
		description: `wait for ${router.metadata.name}'s pods${to === undefined ? '' : ` to route ${to}%`}`,
		target: refOf(router, kinds.deployment),
		until: 'rolled-out',
		timeoutSeconds: 300,
	};
}

/** Set the percentage to `to`: tested at the text seen, then the router's pods restart with it. */
function percentSteps(
	router: KubeObject,
	config: RouterConfig,
	to: number,
	now: string,
): PlanStep[] {
	const source = config.source!;
	const from = config.weight ?? `"${config.seen}"`;
	const body = [
		{op: 'test', path: source.path, value: config.seen},
		{op: 'replace', path: source.path, value: String(to)},
	];
	const precondition = {path: source.path, expected: config.seen, what: 'the router percentage'};
	if (source.kind === 'env')
		return [
			{
				kind: 'request',
				description: `set ${source.name} of ${router.metadata.name} from ${from} to ${to} (this rolls the router)`,
				target: refOf(router, kinds.deployment),
				patchType: 'json',
				body,
				precondition,
			},
			rolledOut(router, to),
		];
	return [
		{
			kind: 'request',
			description: `set ${source.key} of ConfigMap ${source.ref.name} from ${from} to ${to}`,
			target: source.ref,
			patchType: 'json',
			body,
			precondition,
		},
		restartStep(router, now, to, 'so its pods read it (a ConfigMap reaches pods when they start)'),
		rolledOut(router, to),
	];
}

function plan(
	action: ActionName,
	rollout: Rollout,
	snapshot: Snapshot,
	input: PlanInput = {},
): PlanResult {
	const router = snapshot.get({
		...kinds.deployment,
		namespace: rollout.namespace,
		name: rollout.name,
	});
	if (!router || !isRouter(router) || rollout.traffic.kind !== 'split')
		return {error: `router Deployment ${rollout.namespace}/${rollout.name} is gone`};
	const config = readRouter(router, snapshot);
	if (!config.source) return {error: `cannot ${action} ${rollout.name}: ${config.problems[0]}`};
	const now = input.now ?? new Date(0).toISOString();
	const planOf = planner(action, rollout, refOf(router, kinds.deployment));
	const {weight} = config;
	const to = (n: number, summary: string, reason: string) =>
		planOf(
			summary,
			percentSteps(router, config, n, now),
			reason,
			`router percentage ${weight ?? `"${config.seen}"`} -> ${n}`,
		);
	if (action === 'rollback')
		return to(
			0,
			`roll back ${rollout.name}: no traffic to the canary (${weight ?? `"${config.seen}"`}% -> 0%)`,
			'CutoverRollback',
		);
	if (action === 'restart') {
		const loaded = config.source.kind === 'configmap' ? (weight ?? undefined) : undefined;
		return planOf(
			`restart router ${rollout.name}: its pods start again and read the percentage (${config.seen ?? '?'})`,
			[
				restartStep(router, now, loaded, '(kubectl rollout restart)'),
				rolledOut(router, weight ?? undefined),
			],
			'CutoverRestart',
			`router restarted at ${now}`,
		);
	}
	if (weight === null)
		return {error: `cannot ${action} ${rollout.name}: the router percentage cannot be read`};
	switch (action) {
		case 'step': {
			const next = rollout.traffic.steps.find((s) => s > weight);
			if (next === undefined)
				return {error: `cannot step ${rollout.name}: no step above ${weight}%`};
			return to(next, `step ${rollout.name} from ${weight}% to ${next}%`, 'CutoverStep');
		}
		case 'promote':
			return to(
				100,
				`promote ${rollout.name}: all traffic to the canary (${weight}% -> 100%)`,
				'CutoverPromote',
			);
		case 'finalize': {
			const stable = rollout.tracks.find((t) => t.side === 'baseline')!;
			const canary = rollout.tracks.find((t) => t.side === 'candidate')!;
			return planOf(
				`finalize ${rollout.name}: ${stable.workload.name} takes ${canary.images.join(', ')}, then ${weight}% -> 0%`,
				[
					...adoptCanaryImages(rollout, snapshot, `${weight}% stays`),
					...(weight > 0 ? percentSteps(router, config, 0, now) : []),
				],
				'CutoverFinalize',
				`stable ${stable.workload.name} now runs ${canary.images.join(', ')} (was ${stable.images.join(', ')}), router percentage ${weight} -> 0`,
			);
		}
		default:
			return {error: `${action} is not an action of a canary router`, usage: true};
	}
}

export const router: Strategy = {
	name: 'router',
	label: 'router',
	watches: [kinds.deployment, kinds.service, kinds.configMap, deploymentReplicaSets],
	actions: [
		actionSpecs.step,
		actionSpecs.promote,
		actionSpecs.finalize,
		actionSpecs.rollback,
		actionSpecs.restart,
	],
	detect(snapshot: Snapshot, claims: Claims): Detected[] {
		return snapshot
			.list(kinds.deployment)
			.filter((d) => isRouter(d) && !claims.taken(d, kinds.deployment))
			.map((d) => detectOne(d, snapshot, claims));
	},
	plan,
};
