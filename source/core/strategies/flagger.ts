import {actionSpecs, stateOf} from '../actions.js';
import {
	type Analysis,
	analysing,
	analysisOf,
	factsOf,
	phases,
	rollbackPhases,
	thresholdsOf,
} from '../flagger-analysis.js';
import type {Gate} from '../flagger-gates.js';
import {kinds, namespaceOf, refOf} from '../kinds.js';
import {readCanaryAnnotations} from '../nginx-annotations.js';
import {planner} from '../plan.js';
import type {
	ActionName,
	ActionState,
	Claims,
	Detected,
	KindRef,
	KubeObject,
	ObjectRef,
	PlanResult,
	PlanStep,
	Rollout,
	Snapshot,
	Strategy,
	Track,
} from '../types.js';
import {deploymentTrack} from '../workloads.js';

/**
 * Flagger canaries (ANCHOR-FACTS): a Canary `flagger.app/v1beta1` with its target Deployment,
 * the `-primary` Deployment and Services Flagger generates, and (nginx) the Ingress it names and
 * the `-canary` Ingress it makes. Flagger moves the weight itself; cutover follows it and drives
 * it through the loadtester gates the Canary's webhooks name, or `skipAnalysis` and `suspend`.
 */

export const canaryKind: KindRef = {
	group: 'flagger.app',
	version: 'v1beta1',
	plural: 'canaries',
	kind: 'Canary',
	optional: true,
};

/**
 * The canary's share. Flagger keeps `status.canaryWeight` only while Progressing or Waiting and
 * writes 0 in every other phase (WaitingPromotion still routes maxWeight): there the canary
 * Ingress says what the proxy applies.
 */
function weightOf(canary: KubeObject, routed: number | null | undefined): number {
	const phase = String(canary.status?.phase ?? '');
	const status = Number(canary.status?.canaryWeight ?? 0);
	if (phase === 'Progressing' || phase === 'Waiting' || routed === undefined || routed === null)
		return status;
	return routed;
}

function track(deployment: KubeObject, key: 'primary' | 'canary', share: number): Track {
	return deploymentTrack(deployment, {
		key,
		title: key.toUpperCase(),
		side: key === 'primary' ? 'baseline' : 'candidate',
		serving: share > 0,
		weight: share,
		// ingress-nginx's series say canary or not; Flagger rewrites the primary's app label.
		series: {nginx: key === 'primary' ? 'stable' : 'canary'},
	});
}

type Parts = {
	target?: KubeObject;
	primary?: KubeObject;
	services: KubeObject[];
	ingress?: KubeObject;
	canaryIngress?: KubeObject;
};

function partsOf(
	canary: KubeObject,
	snapshot: Snapshot,
	claims: Claims,
	problems: string[],
): Parts {
	const namespace = namespaceOf(canary);
	const find = (
		kind: typeof kinds.deployment | typeof kinds.service | typeof kinds.ingress,
		name: string,
	) => {
		const found = snapshot.get({...kind, namespace, name});
		if (found && claims.taken(found, kind)) {
			problems.push(`${kind.kind} ${name} is part of another rollout`);
			return undefined;
		}
		return found;
	};
	const targetName = String(canary.spec?.targetRef?.name ?? '');
	const serviceName = String(canary.spec?.service?.name ?? targetName);
	const ingressName = canary.spec?.ingressRef?.name as string | undefined;
	const parts: Parts = {
		services: [serviceName, `${serviceName}-canary`, `${serviceName}-primary`]
			.map((name) => find(kinds.service, name))
			.filter((s): s is KubeObject => s !== undefined),
	};
	const target = find(kinds.deployment, targetName);
	const primary = find(kinds.deployment, `${targetName}-primary`);
	const ingress = ingressName ? find(kinds.ingress, ingressName) : undefined;
	const canaryIngress = ingressName ? find(kinds.ingress, `${ingressName}-canary`) : undefined;
	if (target) parts.target = target;
	else problems.push(`the target Deployment ${targetName} is missing`);
	if (primary) parts.primary = primary;
	else problems.push(`Deployment ${targetName}-primary is missing: Flagger has not initialised it`);
	if (ingress) parts.ingress = ingress;
	if (canaryIngress) parts.canaryIngress = canaryIngress;
	return parts;
}

