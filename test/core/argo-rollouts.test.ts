import {describe, expect, it} from 'vitest';
import {metricsTargetOf} from '../../source/core/metrics.js';
import {planLines} from '../../source/core/plan-text.js';
import {registry} from '../../source/core/strategies/index.js';
import type {KubeObject, Plan, Rollout, Snapshot} from '../../source/core/types.js';
import {loadScenario} from '../../source/sim/scenario.js';
import {argoObjects, argoSnapshot} from '../fixtures/argo.js';

function rolloutsIn(snapshot: Snapshot): Rollout[] {
	return registry.detect(snapshot).filter((r) => r.strategy === 'argo-rollouts');
}

function one(folder: Parameters<typeof argoObjects>[0], name: string) {
	const snapshot = argoSnapshot(argoObjects(folder));
	const rollout = rolloutsIn(snapshot).find((r) => r.name === name);
	if (!rollout) throw new Error(`no rollout ${name}`);
	return {rollout, snapshot};
}

function seed() {
	const objects = structuredClone(loadScenario('seed').objects) as unknown as KubeObject[];
	for (const [i, o] of objects.entries()) o.metadata.resourceVersion = String(100 + i);
	const snapshot = argoSnapshot(objects.filter((o) => o.metadata.namespace === 'argo'));
	return {rollout: rolloutsIn(snapshot)[0]!, snapshot};
}

function plan({rollout, snapshot}: {rollout: Rollout; snapshot: Snapshot}, action: string): Plan {
	const result = registry.plan(action, rollout, snapshot, {now: '2026-12-02T05:00:00Z'});
	if ('error' in result) throw new Error(result.error);
	return result.plan;
}

const fact = (rollout: Rollout, label: string) =>
	rollout.facts.find((f) => f.label === label)?.value;
const state = (rollout: Rollout, action: string) =>
	rollout.actions.find((a) => a.action === action);

