import {describe, expect, it} from 'vitest';
import {planLines} from '../../source/core/plan-text.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Plan, Rollout, Snapshot} from '../../source/core/types.js';
import {type CanaryVariant, flaggerSnapshot, ungated} from '../fixtures/flagger.js';

/** What the patterns under test make of it; the Deployments nothing pairs are rolling updates (test/commands/rolling.test.ts). */
const detected = (snapshot: Snapshot) =>
	registry.detect(snapshot).filter((r) => r.strategy !== 'rolling');

function detect(variant: CanaryVariant = {}): {
	rollouts: Rollout[];
	podinfo: Rollout;
	snapshot: Snapshot;
} {
	const snapshot = flaggerSnapshot(variant);
	const rollouts = detected(snapshot);
	const podinfo = rollouts.find((r) => r.strategy === 'flagger' && r.name === 'podinfo');
	if (!podinfo) throw new Error(`no flagger rollout in ${rollouts.map((r) => r.id).join(', ')}`);
	return {rollouts, podinfo, snapshot};
}

function plan(action: string, variant: CanaryVariant = {}): Plan {
	const {podinfo, snapshot} = detect(variant);
	const result = registry.plan(action, podinfo, snapshot);
	if ('error' in result) throw new Error(result.error);
	return result.plan;
}

function state(rollout: Rollout, action: string) {
	return rollout.actions.find((a) => a.action === action);
}

function fact(rollout: Rollout, label: string) {
	return rollout.facts.find((f) => f.label === label);
}