function actionsFor(
	canary: KubeObject,
	phase: string,
	weight: number,
	analysis: Analysis,
	parts: Parts,
): ActionState[] {
	const suspended = canary.spec?.suspend === true;
	const paused = suspended ? 'the Canary is paused (spec.suspend): resume it first' : undefined;
	const {gates, foreign} = analysis;
	const notAnalysing = analysing.includes(phase)
		? undefined
		: `Flagger is not analysing a canary now (phase ${phase})`;
	const missing = !parts.primary ? 'Flagger has not initialised the primary' : undefined;
	const stepReason =
		paused ??
		missing ??
		(phase !== 'Progressing' ? `Flagger steps only while Progressing (now ${phase})` : undefined) ??
		(gates.step
			? undefined
			: foreign['confirm-traffic-increase']
				? `the confirm-traffic-increase webhook ${foreign['confirm-traffic-increase']} is not a loadtester gate cutover can open`
				: 'Flagger steps by itself every interval: this Canary has no confirm-traffic-increase gate') ??
		(weight >= analysis.maxWeight ? `the canary is at maxWeight ${analysis.maxWeight}` : undefined);
	const promoteReason =
		paused ??
		missing ??
		notAnalysing ??
		(gates.promote && phase !== 'WaitingPromotion'
			? `Flagger asks the promotion gate at maxWeight ${analysis.maxWeight} (now ${weight}): step first, or wait`
			: undefined) ??
		(!gates.promote && foreign['confirm-promotion']
			? `the confirm-promotion webhook ${foreign['confirm-promotion']} is not a loadtester gate cutover can open`
			: undefined);
	const rollbackReason =
		missing ??
		(rollbackPhases.includes(phase)
			? undefined
			: `Flagger rolls back only while analysing (now ${phase})`) ??
		(gates.rollback
			? undefined
			: foreign.rollback
				? `the rollback webhook ${foreign.rollback} is not a loadtester gate cutover can open`
				: 'this Canary has no rollback webhook: add one of type rollback with url http://flagger-loadtester.<namespace>/rollback/check');
	return [
		stateOf('step', stepReason),
		stateOf('promote', promoteReason),
		stateOf('rollback', rollbackReason),
		stateOf('pause', suspended ? 'already paused' : undefined),
		stateOf('resume', suspended ? undefined : 'not paused'),
	];
}

function detectOne(canary: KubeObject, snapshot: Snapshot, claims: Claims): Detected {
	const namespace = namespaceOf(canary);
	const problems: string[] = [];
	const analysis = analysisOf(canary);
	const parts = partsOf(canary, snapshot, claims, problems);
	const status = canary.status ?? {};
	const phase = String(status.phase ?? 'Initializing');
	const read = parts.canaryIngress ? readCanaryAnnotations(parts.canaryIngress) : undefined;
	const weight = weightOf(canary, read?.weight);
	const tracks: Track[] = [];
	if (parts.primary) tracks.push(track(parts.primary, 'primary', 100 - weight));
	if (parts.target) tracks.push(track(parts.target, 'canary', weight));
	const thresholds = thresholdsOf(analysis);
	const provider = String(canary.spec?.provider ?? 'kubernetes');
	const objects: ObjectRef[] = [
		refOf(canary, canaryKind),
		...tracks.map((t) => t.workload),
		...parts.services.map((s) => refOf(s, kinds.service)),
		...(parts.ingress ? [refOf(parts.ingress, kinds.ingress)] : []),
		...(parts.canaryIngress ? [refOf(parts.canaryIngress, kinds.ingress)] : []),
	];
	return {
		namespace,
		name: canary.metadata.name,
		summary: `Canary ${canary.metadata.name} analyses Deployment ${canary.spec?.targetRef?.name ?? '?'} (${provider})`,
		phase: canary.spec?.suspend === true ? `${phase} (paused)` : phase,
		health: canary.spec?.suspend === true ? 'paused' : (phases[phase]?.health ?? 'unknown'),
		facts: factsOf(canary, analysis, phase, weight),
		tracks,
		traffic: {
			kind: 'split',
			weight,
			total: 100,
			steps: analysis.steps,
			...(read && read.weight !== weight ? {actual: read.weight} : {}),
			routing: read?.routing ?? [],
		},
		problems,
		objects,
		metrics: {
			preset: 'nginx',
			labels: parts.ingress ? {ingress: parts.ingress.metadata.name} : {},
		},
		thresholds,
		actions: actionsFor(canary, phase, weight, analysis, parts),
	};
}

function detect(snapshot: Snapshot, claims: Claims): Detected[] {
	return snapshot
		.list(canaryKind)
		.filter((canary) => !claims.taken(canary, canaryKind))
		.map((canary) => detectOne(canary, snapshot, claims));
}

/** Open a gate, wait for Flagger to act on it, close it again (even when the wait fails). */
function gateSteps(
	gate: Gate,
	canary: KubeObject,
	target: ObjectRef,
	until: {path: string; changedFrom: unknown; what: string},
	seen: {path: string; expected: unknown; what: string},
	timeoutSeconds: number,
): PlanStep[] {
	const body = {name: canary.metadata.name, namespace: namespaceOf(canary)};
	const call = (path: string, description: string, always: boolean): PlanStep => ({
		kind: 'call',
		description,
		service: gate.service,
		method: 'POST',
		path,
		body,
		...(always ? {always: true} : {precondition: {...seen, target}}),
	});
	return [
		call(
			gate.open,
			`open the ${gate.name} (${gate.type}) for ${body.name}.${body.namespace}`,
			false,
		),
		{
			kind: 'wait',
			description: `wait for Flagger to act on it (it asks the gate every interval)`,
			target,
			until,
			timeoutSeconds,
		},
		call(gate.close, `close the gate again, so Flagger waits at the next one`, true),
	];
}

