import {stateOf} from './actions.js';
import {type ArgoState, argoState} from './argo-status.js';
import {refOf} from './kinds.js';
import {planner} from './plan.js';
import type {
	ActionName,
	ActionState,
	KubeObject,
	PlanInput,
	PlanResult,
	PlanStep,
	Rollout,
	Snapshot,
} from './types.js';
import {imagesOf} from './workloads.js';

/**
 * What an Argo Rollout can do now, and the kubectl plugin's patches for it (ANCHOR-FACTS),
 * each with the resourceVersion seen, so the API server refuses a second engineer's stale one.
 */

export const hashLabel = 'rollouts-pod-template-hash';
const revisionAnnotation = 'rollout.argoproj.io/revision';

export function revision(object: KubeObject): number {
	return Number(object.metadata.annotations?.[revisionAnnotation] ?? 0);
}

type Context = {
	kind: Parameters<typeof refOf>[1];
	/** The Rollout's ReplicaSets, newest revision first. */
	replicaSets: (rollout: KubeObject, snapshot: Snapshot) => KubeObject[];
};

export function actionsFor(
	rollout: KubeObject,
	state: ArgoState,
	sets: KubeObject[],
): ActionState[] {
	const status = rollout.status ?? {};
	const updating = String(status.currentPodHash ?? '') !== String(status.stableRS ?? '');
	const aborted = state.aborted
		? 'the rollout is aborted: retry (R) first, or a promote would do nothing'
		: undefined;
	const done =
		!updating && !state.paused
			? 'nothing to promote: the stable revision is the newest'
			: undefined;
	const previous = sets[1];
	const manual = rollout.spec?.paused === true;
	return [
		stateOf('promote', aborted ?? done),
		stateOf(
			'promote-full',
			aborted ?? (updating ? undefined : 'nothing to promote: the stable revision is the newest'),
		),
		stateOf(
			'rollback',
			updating
				? state.aborted
					? 'already aborted: traffic is on stable'
					: undefined
				: 'no update to roll back: the stable revision is the newest; undo (u) returns to an older one',
		),
		stateOf('retry', state.aborted ? undefined : 'only an aborted rollout can be retried'),
		stateOf('pause', manual ? 'already paused (spec.paused)' : undefined),
		stateOf('resume', manual ? undefined : 'not paused by a person (spec.paused)'),
		stateOf('undo', previous ? undefined : 'no previous revision to return to'),
		stateOf('restart', undefined),
	];
}

export function planArgo(
	context: Context,
	action: ActionName,
	rollout: Rollout,
	snapshot: Snapshot,
	input: PlanInput = {},
): PlanResult {
	const object = snapshot.get({...context.kind, namespace: rollout.namespace, name: rollout.name});
	if (!object) return {error: `Rollout ${rollout.namespace}/${rollout.name} is gone`};
	const target = refOf(object, context.kind);
	const rv = object.metadata.resourceVersion;
	const status = object.status ?? {};
	const state = argoState(object);
	const seen = {path: '/metadata/resourceVersion', expected: rv, what: 'the Rollout'};
	// The plugin's merge patch, with the resourceVersion seen: the API server refuses it (409) if
	// anyone changed the Rollout since, so two engineers cannot both advance a step.
	const patch = (
		description: string,
		body: Record<string, unknown>,
		subresource?: 'status',
	): PlanStep => ({
		kind: 'request',
		description,
		target,
		...(subresource ? {subresource} : {}),
		patchType: 'merge',
		body: {metadata: {resourceVersion: rv}, ...body},
		precondition: seen,
	});
	const planOf = planner(action, rollout, target);
	const unpause =
		object.spec?.paused === true
			? [patch('unpause (spec.paused: false)', {spec: {paused: false}})]
			: [];
	switch (action) {
		case 'promote': {
			const steps = [...unpause];
			const total = state.steps.length;
			if ((status.pauseConditions ?? []).length > 0)
				steps.push(
					patch(
						'clear the pause conditions: the next step runs',
						{status: {pauseConditions: null}},
						'status',
					),
				);
			else if (unpause.length === 0 && total > 0)
				steps.push(
					patch(
						`skip to step ${Math.min(state.stepIndex + 1, total)}/${total}`,
						{
							status: {
								pauseConditions: null,
								currentStepIndex: Math.min(state.stepIndex + 1, total),
							},
						},
						'status',
					),
				);
			if (steps.length === 0)
				return {error: `cannot promote ${rollout.name}: it is not paused and has no step to skip`};
			const summary =
				total === 0
					? `promote ${rollout.name}: the preview becomes active`
					: `promote ${rollout.name}: on from step ${state.stepIndex}/${total}`;
			return planOf(summary, steps, 'CutoverPromote', `promoted at step ${state.stepIndex}`);
		}
		case 'promote-full':
			return planOf(
				`promote ${rollout.name} --full: skip the remaining steps, all traffic to the new revision`,
				[...unpause, patch('set status.promoteFull', {status: {promoteFull: true}}, 'status')],
				'CutoverPromoteFull',
				'promoted in full',
			);
		case 'rollback':
			return planOf(
				`roll back ${rollout.name}: abort the update, all traffic back to stable (${rollout.tracks[0]?.images.join(', ') ?? '?'})`,
				[patch('set status.abort (Argo abort)', {status: {abort: true}}, 'status')],
				'CutoverRollback',
				'aborted',
			);
		case 'retry':
			return planOf(
				`retry ${rollout.name} from its first step`,
				[patch('clear status.abort', {status: {abort: false}}, 'status')],
				'CutoverRetry',
				'retried',
			);
		case 'pause':
			return planOf(
				`pause ${rollout.name} (spec.paused: true)`,
				[patch('set spec.paused', {spec: {paused: true}})],
				'CutoverPause',
				'paused',
			);
		case 'resume':
			return planOf(
				`resume ${rollout.name} (spec.paused: false)`,
				unpause,
				'CutoverResume',
				'resumed',
			);
		case 'restart': {
			const now = input.now ?? new Date(0).toISOString();
			return planOf(
				`restart ${rollout.name}: replace its pods`,
				[patch(`set spec.restartAt ${now}`, {spec: {restartAt: now}})],
				'CutoverRestart',
				`restart at ${now}`,
			);
		}
		case 'undo': {
			const previous = context.replicaSets(object, snapshot)[1];
			if (!previous) return {error: `cannot undo ${rollout.name}: no previous revision`};
			const template = structuredClone(previous.spec?.template ?? {});
			if (template.metadata?.labels) delete template.metadata.labels[hashLabel];
			return planOf(
				`undo ${rollout.name}: back to revision ${revision(previous)} (${imagesOf(previous).join(', ')})`,
				[
					{
						kind: 'request',
						description: `set the template of revision ${revision(previous)}`,
						target,
						patchType: 'json',
						body: [
							{op: 'test', path: '/metadata/resourceVersion', value: rv},
							{op: 'replace', path: '/spec/template', value: template},
						],
						precondition: seen,
					},
				],
				'CutoverUndo',
				`undone to revision ${revision(previous)}`,
			);
		}
		default:
			return {error: `${action} is not an action of an Argo Rollout`, usage: true};
	}
}