describe('Flagger canaries: detection', () => {
	it('is one rollout per Canary, claiming its target, primary, Services and both Ingresses', () => {
		const {rollouts, podinfo} = detect();
		// None of what Flagger made is a rollout of its own: not the canary Ingress, not the Services.
		expect(rollouts.map((r) => r.id)).toEqual(['flagger/test/podinfo']);
		expect(podinfo.objects.map((o) => `${o.kind}/${o.name}`)).toEqual([
			'Canary/podinfo',
			'Deployment/podinfo-primary',
			'Deployment/podinfo',
			'Service/podinfo',
			'Service/podinfo-canary',
			'Service/podinfo-primary',
			'Ingress/podinfo',
			'Ingress/podinfo-canary',
		]);
		expect(podinfo.problems).toEqual([]);
	});

	it('tracks: the primary as baseline at 80 %, the target as canary at 20 %, with images and replicas', () => {
		const {podinfo} = detect();
		expect(
			podinfo.tracks.map((t) => [
				t.title,
				t.side,
				t.workload.name,
				t.images[0],
				t.weight,
				t.serving,
			]),
		).toEqual([
			['PRIMARY', 'baseline', 'podinfo-primary', 'ghcr.io/stefanprodan/podinfo:6.0.0', 80, true],
			['CANARY', 'candidate', 'podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.1', 20, true],
		]);
		expect(podinfo.tracks.map((t) => t.replicas.ready)).toEqual([2, 2]);
		expect(podinfo.tracks.map((t) => t.series)).toEqual([{nginx: 'stable'}, {nginx: 'canary'}]);
		expect(podinfo.metrics).toEqual({preset: 'nginx', labels: {ingress: 'podinfo'}});
	});

	it('the weight on steps of stepWeight up to maxWeight, or stepWeights', () => {
		expect(detect().podinfo.traffic).toEqual({
			kind: 'split',
			weight: 20,
			total: 100,
			steps: [10, 20, 30, 40, 50],
			routing: [],
		});
		const custom = detect({spec: {analysis: {stepWeights: [1, 5, 25, 60], maxWeight: 60}}});
		expect(custom.podinfo.traffic).toMatchObject({steps: [1, 5, 25, 60]});
	});

	it('says when the Ingress applies another weight than the Canary says', () => {
		const {podinfo} = detect({status: {canaryWeight: 30}});
		expect(podinfo.traffic).toMatchObject({weight: 30, actual: 20});
	});

	it('failed checks out of threshold, iterations, last transition, timings and the analysis metrics', () => {
		const {podinfo} = detect();
		expect(fact(podinfo, 'failed checks')).toEqual({
			label: 'failed checks',
			value: '1/5',
			tone: 'warn',
		});
		expect(fact(podinfo, 'iterations')?.value).toBe('0');
		expect(fact(podinfo, 'last transition')?.since).toBe('2025-05-12T09:42:10Z');
		// A gated Canary steps when its gate opens; an ungated one an interval after the last.
		expect(fact(podinfo, 'next step')?.value).toBe('when the traffic increase gate opens');
		expect(fact(detect({webhooks: ungated}).podinfo, 'next step')?.until).toBe(
			'2025-05-12T09:43:10.000Z',
		);
		expect(fact(podinfo, 'promotion')?.value).toBe('3 steps left, about 3m at this pace');
		expect(fact(podinfo, 'rollback by threshold')?.value).toBe(
			'after 4 more failed checks, about 4m',
		);
		expect(fact(podinfo, 'request-success-rate')?.value).toBe('>= 99 %');
		expect(fact(podinfo, 'request-duration')?.value).toContain('<= 500 ms');
		expect(fact(podinfo, 'request-duration')?.value).toContain("Flagger's is a mean");
		// The guard judges by Flagger's own checks: success >= 99 % is errors <= 1 %, and fails
		// after as many breaches in a row as Flagger's own threshold of failed checks.
		expect(podinfo.thresholds).toEqual({
			maxErrorRatio: 0.01,
			maxP99Seconds: 0.5,
			minRequests: 50,
			failureThreshold: 5,
		});
	});

	it.for([
		['Initialized', 'ok', 'waiting for a new revision of the target'],
		['Progressing', 'progressing', 'analysis running, weight moving'],
		['WaitingPromotion', 'paused', 'waits for the promotion gate'],
		['Promoting', 'progressing', 'copying the canary to the primary'],
		['Succeeded', 'ok', 'promoted: the primary runs the new revision'],
		['Failed', 'bad', 'rolled back: the primary kept the old revision'],
	])('phase %s is health %s: %s', ([phase, health, meaning]) => {
		const {podinfo} = detect({status: {phase}});
		expect(podinfo.phase).toBe(phase);
		expect(podinfo.health).toBe(health);
		expect(fact(podinfo, phase!)?.value).toBe(meaning);
	});

	it('a suspended Canary is paused and offers resume', () => {
		const {podinfo} = detect({spec: {suspend: true}});
		expect(podinfo.health).toBe('paused');
		expect(podinfo.phase).toBe('Progressing (paused)');
		expect(state(podinfo, 'resume')?.available).toBe(true);
		expect(state(podinfo, 'step')).toMatchObject({
			available: false,
			reason: expect.stringContaining('spec.suspend'),
		});
	});

	it('a Canary without its primary says so instead of leaving it out', () => {
		const snapshot = flaggerSnapshot();
		const without = {
			list: (kind: Parameters<Snapshot['list']>[0]) =>
				snapshot.list(kind).filter((o) => o.metadata.name !== 'podinfo-primary'),
			get: (ref: Parameters<Snapshot['get']>[0]) =>
				ref.name === 'podinfo-primary' ? undefined : snapshot.get(ref),
		};
		const [podinfo] = detected(without);
		expect(podinfo!.problems).toContain(
			'Deployment podinfo-primary is missing: Flagger has not initialised it',
		);
		expect(state(podinfo!, 'rollback')?.available).toBe(false);
	});
});

