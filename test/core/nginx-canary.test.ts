import {describe, expect, it} from 'vitest';
import {planLines} from '../../source/core/plan-text.js';
import {registry} from '../../source/core/strategies/index.js';
import {nginxCanary} from '../../source/core/strategies/nginx-canary.js';
import type {
	ActionName,
	ActionState,
	KubeObject,
	Plan,
	Rollout,
	Snapshot,
	Track,
} from '../../source/core/types.js';
import {loadScenario} from '../../source/sim/scenario.js';
import {snapshotOf} from '../fixtures/blue-green.js';
import {
	canaryAnnotations,
	ingress,
	nginx,
	type ShopOptions,
	shopDeployment,
	shopDeployments,
	shopSnapshot,
} from '../fixtures/nginx-canary.js';

/** What the patterns under test make of it; the Deployments nothing pairs are rolling updates (test/commands/rolling.test.ts). */
const detected = (snapshot: Snapshot) =>
	registry.detect(snapshot).filter((r) => r.strategy !== 'rolling');

const weightPath = '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight';
const unsafe: ActionName[] = ['step', 'promote', 'finalize', 'rollback'];

function only(snapshot: Snapshot): Rollout {
	const rollouts = detected(snapshot);
	expect(rollouts.map((r) => r.name)).toEqual(['shop-canary']);
	return rollouts[0]!;
}

function shop(options: ShopOptions = {}): Rollout {
	return only(shopSnapshot(options));
}

/** stable: the baseline traffic comes from; canary: the candidate it goes to. */
function track(rollout: Rollout, role: 'stable' | 'canary'): Track {
	const side = role === 'stable' ? 'baseline' : 'candidate';
	const found = rollout.tracks.find((t) => t.side === side);
	if (!found) throw new Error(`no ${role} track in ${JSON.stringify(rollout.tracks)}`);
	return found;
}

function action(rollout: Rollout, name: ActionName): ActionState {
	const found = rollout.actions.find((a) => a.action === name);
	if (!found) throw new Error(`no action ${name} in ${JSON.stringify(rollout.actions)}`);
	return found;
}

function planOf(name: ActionName, snapshot: Snapshot, rollout: Rollout = only(snapshot)): Plan {
	const result = registry.plan(name, rollout, snapshot);
	if ('error' in result) throw new Error(`expected a plan, got: ${result.error}`);
	// The confirm dialog's text must render for every plan.
	expect(planLines(result.plan).length).toBeGreaterThan(0);
	return result.plan;
}

function planError(
	name: ActionName,
	snapshot: Snapshot,
	rollout: Rollout = only(snapshot),
): string {
	const result = registry.plan(name, rollout, snapshot);
	if (!('error' in result)) throw new Error(`expected an error, got plan ${result.plan.summary}`);
	return result.error;
}

function weightOps(from: string, to: string) {
	return [
		{op: 'test', path: weightPath, value: from},
		{op: 'replace', path: weightPath, value: to},
	];
}

