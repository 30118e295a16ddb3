import {actionSpecs, stateOf} from '../actions.js';
import {rolloutProgress} from '../conditions.js';
import {kinds, namespaceOf, refOf} from '../kinds.js';
import {planner} from '../plan.js';
import type {
	ActionName,
	ActionState,
	Claims,
	Detected,
	Fact,
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
	deploymentReplicaSets,
	deploymentRevision,
	deploymentTrack,
	imagesOf,
	ownedReplicaSets,
	podLabels,
	restartedAtAnnotation,
	templateAnnotationOps,
} from '../workloads.js';

/**
 * A plain rolling update: any Deployment no other strategy claims. Its tracks are ReplicaSets by
 * revision: the newest (candidate) and the one before it (baseline), with the share of ready
 * pods each has, which is how a Service spreads requests (an estimate, said so). Its actions are
 * kubectl's `rollout pause`, `resume`, `undo` and `restart`, each conditional on the
 * Deployment's spec as seen (its generation); rollback (`r`, and the guard's) is the undo to the
 * previous revision, so a rolling update rolls back with the same two keys as every pattern.
 */

const hashLabel = 'pod-template-hash';
/** A rolling update that changed this recently is news, and listed without asking. */
const recentMs = 15 * 60_000;

const revision = deploymentRevision;

/** A Deployment's ReplicaSets, newest revision first. */
function replicaSetsOf(deployment: KubeObject, snapshot: Snapshot): KubeObject[] {
	return ownedReplicaSets(deployment, 'Deployment', deploymentReplicaSets, snapshot, revision);
}

/** The value the app's series carry: the pod template's `version` (or `track`), else its hash. */
function appSeries(rs: KubeObject): string {
	const labels = podLabels(rs);
	return String(labels.version ?? labels.track ?? labels[hashLabel] ?? '');
}

function rsTrack(
	rs: KubeObject,
	side: Track['side'],
	weight: number,
	current: number,
	rollingOut: boolean,
): Track {
	const status = rs.status ?? {};
	const desired = Number(rs.spec?.replicas ?? 0);
	const ready = Number(status.readyReplicas ?? 0);
	const n = revision(rs);
	return {
		key: side === 'candidate' ? 'new' : 'old',
		title: `REVISION ${n}`,
		side,
		serving: ready > 0,
		...(n === current ? {tag: 'current'} : {}),
		workload: refOf(rs, kinds.replicaSet),
		images: imagesOf(rs),
		replicas: {
			desired,
			updated: side === 'candidate' ? desired : 0,
			ready,
			available: Number(status.availableReplicas ?? 0),
		},
		weight,
		rollingOut,
		series: {app: appSeries(rs)},
	};
}

/** When the Deployment last changed: its newest condition update (kubectl's "age" of a rollout). */
function lastChange(deployment: KubeObject): number {
	const times = (deployment.status?.conditions ?? []).map((c: {lastUpdateTime?: string}) =>
		Date.parse(c.lastUpdateTime ?? ''),
	);
	const created = Date.parse(deployment.metadata.creationTimestamp ?? '');
	return Math.max(
		...times.filter((t: number) => !Number.isNaN(t)),
		Number.isNaN(created) ? 0 : created,
	);
}

function detectOne(deployment: KubeObject, snapshot: Snapshot, now: number): Detected {
	const namespace = namespaceOf(deployment);
	const name = deployment.metadata.name;
	const sets = replicaSetsOf(deployment, snapshot);
	const current = revision(deployment);
	const progress = rolloutProgress(deployment);
	const paused = deployment.spec?.paused === true;
	const candidate = sets.find((rs) => revision(rs) === current) ?? sets[0];
	const previous = sets.find((rs) => rs !== candidate && revision(rs) < revision(candidate ?? rs));
	const readyOf = (rs: KubeObject | undefined) => Number(rs?.status?.readyReplicas ?? 0);
	const readyTotal = readyOf(candidate) + readyOf(previous);
	const share = readyTotal > 0 ? Math.round((readyOf(candidate) / readyTotal) * 100) : 0;
	const tracks: Track[] = [];
	if (previous)
		tracks.push(rsTrack(previous, 'baseline', previous ? 100 - share : 0, current, false));
	if (candidate)
		tracks.push(rsTrack(candidate, 'candidate', previous ? share : 100, current, !progress.done));
	// No ReplicaSet seen yet (or none allowed to be listed): the Deployment's own template.
	else
		tracks.push(
			deploymentTrack(deployment, {
				key: 'new',
				title: `REVISION ${current || '?'}`,
				side: 'candidate',
				serving: progress.replicas.ready > 0,
				weight: 100,
				series: {app: String(podLabels(deployment).version ?? podLabels(deployment).track ?? '')},
			}),
		);
	let phase: string;
	if (progress.failed) phase = 'Stuck';
	else if (paused) phase = 'Paused';
	else if (!progress.done) phase = 'Progressing';
	else phase = 'Complete';
	const health = {Stuck: 'bad', Paused: 'paused', Progressing: 'progressing', Complete: 'ok'}[
		phase
	] as Rollout['health'];
	const mixed = tracks.filter((t) => t.replicas.ready > 0).length > 1;
	const facts: Fact[] = [
		{label: 'revision', value: String(current)},
		{label: 'pods', value: progress.detail, tone: progress.done ? 'ok' : 'progressing'},
		...(mixed
			? [
					{
						label: 'traffic',
						value: `~${share} % new: an estimate, the Service spreads requests over ready pods`,
						tone: 'warn' as const,
					},
				]
			: []),
		...(progress.failed ? [{label: 'stuck', value: progress.failed, tone: 'bad' as const}] : []),
	];
	const app = podLabels(deployment).app;
	const quiet = phase === 'Complete' && now - lastChange(deployment) > recentMs;
	return {
		namespace,
		name: name!,
		summary: `Deployment ${name}, rolling update${previous ? ` from revision ${revision(previous)}` : ''}`,
		phase,
		health,
		facts,
		tracks,
		traffic: {kind: 'none'},
		problems: [],
		objects: [
			refOf(deployment, kinds.deployment),
			...sets.map((rs) => refOf(rs, kinds.replicaSet)),
		],
		metrics: {preset: 'app', labels: app ? {app} : {}},
		actions: actionsFor(deployment, sets),
		...(quiet ? {quiet: true} : {}),
	};
}