describe('Argo Rollouts: what the plugin shows, and the steps', () => {
	it('the seed canary paused at its first pause: step, steps with the current marked, weights, images by track', () => {
		const {rollout} = seed();
		expect(rollout).toMatchObject({
			id: 'argo-rollouts/argo/rollouts-demo',
			phase: 'Paused',
			health: 'paused',
			summary: 'Rollout rollouts-demo (canary), revision 2',
		});
		expect(fact(rollout, 'strategy')).toBe('Canary');
		expect(fact(rollout, 'step')).toBe('1/8');
		expect(fact(rollout, 'steps')).toBe('20% [pause] 40% pause 10s 60% pause 10s 80% pause 10s');
		expect(fact(rollout, 'paused')).toBe('until promoted (p)');
		expect(fact(rollout, 'pause')).toBe('CanaryPauseStep');
		expect(rollout.traffic).toEqual({
			kind: 'split',
			weight: 20,
			total: 100,
			steps: [20, 40, 60, 80],
			routing: [],
		});
		expect(rollout.tracks.map((t) => [t.title, t.workload.name, t.images[0], t.weight])).toEqual([
			['STABLE', 'rollouts-demo-687d76d795', 'argoproj/rollouts-demo:blue', 80],
			['CANARY', 'rollouts-demo-54c9b9c6f4', 'argoproj/rollouts-demo:yellow', 20],
		]);
		expect(rollout.metrics).toEqual({preset: 'nginx', labels: {ingress: 'rollouts-demo'}});
	});

	it('claims its ReplicaSets, Services and the canary Ingress: none is a rollout of its own', () => {
		const {rollout, snapshot} = seed();
		expect(registry.detect(snapshot).map((r) => r.id)).toEqual([
			'argo-rollouts/argo/rollouts-demo',
		]);
		expect(rollout.objects.map((o) => `${o.kind}/${o.name}`)).toEqual(
			expect.arrayContaining([
				'Rollout/rollouts-demo',
				'ReplicaSet/rollouts-demo-687d76d795',
				'ReplicaSet/rollouts-demo-54c9b9c6f4',
				'Service/rollouts-demo-stable',
				'Service/rollouts-demo-canary',
				'Ingress/rollouts-demo',
			]),
		);
	});

	it('a blueGreen Rollout: the active and the preview ReplicaSet, autoPromotionEnabled and the scale-down delay', () => {
		const {rollout} = one('blue-green', 'bluegreen-demo');
		expect(rollout).toMatchObject({phase: 'Paused', health: 'paused'});
		expect(rollout.traffic).toEqual({kind: 'switch', live: 'active'});
		expect(rollout.tracks.map((t) => [t.title, t.workload.name, t.images[0], t.serving])).toEqual([
			['ACTIVE', 'bluegreen-demo-6cbccd9f99', 'argoproj/rollouts-demo:blue', true],
			['PREVIEW', 'bluegreen-demo-74b948fccb', 'argoproj/rollouts-demo:green', false],
		]);
		expect(fact(rollout, 'autoPromotionEnabled')).toBe('false');
		expect(fact(rollout, 'scaleDownDelaySeconds')).toBe('30');
		expect(fact(rollout, 'pause')).toBe('BlueGreenPause');
	});

	it('without nginx routing, metrics come from the app series of each ReplicaSet, by its pod-template hash', () => {
		const {rollout, snapshot} = one('blue-green', 'bluegreen-demo');
		expect(rollout.metrics).toEqual({preset: 'app', labels: {app: 'bluegreen-demo'}});
		expect(metricsTargetOf(rollout, snapshot).tracks).toEqual([
			{key: 'active', series: '6cbccd9f99'},
			{key: 'preview', series: '74b948fccb'},
		]);
		// With nginx routing the Ingress's series are used, and the app's stay one annotation away.
		const seeded = seed().rollout;
		expect(seeded.metrics.preset).toBe('nginx');
		expect(seeded.tracks.map((t) => t.series)).toEqual([
			{nginx: 'stable', app: '687d76d795'},
			{nginx: 'canary', app: '54c9b9c6f4'},
		]);
	});

	it('an aborted Rollout is Degraded, says so with the analysis that failed, and refuses promote until retried', () => {
		const {rollout} = one('rollout-aborted', 'rollout-background-analysis');
		expect(rollout).toMatchObject({phase: 'Degraded', health: 'bad'});
		expect(fact(rollout, 'aborted')).toBe('retry (R) to start again');
		expect(fact(rollout, 'analysis rollout-background-analysis-db976bc44-2')).toBe(
			'Failed: metric "web" assessed Failed due to failed (1) > failureLimit (0)',
		);
		// The run's measurements, which the plugin does not show: per metric, counts and the last value.
		expect(rollout.facts.find((f) => f.label === 'metric web')).toEqual({
			label: 'metric web',
			value: 'Failed (1 measured, 1 failed), last value false',
			tone: 'bad',
			since: '2020-09-22T09:10:04Z',
		});
		expect(rollout.traffic).toMatchObject({weight: 0});
		const refused = 'the rollout is aborted: retry (R) first, or a promote would do nothing';
		expect(state(rollout, 'promote')).toEqual({
			action: 'promote',
			available: false,
			reason: refused,
		});
		expect(state(rollout, 'promote-full')).toEqual({
			action: 'promote-full',
			available: false,
			reason: refused,
		});
		expect(state(rollout, 'retry')?.available).toBe(true);
	});

	it("an invalid Rollout is Degraded with the controller's words as a problem, and offers nothing to promote", () => {
		const {rollout} = one('rollout-invalid', 'rollout-invalid');
		expect(rollout.phase).toBe('Degraded');
		expect(rollout.problems[0]).toMatch(/^InvalidSpec: The Rollout "rollout-invalid" is invalid/);
		expect(state(rollout, 'promote')?.available).toBe(false);
	});

	it('a canary past its progress deadline is Degraded with the message', () => {
		const {rollout} = one('canary', 'canary-demo');
		expect(rollout.phase).toBe('Degraded');
		expect(fact(rollout, 'message')).toBe(
			'ProgressDeadlineExceeded: ReplicaSet "canary-demo-65fb5ffc84" has timed out progressing.',
		);
		expect(fact(rollout, 'steps')).toBe('[20%] pause 40% pause 10s 60% pause 10s 80% pause 10s');
	});

	it('trusts status.phase only when observedGeneration is the generation', () => {
		const objects = structuredClone(loadScenario('seed').objects) as unknown as KubeObject[];
		const rollout = objects.find((o) => o.kind === 'Rollout')!;
		rollout.metadata.generation = 2;
		const [seen] = rolloutsIn(argoSnapshot(objects.filter((o) => o.metadata.namespace === 'argo')));
		expect(seen).toMatchObject({phase: 'Progressing', health: 'progressing'});
		expect(fact(seen!, 'message')).toBe('waiting for the controller to see the newest spec');
	});
});