const ingressKind = {
	group: 'networking.k8s.io',
	version: 'v1',
	plural: 'ingresses',
	kind: 'Ingress',
};
const deploymentKind = {group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment'};

const canaryIngressRef = {
	group: 'networking.k8s.io',
	version: 'v1',
	plural: 'ingresses',
	kind: 'Ingress',
	namespace: 'shop',
	name: 'shop-canary',
};

describe('nginxCanary.detect on the seed shop', () => {
	it('finds shop-canary as one rollout at weight 10/100 with the default steps', () => {
		const rollout = shop();
		expect(rollout).toMatchObject({
			id: 'nginx-canary/shop/shop-canary',
			namespace: 'shop',
			name: 'shop-canary',
			strategy: 'nginx-canary',
			strategyLabel: 'nginx',
			summary: 'canary Ingress shop-canary',
			phase: 'Canary',
			health: 'progressing',
			traffic: {kind: 'split', weight: 10, total: 100, steps: [5, 25, 50, 100], routing: []},
			problems: [],
		});
		expect(track(rollout, 'stable')).toEqual({
			key: 'stable',
			title: 'STABLE',
			side: 'baseline',
			serving: true,
			workload: {...deploymentKind, namespace: 'shop', name: 'shop-stable'},
			images: ['shop:2.3.0'],
			replicas: {desired: 3, updated: 3, ready: 3, available: 3},
			weight: 90,
			rollingOut: false,
			series: {nginx: 'stable', app: 'stable'},
		});
		expect(track(rollout, 'canary')).toEqual({
			key: 'canary',
			title: 'CANARY',
			side: 'candidate',
			serving: true,
			workload: {...deploymentKind, namespace: 'shop', name: 'shop-canary'},
			images: ['shop:2.4.0'],
			replicas: {desired: 1, updated: 1, ready: 1, available: 1},
			weight: 10,
			rollingOut: false,
			series: {nginx: 'canary', app: 'canary'},
		});
		expect(rollout.objects).toEqual([
			{...ingressKind, namespace: 'shop', name: 'shop-canary'},
			{...ingressKind, namespace: 'shop', name: 'shop'},
			{...deploymentKind, namespace: 'shop', name: 'shop-stable'},
			{...deploymentKind, namespace: 'shop', name: 'shop-canary'},
		]);
		for (const name of unsafe)
			expect(action(rollout, name)).toEqual({action: name, available: true});
	});

	it('reads canary-weight-total: 10 of 200 is 5 %, default steps scale to the total', () => {
		const rollout = shop({canary: {[`${nginx}canary-weight-total`]: '200'}});
		expect(rollout.traffic).toEqual({
			kind: 'split',
			weight: 10,
			total: 200,
			steps: [10, 50, 100, 200],
			routing: [],
		});
		expect(rollout.problems).toEqual([]);
		expect(track(rollout, 'stable').weight).toBe(95);
		expect(track(rollout, 'canary').weight).toBe(5);
	});

	it('reads the steps from cutover.dev/steps', () => {
		const rollout = shop({canary: {'cutover.dev/steps': '10,20,50,100'}});
		expect(rollout.traffic).toMatchObject({weight: 10, steps: [10, 20, 50, 100]});
		expect(rollout.problems).toEqual([]);
		const plan = planOf('step', shopSnapshot({canary: {'cutover.dev/steps': '10,20,50,100'}}));
		expect(plan.steps[0]).toMatchObject({kind: 'request', body: weightOps('10', '20')});
	});

	it('a canary without the weight annotation is at weight 0: Stable, all traffic on stable', () => {
		const rollout = shop({canary: {[`${nginx}canary-weight`]: undefined}});
		expect(rollout.traffic).toMatchObject({weight: 0, total: 100});
		expect(rollout.phase).toBe('Stable');
		expect(rollout.problems).toEqual([]);
		expect(track(rollout, 'stable').weight).toBe(100);
		expect(track(rollout, 'canary').weight).toBe(0);
		expect(action(rollout, 'rollback')).toMatchObject({available: false});
	});

	it('at weight 100 the canary takes all traffic: Promoted, no step, no promote', () => {
		const rollout = shop({canary: {[`${nginx}canary-weight`]: '100'}});
		expect(rollout.phase).toBe('Promoted');
		expect(track(rollout, 'stable').weight).toBe(0);
		expect(track(rollout, 'canary').weight).toBe(100);
		expect(action(rollout, 'step')).toEqual({
			action: 'step',
			available: false,
			reason: 'the canary already takes all traffic (100/100)',
		});
		expect(action(rollout, 'promote')).toMatchObject({available: false});
		expect(action(rollout, 'finalize').available).toBe(true);
		expect(action(rollout, 'rollback').available).toBe(true);
	});

	it('a canary with no ready pods cannot be stepped, promoted or finalized; it can be rolled back', () => {
		const rollout = shop({
			canaryDeployment: {status: {readyReplicas: 0, availableReplicas: 0}},
		});
		for (const name of ['step', 'promote', 'finalize'] as const)
			expect(action(rollout, name)).toEqual({
				action: name,
				available: false,
				reason: 'canary shop-canary has no ready pods',
			});
		expect(action(rollout, 'rollback').available).toBe(true);
	});

	it('shows header and cookie routing, which bypass the weight', () => {
		const byValue = shop({
			canary: {
				[`${nginx}canary-by-header`]: 'X-Canary',
				[`${nginx}canary-by-header-value`]: 'beta',
				[`${nginx}canary-by-header-pattern`]: '^be.*',
				[`${nginx}canary-by-cookie`]: 'shop_canary',
			},
		});
		expect(byValue.traffic).toMatchObject({
			routing: [
				'header X-Canary: beta -> canary',
				'cookie shop_canary: always -> canary, never -> stable',
			],
		});
		const byPattern = shop({
			canary: {
				[`${nginx}canary-by-header`]: 'X-Canary',
				[`${nginx}canary-by-header-pattern`]: '^be.*',
			},
		});
		expect(byPattern.traffic).toMatchObject({
			routing: ['header X-Canary matching /^be.*/ -> canary'],
		});
		const byHeader = shop({canary: {[`${nginx}canary-by-header`]: 'X-Canary'}});
		expect(byHeader.traffic).toMatchObject({
			routing: ['header X-Canary: always -> canary, never -> stable'],
		});
		// Routing is not a problem: the weight still moves.
		expect(byValue.problems).toEqual([]);
		expect(action(byValue, 'step').available).toBe(true);
	});
});

describe('nginxCanary.detect with bad annotations: listed, marked, never thrown', () => {
	it.for([{weight: 'abc'}, {weight: '150'}, {weight: '-5'}, {weight: ''}, {weight: '1.5'}])(
		'canary-weight "$weight": weight null, Invalid, every weight move unavailable but rollback',
		({weight}) => {
			const snapshot = shopSnapshot({canary: {[`${nginx}canary-weight`]: weight}});
			const rollout = only(snapshot);
			expect(rollout.phase).toBe('Invalid');
			expect(rollout.traffic).toMatchObject({kind: 'split', weight: null, total: 100});
			expect(rollout.problems).toEqual([
				`canary-weight "${weight}" is not an integer in 0..100: fix the annotation before stepping`,
			]);
			for (const name of unsafe.filter((n) => n !== 'rollback')) {
				const state = action(rollout, name);
				expect(state.available).toBe(false);
				expect(state.reason).toContain(`canary-weight "${weight}"`);
				expect(planError(name, snapshot)).toContain(`canary-weight "${weight}"`);
			}
			// Taking the canary out is safe whatever nginx makes of the text: test it, write 0.
			expect(action(rollout, 'rollback')).toEqual({action: 'rollback', available: true});
			expect(planOf('rollback', snapshot).steps[0]).toMatchObject({body: weightOps(weight, '0')});
			// Never a guess: the tracks carry no share of an unreadable weight as if it were real.
			expect(rollout.tracks.map((t) => t.workload.name)).toEqual(['shop-stable', 'shop-canary']);
			expect(rollout.tracks.map((t) => t.weight)).toEqual([null, null]);
		},
	);

	it.for([{total: '0'}, {total: 'x'}, {total: '-100'}])(
		'canary-weight-total "$total": a problem; weight moves are unavailable, rollback is not',
		({total}) => {
			const snapshot = shopSnapshot({canary: {[`${nginx}canary-weight-total`]: total}});
			const rollout = only(snapshot);
			expect(rollout.problems).toEqual([
				expect.stringContaining(`canary-weight-total "${total}" is not a positive integer`),
			]);
			expect(rollout.traffic).toMatchObject({weight: 10, total: 100});
			for (const name of ['step', 'promote'] as const) {
				const state = action(rollout, name);
				expect(state.available).toBe(false);
				expect(state.reason).toContain(`canary-weight-total "${total}"`);
				expect(planError(name, snapshot)).toContain(`canary-weight-total "${total}"`);
			}
			// Weight 0 is 0 of any total: taking the canary out stays possible.
			expect(action(rollout, 'rollback')).toEqual({action: 'rollback', available: true});
			expect(planOf('rollback', snapshot).steps[0]).toMatchObject({body: weightOps('10', '0')});
		},
	);

	it.for([{steps: '10,5'}, {steps: 'a,b'}, {steps: '0,50'}, {steps: '10,200'}, {steps: ''}])(
		'cutover.dev/steps "$steps": a problem; step unavailable, promote and rollback still work',
		({steps}) => {
			const snapshot = shopSnapshot({canary: {'cutover.dev/steps': steps}});
			const rollout = only(snapshot);
			expect(rollout.problems).toEqual([
				`cutover.dev/steps "${steps}" does not parse: give rising integers in 1..100, like 10,20,50,100`,
			]);
			expect(rollout.traffic).toMatchObject({weight: 10, total: 100, steps: []});
			const step = action(rollout, 'step');
			expect(step.available).toBe(false);
			expect(step.reason).toContain(`cutover.dev/steps "${steps}"`);
			expect(planError('step', snapshot)).toContain(`cutover.dev/steps "${steps}"`);
			expect(action(rollout, 'promote').available).toBe(true);
			expect(action(rollout, 'rollback').available).toBe(true);
			expect(planOf('promote', snapshot).steps[0]).toMatchObject({body: weightOps('10', '100')});
		},
	);

	it('two canary Ingresses for one rule: both listed, both blocked, naming each other', () => {
		const rival = ingress({
			name: 'shop-canary-2',
			service: 'shop-canary',
			annotations: canaryAnnotations({[`${nginx}canary-weight`]: '50'}),
		});
		const snapshot = shopSnapshot({extraIngresses: [rival]});
		const rollouts = detected(snapshot);
		expect(rollouts.map((r) => r.name).sort()).toEqual(['shop-canary', 'shop-canary-2']);
		const problem =
			'2 canary Ingresses for shop.example.com/ (shop-canary, shop-canary-2): nginx allows one';
		for (const rollout of rollouts) {
			expect(rollout.phase).toBe('Invalid');
			expect(rollout.problems).toContain(problem);
			for (const name of unsafe)
				expect(action(rollout, name)).toEqual({action: name, available: false, reason: problem});
			expect(planError('step', snapshot, rollout)).toBe(`cannot step ${rollout.name}: ${problem}`);
		}
		// A canary for another path is no rival.
		const other = ingress({
			name: 'shop-api-canary',
			path: '/api',
			service: 'shop-canary',
			annotations: canaryAnnotations(),
		});
		const apart = detected(shopSnapshot({extraIngresses: [other]}));
		expect(apart.find((r) => r.name === 'shop-canary')!.problems).toEqual([]);
	});

	it('a canary with no primary: listed with the canary track, every action unavailable', () => {
		const snapshot = shopSnapshot({noPrimary: true});
		const rollout = only(snapshot);
		const problem = 'no primary Ingress for shop.example.com/: nginx ignores a canary without one';
		expect(rollout.phase).toBe('Invalid');
		expect(rollout.problems).toEqual([problem]);
		expect(rollout.tracks.map((t) => `${t.key} ${t.workload.name}`)).toEqual([
			'canary shop-canary',
		]);
		for (const name of unsafe)
			expect(action(rollout, name)).toEqual({action: name, available: false, reason: problem});
		expect(planError('finalize', snapshot)).toBe(`cannot finalize shop-canary: ${problem}`);
	});

	it('a primary for another host does not pair', () => {
		const snapshot = snapshotOf({
			...shopSnapshot({noPrimary: true}).parts,
			ingresses: [
				ingress({name: 'shop', host: 'other.example.com', service: 'shop-stable'}),
				...(shopSnapshot({noPrimary: true}).parts.ingresses ?? []),
			],
		});
		expect(only(snapshot).problems[0]).toMatch(/^no primary Ingress for shop\.example\.com\//);
	});

	it('a backend Service with no Deployment behind it is a problem, not a crash', () => {
		const {parts} = shopSnapshot();
		const snapshot = snapshotOf({
			...parts,
			deployments: (parts.deployments ?? []).filter((d) => d.metadata.name !== 'shop-canary'),
		});
		const rollout = only(snapshot);
		expect(rollout.problems).toEqual([
			'no Deployment behind Service shop-canary (the canary backend)',
		]);
		expect(action(rollout, 'step')).toMatchObject({
			available: false,
			reason: 'no canary Deployment found behind the canary Ingress',
		});
	});

	it('an Ingress with only canary: "false" or no rules does not throw', () => {
		const noRules: KubeObject = {
			...ingress({name: 'empty-canary', service: 'x', annotations: canaryAnnotations()}),
			spec: {},
		};
		const notCanary = ingress({
			name: 'shop-other',
			service: 'shop-canary',
			annotations: {[`${nginx}canary`]: 'false'},
		});
		const rollouts = detected(shopSnapshot({extraIngresses: [noRules, notCanary]}));
		expect(rollouts.map((r) => r.name).sort()).toEqual(['empty-canary', 'shop-canary']);
		const empty = rollouts.find((r) => r.name === 'empty-canary')!;
		expect(empty.problems).toContain('the canary Ingress has no rule');
		expect(action(empty, 'step').available).toBe(false);
	});
});

describe('canary Ingresses of Flagger and Argo Rollouts are theirs', () => {
	const owned = (apiVersion: string, kind: string) =>
		ingress({
			name: 'shop-canary',
			service: 'shop-canary',
			annotations: canaryAnnotations(),
			ownerReferences: [
				{
					apiVersion,
					kind,
					name: 'shop',
					uid: '3f6c2a9e-0000-4c8e-9a27-6e0d4b1f8c31',
					controller: true,
				},
			],
		});

	it.for([
		['flagger.app/v1beta1', 'Canary'],
		['argoproj.io/v1alpha1', 'Rollout'],
	])('owned by %s %s: no nginx-canary rollout', ([apiVersion, kind]) => {
		// Skipped by the registry's claims (controllers cutover does not drive), not by the strategy.
		const snapshot = snapshotOf({
			...shopSnapshot({noPrimary: false}).parts,
			ingresses: [ingress({name: 'shop', service: 'shop-stable'}), owned(apiVersion!, kind!)],
		});
		expect(detected(snapshot).filter((r) => r.strategy === 'nginx-canary')).toEqual([]);
	});

	it('owned by something else (a Helm-made owner): still ours', () => {
		const snapshot = snapshotOf({
			...shopSnapshot().parts,
			ingresses: [
				ingress({name: 'shop', service: 'shop-stable'}),
				owned('example.com/v1', 'Canary'),
			],
		});
		expect(detected(snapshot).map((r) => r.name)).toEqual(['shop-canary']);
	});

	it('in the seed scenario only shop/shop-canary is an nginx canary', () => {
		const objects = loadScenario('seed').objects as unknown as KubeObject[];
		const of = (kind: string) => objects.filter((o) => o.kind === kind);
		const snapshot = snapshotOf({
			ingresses: of('Ingress'),
			services: of('Service'),
			deployments: of('Deployment'),
			replicaSets: of('ReplicaSet'),
			configMaps: of('ConfigMap'),
		});
		// The seed holds Flagger's and Argo's canary Ingresses too.
		expect(
			of('Ingress')
				.filter((i) => i.metadata.annotations?.[`${nginx}canary`] === 'true')
				.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)
				.sort(),
		).toEqual([
			'argo/rollouts-demo-rollouts-demo-canary',
			'shop/shop-canary',
			'test/podinfo-canary',
		]);
		expect(
			registry
				.detect(snapshot)
				.filter((r) => r.strategy === 'nginx-canary')
				.map((r) => r.id),
		).toEqual(['nginx-canary/shop/shop-canary']);
	});
});

describe('nginxCanary.plan', () => {
	it('step: tests "10", replaces with "25"; a CutoverStep Event on the canary Ingress', () => {
		const plan = planOf('step', shopSnapshot());
		expect(plan).toEqual({
			action: 'step',
			rolloutId: 'nginx-canary/shop/shop-canary',
			summary: 'step shop-canary from 10 to 25 of 100',
			changes: true,
			steps: [
				{
					kind: 'request',
					description: 'set canary-weight of Ingress shop-canary from 10 to 25',
					target: canaryIngressRef,
					patchType: 'json',
					body: weightOps('10', '25'),
					precondition: {path: weightPath, expected: '10', what: 'the canary weight'},
				},
			],
			audit: {
				target: canaryIngressRef,
				reason: 'CutoverStep',
				message: 'canary weight 10 -> 25 on shop/shop-canary',
			},
		});
	});

	it.for([
		{weight: '0', next: '5'},
		{weight: '5', next: '25'},
		{weight: '25', next: '50'},
		{weight: '30', next: '50'},
		{weight: '50', next: '100'},
		{weight: '99', next: '100'},
	])('step from $weight goes to $next (the next step above)', ({weight, next}) => {
		const plan = planOf('step', shopSnapshot({canary: {[`${nginx}canary-weight`]: weight}}));
		expect(plan.steps).toHaveLength(1);
		expect(plan.steps[0]).toMatchObject({body: weightOps(weight, next)});
	});

	it('promote: weight to the total at once', () => {
		const plan = planOf('promote', shopSnapshot());
		expect(plan.steps).toEqual([expect.objectContaining({body: weightOps('10', '100')})]);
		expect(plan.audit.reason).toBe('CutoverPromote');
		const total200 = planOf(
			'promote',
			shopSnapshot({canary: {[`${nginx}canary-weight-total`]: '200'}}),
		);
		expect(total200.steps[0]).toMatchObject({body: weightOps('10', '200')});
	});

	it('rollback: weight 0 at once', () => {
		const plan = planOf('rollback', shopSnapshot({canary: {[`${nginx}canary-weight`]: '50'}}));
		expect(plan.steps).toEqual([expect.objectContaining({body: weightOps('50', '0')})]);
		expect(plan.audit.reason).toBe('CutoverRollback');
	});

	it('a weight written with spaces (" 10") is tested as written, not as the number', () => {
		const plan = planOf('step', shopSnapshot({canary: {[`${nginx}canary-weight`]: ' 10'}}));
		expect(plan.steps[0]).toMatchObject({
			body: [
				{op: 'test', path: weightPath, value: ' 10'},
				{op: 'replace', path: weightPath, value: '25'},
			],
		});
	});

	it('finalize: stable takes the canary image, waits for its rollout, then weight 0', () => {
		const plan = planOf('finalize', shopSnapshot());
		const stableRef = {
			group: 'apps',
			version: 'v1',
			plural: 'deployments',
			kind: 'Deployment',
			namespace: 'shop',
			name: 'shop-stable',
		};
		const image = '/spec/template/spec/containers/0/image';
		expect(plan.steps).toEqual([
			{
				kind: 'request',
				description: "set shop-stable to the canary's images (shop:2.4.0)",
				target: stableRef,
				patchType: 'json',
				body: [
					{op: 'test', path: image, value: 'shop:2.3.0'},
					{op: 'replace', path: image, value: 'shop:2.4.0'},
				],
				precondition: {path: image, expected: 'shop:2.3.0', what: 'the image of shop-stable'},
			},
			{
				kind: 'wait',
				description: 'wait for shop-stable to roll out, weight stays 10',
				target: stableRef,
				until: 'rolled-out',
				timeoutSeconds: 300,
			},
			expect.objectContaining({
				kind: 'request',
				target: canaryIngressRef,
				body: weightOps('10', '0'),
			}),
		]);
		expect(plan.audit).toEqual({
			target: canaryIngressRef,
			reason: 'CutoverFinalize',
			message:
				'stable shop-stable now runs shop:2.4.0 (was shop:2.3.0), canary weight 10 -> 0 on shop/shop-canary',
		});
	});

	it('finalize at weight 0: the image change and the wait, no weight step', () => {
		const plan = planOf('finalize', shopSnapshot({canary: {[`${nginx}canary-weight`]: '0'}}));
		expect(plan.steps.map((s) => s.kind)).toEqual(['request', 'wait']);
		expect(plan.steps.some((s) => s.kind === 'request' && s.target.plural === 'ingresses')).toBe(
			false,
		);
	});

	it('finalize when stable already runs the canary image: only the weight step', () => {
		const snapshot = shopSnapshot({stable: {image: 'shop:2.4.0'}});
		const plan = planOf('finalize', snapshot);
		expect(plan.steps).toEqual([
			expect.objectContaining({target: canaryIngressRef, body: weightOps('10', '0')}),
		]);
		// ... and at weight 0 there is nothing left to do.
		const done = only(
			shopSnapshot({stable: {image: 'shop:2.4.0'}, canary: {[`${nginx}canary-weight`]: '0'}}),
		);
		expect(action(done, 'finalize')).toEqual({
			action: 'finalize',
			available: false,
			reason: 'stable already runs the canary images and the weight is 0',
		});
	});

	it('finalize matches containers by name, whatever their order', () => {
		const withSidecar = (object: KubeObject, shopImage: string, proxy: string) => {
			object.spec.template.spec.containers = [
				{name: 'shop', image: shopImage},
				{name: 'envoy', image: proxy},
			];
		};
		const deployments = shopDeployments();
		const [stable, canary] = deployments as [KubeObject, KubeObject];
		withSidecar(stable, 'shop:2.3.0', 'envoy:1.29');
		canary.spec.template.spec.containers = [
			{name: 'envoy', image: 'envoy:1.30'},
			{name: 'shop', image: 'shop:2.4.0'},
		];
		const snapshot = snapshotOf({...shopSnapshot().parts, deployments});
		const plan = planOf('finalize', snapshot);
		expect(plan.steps[0]).toMatchObject({
			kind: 'request',
			body: [
				{op: 'test', path: '/spec/template/spec/containers/0/image', value: 'shop:2.3.0'},
				{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop:2.4.0'},
				{op: 'test', path: '/spec/template/spec/containers/1/image', value: 'envoy:1.29'},
				{op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'envoy:1.30'},
			],
		});
	});

	it('a canary without the weight annotation: tests the resourceVersion, then adds it', () => {
		const snapshot = shopSnapshot({canary: {[`${nginx}canary-weight`]: undefined}});
		const rv = snapshot.parts.ingresses!.find((i) => i.metadata.name === 'shop-canary')!.metadata
			.resourceVersion;
		expect(rv).toMatch(/^\d+$/);
		const plan = planOf('step', snapshot);
		expect(plan.steps[0]).toMatchObject({
			kind: 'request',
			body: [
				{op: 'test', path: '/metadata/resourceVersion', value: rv},
				{op: 'add', path: weightPath, value: '5'},
			],
		});
		expect(planOf('promote', snapshot).steps[0]).toMatchObject({
			body: [
				{op: 'test', path: '/metadata/resourceVersion', value: rv},
				{op: 'add', path: weightPath, value: '100'},
			],
		});
	});

	it('an action the canary does not have is an error, not a throw', () => {
		const snapshot = shopSnapshot();
		const rollout = only(snapshot);
		// The strategy's own answer, and what the registry (the console, `act`) says first.
		expect(nginxCanary.plan('switch', rollout, snapshot)).toEqual({
			error: 'switch is not an action of an nginx canary',
			usage: true,
		});
		expect(nginxCanary.plan('deploy', rollout, snapshot)).toEqual({
			error: 'deploy is not an action of an nginx canary',
			usage: true,
		});
		for (const name of ['switch', 'deploy'] as const)
			expect(registry.plan(name, rollout, snapshot)).toEqual({
				error: `${name} is not an action of shop-canary (nginx); it offers step, promote, finalize, rollback`,
				usage: true,
			});
	});

	it('a stable Deployment of another image name still gets the canary image (one container)', () => {
		const stable = shopDeployment({
			name: 'shop-stable',
			track: 'stable',
			image: 'registry.example.com/shop:2.3.0',
		});
		stable.spec.template.spec.containers[0].name = 'web';
		const [, canary] = shopDeployments();
		const snapshot = snapshotOf({...shopSnapshot().parts, deployments: [stable, canary!]});
		const plan = planOf('finalize', snapshot);
		expect(plan.steps[0]).toMatchObject({
			body: [
				{
					op: 'test',
					path: '/spec/template/spec/containers/0/image',
					value: 'registry.example.com/shop:2.3.0',
				},
				{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop:2.4.0'},
			],
		});
	});
});
