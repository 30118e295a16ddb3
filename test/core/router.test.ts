import {describe, expect, it} from 'vitest';
import {planLines} from '../../source/core/plan-text.js';
import {serviceOfUrl} from '../../source/core/router-config.js';
import {registry} from '../../source/core/strategies/index.js';
import type {ActionName, Plan, Rollout, Snapshot} from '../../source/core/types.js';
import {type RouterOptions, routerSnapshot, seedEnv} from '../fixtures/router.js';

const envPath = '/spec/template/spec/containers/0/env/0/value';
const deploymentKind = {group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment'};
const configMapKind = {group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap'};
const now = '2026-12-02T10:00:00.000Z';

function routerOf(snapshot: Snapshot): Rollout {
	const rollouts = registry.detect(snapshot);
	// Every Deployment is the router's: none is left over as a rolling update or a blue/green.
	expect(rollouts.map((r) => `${r.strategy}/${r.name}`)).toEqual(['router/canary-router']);
	return rollouts[0]!;
}

const detect = (options: RouterOptions = {}) => routerOf(routerSnapshot(options));

function planOf(action: ActionName, options: RouterOptions = {}): Plan {
	const snapshot = routerSnapshot(options);
	const result = registry.plan(action, routerOf(snapshot), snapshot, {now});
	if ('error' in result) throw new Error(`expected a plan, got: ${result.error}`);
	expect(planLines(result.plan).length).toBeGreaterThan(0);
	return result.plan;
}

const state = (rollout: Rollout, action: ActionName) =>
	rollout.actions.find((a) => a.action === action);
const fact = (rollout: Rollout, label: string) =>
	rollout.facts.find((f) => f.label === label)?.value;

describe('an app-level canary router (the seed Flask router)', () => {
	it('is a rollout of the two Deployments behind the Services it names, at its percentage', () => {
		const rollout = detect();
		expect(rollout).toMatchObject({
			id: 'router/web/canary-router',
			strategyLabel: 'router',
			phase: 'Canary',
			traffic: {kind: 'split', weight: 5, total: 100, steps: [5, 25, 50, 100]},
		});
		expect(rollout.tracks.map((t) => [t.title, t.workload.name, t.weight, t.images[0]])).toEqual([
			['STABLE', 'web-stable', 95, 'registry.example.com/web:1.4.0'],
			['CANARY', 'web-canary', 5, 'registry.example.com/web:1.5.0'],
		]);
		expect(rollout.tracks.map((t) => t.series.app)).toEqual(['stable', 'canary']);
		expect(rollout.metrics).toEqual({preset: 'app', labels: {app: 'web'}});
		expect(fact(rollout, 'routing')).toBe('sticky by X-User-ID, anonymous users at random');
		expect(fact(rollout, 'percentage')).toBe('env CANARY_PERCENTAGE');
		expect(fact(rollout, 'router pods')).toBe('2 at 5%');
		expect(rollout.objects.map((o) => `${o.kind}/${o.name}`)).toEqual([
			'Deployment/canary-router',
			'Service/stable-service',
			'Service/canary-service',
			'Deployment/web-stable',
			'Deployment/web-canary',
		]);
		expect(rollout.actions.filter((a) => a.available).map((a) => a.action)).toEqual([
			'step',
			'promote',
			'finalize',
			'rollback',
			'restart',
		]);
	});

	it('warns that X-User-ID is not sticky across router pods without PYTHONHASHSEED, with the fix', () => {
		const [problem] = detect().problems;
		expect(problem).toMatch(/^X-User-ID not sticky across 2 router pods: set PYTHONHASHSEED=0/);
		expect(problem).toContain('Python salts hash() per process');
		const seeded = [...seedEnv(), {name: 'PYTHONHASHSEED', value: '0'}];
		expect(detect({env: seeded}).problems).toEqual([]);
		expect(detect({replicas: 1, sets: [{percent: '5', pods: 1}]}).problems).toEqual([]);
		expect(detect({annotations: {'cutover.dev/router-hash': 'stable'}}).problems).toEqual([]);
		const random = [...seedEnv(), {name: 'PYTHONHASHSEED', value: 'random'}];
		expect(detect({env: random}).problems).toHaveLength(1);
	});

	it('shows a router half rolled out: its pods by percentage, the share they apply, Progressing', () => {
		const rollout = detect({
			env: seedEnv('25'),
			replicas: 3,
			sets: [
				{percent: '25', pods: 1},
				{percent: '5', pods: 2},
			],
		});
		expect(rollout.phase).toBe('Progressing');
		expect(fact(rollout, 'router pods')).toBe('1 at 25%, 2 at 5%');
		// Ready pods share the requests: (25 + 5 + 5) / 3.
		expect(rollout.traffic).toMatchObject({weight: 25, actual: 12, appliedBy: 'router pods'});
	});

	it('reads the percentage from a ConfigMap, named by annotation or by configMapKeyRef', () => {
		const byAnnotation = detect({
			annotations: {'cutover.dev/router-weight': 'configmap/router-config/CANARY_PERCENTAGE'},
			configMap: {CANARY_PERCENTAGE: '25'},
			sets: [{percent: '25', pods: 2}],
		});
		expect(byAnnotation.traffic).toMatchObject({weight: 25});
		expect(fact(byAnnotation, 'percentage')).toBe('ConfigMap router-config CANARY_PERCENTAGE');
		expect(fact(byAnnotation, 'router pods')).toBe('2 at 25%');
		expect(byAnnotation.objects[1]).toEqual({
			...configMapKind,
			namespace: 'web',
			name: 'router-config',
		});
		const env = seedEnv().map((e) =>
			e.name === 'CANARY_PERCENTAGE'
				? {name: e.name, valueFrom: {configMapKeyRef: {name: 'router-config', key: 'pct'}}}
				: e,
		);
		const byEnv = detect({env, configMap: {pct: '50'}, sets: [{percent: undefined, pods: 2}]});
		expect(byEnv.traffic).toMatchObject({weight: 50});
		expect(fact(byEnv, 'percentage')).toBe('ConfigMap router-config pct (env CANARY_PERCENTAGE)');
		// Pods read a ConfigMap when they start: without cutover's stamp, which value is not known.
		expect(fact(byEnv, 'router pods')).toMatch(/^2 at \? \(read from the ConfigMap at start/);
		expect(byEnv.phase).toBe('Canary');
		const stale = detect({
			annotations: {'cutover.dev/router-weight': 'configmap/router-config/CANARY_PERCENTAGE'},
			configMap: {CANARY_PERCENTAGE: '25'},
			sets: [{percent: '5', pods: 2}],
		});
		expect(stale.phase).toBe('Progressing');
		expect(stale.traffic).toMatchObject({weight: 25, actual: 5});
	});

	it('never guesses: a bad percentage, annotation or backend is named, and only safe actions stay', () => {
		const bad = detect({env: seedEnv('ten')});
		expect(bad.traffic).toMatchObject({weight: null});
		expect(bad.tracks.map((t) => t.weight)).toEqual([null, null]);
		expect(bad.phase).toBe('Invalid');
		expect(bad.problems[0]).toBe(
			'the router\'s percentage "ten" is not a whole number from 0 to 100',
		);
		expect(state(bad, 'step')?.reason).toBe('the router percentage cannot be read');
		expect(state(bad, 'rollback')?.available).toBe(true);
		expect(detect({annotations: {'cutover.dev/router-weight': 'weight'}}).problems[0]).toBe(
			'cutover.dev/router-weight "weight" does not parse: give env/NAME or configmap/NAME/KEY',
		);
		expect(
			detect({annotations: {'cutover.dev/router-weight': 'configmap/router-config/pct'}})
				.problems[0],
		).toBe("ConfigMap router-config (the router's percentage) is missing");
		const noCanary = routerSnapshot({env: seedEnv().slice(0, 2)});
		const rollouts = registry.detect(noCanary);
		const router = rollouts.find((r) => r.strategy === 'router')!;
		expect(router.problems[0]).toBe(
			'the router names no canary backend: set CANARY_BACKEND or cutover.dev/router-canary',
		);
		expect(state(router, 'promote')?.available).toBe(false);
	});

	it('finds the backend Service in the URLs the seed writes', () => {
		expect(serviceOfUrl('http://stable-service:8080')).toBe('stable-service');
		expect(serviceOfUrl('https://canary.web.svc.cluster.local/api')).toBe('canary');
		expect(serviceOfUrl('stable-service')).toBe('stable-service');
		expect(serviceOfUrl('http://Not_A_Name')).toBeUndefined();
	});
});

describe('a router plan', () => {
	it('steps an env percentage with a test of the value seen, then waits for the router to roll', () => {
		const plan = planOf('step');
		expect(plan.summary).toBe('step canary-router from 5% to 25%');
		expect(plan.steps[0]).toMatchObject({
			kind: 'request',
			target: {...deploymentKind, namespace: 'web', name: 'canary-router'},
			patchType: 'json',
			body: [
				{op: 'test', path: envPath, value: '5'},
				{op: 'replace', path: envPath, value: '25'},
			],
		});
		expect(plan.steps[0]!.description).toContain('this rolls the router');
		expect(plan.steps[1]).toMatchObject({kind: 'wait', until: 'rolled-out'});
		expect(plan.audit).toMatchObject({reason: 'CutoverStep'});
	});

	it('walks the seed progression 5, 25, 50, 100 and rolls back to 0', () => {
		const to = (percent: string, action: ActionName) =>
			(
				planOf(action, {env: seedEnv(percent), sets: [{percent, pods: 2}]}).steps[0] as {
					body: Array<{value: string}>;
				}
			).body[1]!.value;
		expect(['5', '25', '50'].map((p) => to(p, 'step'))).toEqual(['25', '50', '100']);
		expect(to('25', 'promote')).toBe('100');
		expect(to('25', 'rollback')).toBe('0');
		expect(detect({env: seedEnv('100'), sets: [{percent: '100', pods: 2}]}).phase).toBe('Promoted');
		expect(state(detect({env: seedEnv('100'), sets: [{percent: '100', pods: 2}]}), 'step')).toEqual(
			{action: 'step', available: false, reason: 'the canary already takes all traffic (100%)'},
		);
	});

	it('changes a ConfigMap percentage, then restarts the router in the same plan and says why', () => {
		const plan = planOf('step', {
			annotations: {'cutover.dev/router-weight': 'configmap/router-config/CANARY_PERCENTAGE'},
			configMap: {CANARY_PERCENTAGE: '5'},
		});
		expect(plan.steps.map((s) => s.kind)).toEqual(['request', 'request', 'wait']);
		expect(plan.steps[0]).toMatchObject({
			target: {...configMapKind, namespace: 'web', name: 'router-config'},
			body: [
				{op: 'test', path: '/data/CANARY_PERCENTAGE', value: '5'},
				{op: 'replace', path: '/data/CANARY_PERCENTAGE', value: '25'},
			],
		});
		expect(plan.steps[1]).toMatchObject({
			target: {...deploymentKind, name: 'canary-router'},
			body: [
				{op: 'test', path: '/metadata/generation', value: 1},
				{
					op: 'add',
					path: '/spec/template/metadata/annotations',
					value: {
						'kubectl.kubernetes.io/restartedAt': now,
						'cutover.dev/router-loaded-weight': '25',
					},
				},
			],
		});
		expect(plan.steps[1]!.description).toContain('a ConfigMap reaches pods when they start');
	});

	it('rolls back an unreadable percentage by testing the text seen', () => {
		const plan = planOf('rollback', {env: seedEnv('ten')});
		expect(plan.summary).toBe('roll back canary-router: no traffic to the canary ("ten"% -> 0%)');
		expect((plan.steps[0] as {body: unknown}).body).toEqual([
			{op: 'test', path: envPath, value: 'ten'},
			{op: 'replace', path: envPath, value: '0'},
		]);
	});

	it("finalizes: stable takes the canary's image, then the percentage goes to 0", () => {
		const plan = planOf('finalize', {env: seedEnv('50'), sets: [{percent: '50', pods: 2}]});
		expect(plan.steps.map((s) => `${s.kind} ${'target' in s ? s.target.name : ''}`)).toEqual([
			'request web-stable',
			'wait web-stable',
			'request canary-router',
			'wait canary-router',
		]);
		expect((plan.steps[0] as {body: unknown}).body).toEqual([
			{
				op: 'test',
				path: '/spec/template/spec/containers/0/image',
				value: 'registry.example.com/web:1.4.0',
			},
			{
				op: 'replace',
				path: '/spec/template/spec/containers/0/image',
				value: 'registry.example.com/web:1.5.0',
			},
		]);
	});

	it('does not step a canary without ready pods', () => {
		expect(state(detect({canaryReady: 0}), 'step')?.reason).toBe(
			'canary web-canary has no ready pods',
		);
	});
});