function actionsFor(deployment: KubeObject, sets: KubeObject[]): ActionState[] {
	const paused = deployment.spec?.paused === true;
	const previous = sets[1];
	const back = previous
		? paused
			? 'paused: resume (Z) first; kubectl refuses to undo a paused Deployment'
			: undefined
		: 'no previous revision to return to';
	return [
		stateOf('pause', paused ? 'already paused (spec.paused)' : undefined),
		stateOf('resume', paused ? undefined : 'not paused'),
		stateOf('rollback', back),
		stateOf('undo', back),
		stateOf('restart', paused ? 'paused: resume (Z) first' : undefined),
	];
}

function plan(
	action: ActionName,
	rollout: Rollout,
	snapshot: Snapshot,
	input: PlanInput = {},
): PlanResult {
	const ref = {...kinds.deployment, namespace: rollout.namespace, name: rollout.name};
	const deployment = snapshot.get(ref);
	if (!deployment) return {error: `Deployment ${rollout.namespace}/${rollout.name} is gone`};
	const target = refOf(deployment, kinds.deployment);
	// Conditional on the spec seen (its generation), not on the resourceVersion: the controller
	// writes status all through a rollout, and a pause asked for mid-rollout must not lose to it.
	const generation = deployment.metadata.generation;
	const seen = {path: '/metadata/generation', expected: generation, what: "the Deployment's spec"};
	const planOf = planner(action, rollout, target);
	const patch = (description: string, ops: Array<Record<string, unknown>>): PlanStep => ({
		kind: 'request',
		description,
		target,
		patchType: 'json',
		body: [{op: 'test', path: '/metadata/generation', value: generation}, ...ops],
		precondition: seen,
	});
	switch (action) {
		case 'pause':
			return planOf(
				`pause ${rollout.name} (kubectl rollout pause): its pods stay as they are`,
				[patch('set spec.paused', [{op: 'add', path: '/spec/paused', value: true}])],
				'CutoverPause',
				'paused',
			);
		case 'resume':
			return planOf(
				`resume ${rollout.name} (kubectl rollout resume)`,
				[patch('unset spec.paused', [{op: 'add', path: '/spec/paused', value: false}])],
				'CutoverResume',
				'resumed',
			);
		case 'restart': {
			const now = input.now ?? new Date(0).toISOString();
			return planOf(
				`restart ${rollout.name} (kubectl rollout restart): replace its pods, one by one`,
				[
					patch(
						`set the restartedAt annotation to ${now}`,
						templateAnnotationOps(deployment, {[restartedAtAnnotation]: now}),
					),
				],
				'CutoverRestart',
				`restart at ${now}`,
			);
		}
		case 'undo':
		case 'rollback': {
			const sets = replicaSetsOf(deployment, snapshot);
			const wanted = action === 'undo' ? input.revision : undefined;
			const previous =
				wanted === undefined ? sets[1] : sets.find((rs) => revision(rs) === Number(wanted));
			if (!previous)
				return {
					error:
						wanted === undefined
							? `cannot ${action === 'undo' ? 'undo' : 'roll back'} ${rollout.name}: no previous revision`
							: `cannot undo ${rollout.name}: no revision ${wanted} (it has ${sets.map(revision).join(', ')})`,
					...(wanted === undefined ? {} : {usage: true}),
				};
			if (previous === sets[0])
				return {
					error: `cannot undo ${rollout.name}: revision ${wanted} is the current one`,
					usage: true,
				};
			// As kubectl rollout undo: the old ReplicaSet's template, without its pod-template-hash.
			const template = structuredClone(previous.spec?.template ?? {});
			if (template.metadata?.labels) delete template.metadata.labels[hashLabel];
			const back = `revision ${revision(previous)} (${imagesOf(previous).join(', ')}), from ${imagesOf(deployment).join(', ')}`;
			return planOf(
				action === 'undo'
					? `undo ${rollout.name}: back to ${back}`
					: `roll back ${rollout.name} (kubectl rollout undo): back to ${back}`,
				[
					patch(`set the template of revision ${revision(previous)}`, [
						{op: 'replace', path: '/spec/template', value: template},
					]),
				],
				action === 'undo' ? 'CutoverUndo' : 'CutoverRollback',
				action === 'undo'
					? `undone to revision ${revision(previous)}`
					: `rolled back to revision ${revision(previous)}`,
			);
		}
		default:
			return {error: `${action} is not an action of a rolling update`, usage: true};
	}
}

export const rolling: Strategy = {
	name: 'rolling',
	label: 'rolling',
	watches: [kinds.deployment, deploymentReplicaSets],
	actions: [
		actionSpecs.rollback,
		actionSpecs.pause,
		actionSpecs.resume,
		actionSpecs.undo,
		actionSpecs.restart,
	],
	detect(snapshot: Snapshot, claims: Claims): Detected[] {
		const now = Date.now();
		return snapshot
			.list(kinds.deployment)
			.filter((d) => !claims.taken(d, kinds.deployment))
			.map((d) => detectOne(d, snapshot, now));
	},
	plan,
};