function plan(action: ActionName, rollout: Rollout, snapshot: Snapshot): PlanResult {
	const canary = snapshot.get({...canaryKind, namespace: rollout.namespace, name: rollout.name});
	if (!canary) return {error: `Canary ${rollout.namespace}/${rollout.name} is gone`};
	const target = refOf(canary, canaryKind);
	const analysis = analysisOf(canary);
	const phase = String(canary.status?.phase ?? 'Initializing');
	const statusWeight = Number(canary.status?.canaryWeight ?? 0);
	const timeout = Math.max(30, analysis.intervalSeconds * 3);
	const seenPhase = {path: '/status/phase', expected: phase, what: 'the phase'};
	// Promote and rollback wait for Flagger to leave the phase seen.
	const phaseMoves = {path: '/status/phase', changedFrom: phase, what: 'the phase'};
	const seenWeight = {
		path: '/status/canaryWeight',
		expected: statusWeight,
		what: 'the canary weight',
	};
	const weight =
		rollout.traffic.kind === 'split' ? (rollout.traffic.weight ?? statusWeight) : statusWeight;
	const planOf = planner(action, rollout, target);
	const specPatch = (description: string, field: string, value: boolean): PlanStep => ({
		kind: 'request',
		description,
		target,
		patchType: 'json',
		body: [
			{op: 'test', path: '/metadata/resourceVersion', value: canary.metadata.resourceVersion},
			{op: 'add', path: `/spec/${field}`, value},
		],
		precondition: {
			path: '/metadata/resourceVersion',
			expected: canary.metadata.resourceVersion,
			what: 'the Canary',
		},
	});
	switch (action) {
		case 'step': {
			const gate = analysis.gates.step!;
			const next = analysis.steps.find((s) => s > weight) ?? analysis.maxWeight;
			return planOf(
				`step ${rollout.name}: let Flagger move the weight ${weight} -> ${next}`,
				gateSteps(
					gate,
					canary,
					target,
					{path: '/status/canaryWeight', changedFrom: statusWeight, what: 'the canary weight'},
					seenWeight,
					timeout,
				),
				'CutoverStep',
				`opened ${gate.name} at weight ${weight}`,
			);
		}
		case 'promote': {
			const gate = analysis.gates.promote;
			if (!gate)
				return planOf(
					`promote ${rollout.name}: skip the analysis (spec.skipAnalysis), Flagger promotes after a health check`,
					[
						specPatch(
							'set spec.skipAnalysis: true: the metric checks and webhooks are skipped for this revision',
							'skipAnalysis',
							true,
						),
					],
					'CutoverPromote',
					'set skipAnalysis',
				);
			return planOf(
				`promote ${rollout.name}: open the promotion gate at weight ${weight}`,
				gateSteps(gate, canary, target, phaseMoves, seenPhase, timeout),
				'CutoverPromote',
				`opened ${gate.name} in phase ${phase}`,
			);
		}
		case 'rollback': {
			const gate = analysis.gates.rollback!;
			return planOf(
				`roll back ${rollout.name}: open the rollback gate, Flagger routes all traffic to the primary`,
				gateSteps(gate, canary, target, phaseMoves, seenPhase, timeout),
				'CutoverRollback',
				`opened ${gate.name} in phase ${phase} at weight ${weight}`,
			);
		}
		case 'pause':
			return planOf(
				`pause ${rollout.name}: Flagger stops moving it (spec.suspend: true)`,
				[specPatch('set spec.suspend: true', 'suspend', true)],
				'CutoverPause',
				'set suspend',
			);
		case 'resume':
			return planOf(
				`resume ${rollout.name} (spec.suspend: false)`,
				[specPatch('set spec.suspend: false', 'suspend', false)],
				'CutoverResume',
				'cleared suspend',
			);
		default:
			return {error: `${action} is not an action of a Flagger canary`, usage: true};
	}
}

export const flagger: Strategy = {
	name: 'flagger',
	label: 'flagger',
	watches: [canaryKind, kinds.deployment, kinds.service, kinds.ingress],
	owners: [canaryKind],
	actions: [
		actionSpecs.step,
		actionSpecs.promote,
		actionSpecs.rollback,
		actionSpecs.pause,
		actionSpecs.resume,
	],
	detect,
	plan,
};