describe('Flagger canaries: actions through the loadtester gates', () => {
	it('step opens confirm-traffic-increase, only at the weight seen, waits for Flagger, then closes it', () => {
		const step = plan('step');
		expect(step.summary).toBe('step podinfo: let Flagger move the weight 20 -> 30');
		expect(step.changes).toBe(true);
		expect(step.steps).toEqual([
			{
				kind: 'call',
				description: 'open the traffic increase gate (gate) for podinfo.test',
				service: {namespace: 'test', name: 'flagger-loadtester', port: 80},
				method: 'POST',
				path: '/gate/open',
				body: {name: 'podinfo', namespace: 'test'},
				precondition: {
					path: '/status/canaryWeight',
					expected: 20,
					what: 'the canary weight',
					target: expect.objectContaining({kind: 'Canary', namespace: 'test', name: 'podinfo'}),
				},
			},
			expect.objectContaining({
				kind: 'wait',
				until: {path: '/status/canaryWeight', changedFrom: 20, what: 'the canary weight'},
			}),
			expect.objectContaining({kind: 'call', path: '/gate/close', always: true}),
		]);
		expect(step.audit).toMatchObject({
			reason: 'CutoverStep',
			target: {kind: 'Canary', name: 'podinfo'},
		});
		expect(planLines(step).join('\n')).toContain('made even if a step before it fails');
	});

	it('promote waits for WaitingPromotion, then opens confirm-promotion until the phase moves on', () => {
		const {podinfo} = detect();
		expect(state(podinfo, 'promote')).toEqual({
			action: 'promote',
			available: false,
			reason: 'Flagger asks the promotion gate at maxWeight 50 (now 20): step first, or wait',
		});
		// Flagger writes weight 0 outside Progressing; the canary Ingress says what is routed.
		const waiting = detect({status: {phase: 'WaitingPromotion', canaryWeight: 0}}).podinfo;
		expect(waiting.traffic).toMatchObject({weight: 20});
		expect(waiting.tracks.map((t) => t.weight)).toEqual([80, 20]);
		const promote = plan('promote', {status: {phase: 'WaitingPromotion', canaryWeight: 0}});
		expect(promote.summary).toBe('promote podinfo: open the promotion gate at weight 20');
		expect(promote.steps.map((s) => (s.kind === 'call' ? `${s.kind} ${s.path}` : s.kind))).toEqual([
			'call /gate/open',
			'wait',
			'call /gate/close',
		]);
		expect(promote.steps[1]).toMatchObject({
			until: {path: '/status/phase', changedFrom: 'WaitingPromotion'},
		});
	});

	it('rollback opens the rollback gate while analysing, and is refused once Flagger is done', () => {
		const rollback = plan('rollback');
		expect(rollback.steps.map((s) => (s.kind === 'call' ? s.path : s.kind))).toEqual([
			'/rollback/open',
			'wait',
			'/rollback/close',
		]);
		expect(rollback.steps[0]).toMatchObject({
			precondition: {path: '/status/phase', expected: 'Progressing'},
		});
		const done = detect({status: {phase: 'Succeeded', canaryWeight: 0}}).podinfo;
		expect(state(done, 'rollback')).toMatchObject({
			available: false,
			reason: 'Flagger rolls back only while analysing (now Succeeded)',
		});
	});

	it('without gates: promote by skipAnalysis (the plan says what it skips), no step, no rollback, with the reasons', () => {
		const {podinfo} = detect({webhooks: ungated});
		expect(state(podinfo, 'step')?.reason).toBe(
			'Flagger steps by itself every interval: this Canary has no confirm-traffic-increase gate',
		);
		expect(state(podinfo, 'rollback')?.reason).toBe(
			'this Canary has no rollback webhook: add one of type rollback with url http://flagger-loadtester.<namespace>/rollback/check',
		);
		const promote = plan('promote', {webhooks: ungated});
		expect(promote.summary).toBe(
			'promote podinfo: skip the analysis (spec.skipAnalysis), Flagger promotes after a health check',
		);
		expect(promote.steps).toEqual([
			expect.objectContaining({
				kind: 'request',
				description:
					'set spec.skipAnalysis: true: the metric checks and webhooks are skipped for this revision',
				patchType: 'json',
				body: [
					{op: 'test', path: '/metadata/resourceVersion', value: '4242'},
					{op: 'add', path: '/spec/skipAnalysis', value: true},
				],
			}),
		]);
	});

	it('a gate that is not the loadtester is named, not called', () => {
		const {podinfo} = detect({
			webhooks: [{name: 'rollback', type: 'rollback', url: 'http://my-gate.ops/approve'}],
		});
		expect(state(podinfo, 'rollback')?.reason).toBe(
			'the rollback webhook http://my-gate.ops/approve is not a loadtester gate cutover can open',
		);
	});

	it('pause and resume are spec.suspend, conditional on the Canary seen', () => {
		const pause = plan('pause');
		expect(pause.steps[0]).toMatchObject({
			kind: 'request',
			body: [
				{op: 'test', path: '/metadata/resourceVersion', value: '4242'},
				{op: 'add', path: '/spec/suspend', value: true},
			],
		});
		expect(plan('resume', {spec: {suspend: true}}).steps[0]).toMatchObject({
			body: [expect.anything(), {op: 'add', path: '/spec/suspend', value: false}],
		});
	});
});