describe("Argo Rollouts: the plugin's patches, conditional on the Rollout seen", () => {
	it('promote clears the pause conditions on the status subresource, with the resourceVersion seen', () => {
		const seen = seed();
		const promote = plan(seen, 'promote');
		const rv = seen.snapshot.get({...seen.rollout.objects[0]!})!.metadata.resourceVersion;
		expect(promote.steps).toEqual([
			expect.objectContaining({
				kind: 'request',
				subresource: 'status',
				patchType: 'merge',
				body: {metadata: {resourceVersion: rv}, status: {pauseConditions: null}},
				precondition: {path: '/metadata/resourceVersion', expected: rv, what: 'the Rollout'},
			}),
		]);
		expect(planLines(promote)[2]).toBe(
			'   PATCH rollout.argoproj.io/rollouts-demo -n argo --subresource status (merge patch)',
		);
	});

	it('promote of an unpaused canary mid-step skips to the next step, as the plugin does', () => {
		const promote = plan(one('canary', 'canary-demo'), 'promote');
		expect(promote.steps[0]).toMatchObject({
			body: {status: {pauseConditions: null, currentStepIndex: 1}},
		});
	});

	it("promote --full, abort (r), retry, pause, resume and restart are the plugin's patches", () => {
		const seen = seed();
		const bodies = (action: string) =>
			plan(seen, action).steps.map((s) =>
				s.kind === 'request' ? [s.subresource ?? 'main', s.body] : s.kind,
			);
		expect(bodies('promote-full')).toEqual([
			['status', expect.objectContaining({status: {promoteFull: true}})],
		]);
		expect(bodies('rollback')).toEqual([
			['status', expect.objectContaining({status: {abort: true}})],
		]);
		expect(bodies('pause')).toEqual([['main', expect.objectContaining({spec: {paused: true}})]]);
		expect(bodies('restart')).toEqual([
			['main', expect.objectContaining({spec: {restartAt: '2026-12-02T05:00:00Z'}})],
		]);
		const aborted = one('rollout-aborted', 'rollout-background-analysis');
		expect(plan(aborted, 'retry').steps[0]).toMatchObject({
			body: {status: {abort: false}},
			subresource: 'status',
		});
		expect(plan(seen, 'rollback').summary).toBe(
			'roll back rollouts-demo: abort the update, all traffic back to stable (argoproj/rollouts-demo:blue)',
		);
	});

	it('undo names the revision and image it returns to, and sets its template without the hash label', () => {
		const undo = plan(one('rollout-aborted', 'rollout-background-analysis'), 'undo');
		expect(undo.summary).toBe(
			'undo rollout-background-analysis: back to revision 1 (argoproj/rollouts-demo:blue)',
		);
		const [step] = undo.steps;
		if (step?.kind !== 'request') throw new Error('no request');
		const [test, replace] = step.body as Array<{
			op: string;
			path: string;
			value: KubeObject['spec'];
		}>;
		expect(test).toEqual({op: 'test', path: '/metadata/resourceVersion', value: '877993'});
		expect(replace!.path).toBe('/spec/template');
		expect(replace!.value.metadata.labels).toEqual({app: 'rollout-background-analysis'});
		expect(replace!.value.spec.containers[0].image).toBe('argoproj/rollouts-demo:blue');
	});

	it('a blueGreen promote makes the preview active', () => {
		const promote = plan(one('blue-green', 'bluegreen-demo'), 'promote');
		expect(promote.summary).toBe('promote bluegreen-demo: the preview becomes active');
		expect(promote.steps[0]).toMatchObject({
			body: {status: {pauseConditions: null}},
			subresource: 'status',
		});
	});
});
