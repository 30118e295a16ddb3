import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {applyPlan} from '../../source/cluster/apply.js';
import {KubeClient} from '../../source/cluster/client.js';
import {connect} from '../../source/cluster/config.js';
import {fetchSnapshot} from '../../source/cluster/snapshot.js';
import {type ActOptions, runAction} from '../../source/commands/act.js';
import {CommandError} from '../../source/commands/exit-codes.js';
import {runStatus} from '../../source/commands/status.js';
import {registry} from '../../source/core/strategies/index.js';
import {nginxCanary} from '../../source/core/strategies/nginx-canary.js';
import {behaviourFor} from '../../source/sim/scenario.js';
import type {KubeObject} from '../../source/sim/store.js';
import {
	collector,
	get,
	nonTtyInput,
	startCluster,
	type TestCluster,
	typeOf,
	until,
} from '../helpers/sim-cluster.js';

const actor = 'alice@bastion-1';
const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';
const ingressPath = '/apis/networking.k8s.io/v1/namespaces/shop/ingresses/shop-canary';
const stablePath = '/apis/apps/v1/namespaces/shop/deployments/shop-stable';

let cluster: TestCluster;

function weight(c: TestCluster = cluster): string | undefined {
	return get(c.sim, 'ingresses', 'shop-canary', 'shop').metadata.annotations?.[weightKey];
}

function setWeight(value: string, c: TestCluster = cluster): void {
	c.sim.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
		metadata: {annotations: {[weightKey]: value}},
	});
}

function deployment(name: string, c: TestCluster = cluster): KubeObject {
	return get(c.sim, 'deployments', name, 'shop');
}

function rolledOut(d: KubeObject): boolean {
	const s = d.status ?? {};
	return (
		s.observedGeneration === d.metadata.generation &&
		s.updatedReplicas === d.spec.replicas &&
		s.readyReplicas === d.spec.replicas &&
		s.availableReplicas === d.spec.replicas &&
		s.replicas === d.spec.replicas
	);
}

async function shopSettled(c: TestCluster = cluster): Promise<void> {
	await until('shop-stable and shop-canary to be ready', () =>
		['shop-stable', 'shop-canary'].every((name) => rolledOut(deployment(name, c))),
	);
}

function cutoverEvents(c: TestCluster = cluster) {
	return c.sim.store
		.peek(typeOf('events'), {namespace: 'shop'})
		.filter((e) => e.reportingComponent === 'cutover');
}

async function act(options: Partial<ActOptions> & Pick<ActOptions, 'action' | 'name'>) {
	const out = collector();
	const code = await runAction(
		{
			kubeconfig: cluster.kubeconfig,
			namespace: 'shop',
			yes: true,
			dryRun: false,
			actor,
			...options,
		},
		{out, input: nonTtyInput()},
	);
	return {code, text: out.text()};
}

async function failing(
	options: Partial<ActOptions> & Pick<ActOptions, 'action' | 'name'>,
): Promise<{error: CommandError; text: string}> {
	const out = collector();
	const error = await runAction(
		{
			kubeconfig: cluster.kubeconfig,
			namespace: 'shop',
			yes: true,
			dryRun: false,
			actor,
			...options,
		},
		{out, input: nonTtyInput()},
	).then(
		(code) => {
			throw new Error(`expected ${options.action} to fail, it exited ${code}:\n${out.text()}`);
		},
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(CommandError);
	return {error: error as CommandError, text: out.text()};
}

type StatusJson = {
	rollouts: Array<{
		namespace: string;
		name: string;
		strategy: string;
		phase: string;
		traffic: {
			kind: string;
			weight: number | null;
			total: number;
			steps: number[];
			routing: string[];
		};
		tracks: Array<{key: string; side: string; workload: string; images: string[]; weight: number}>;
		problems: string[];
		actions: Array<{action: string; available: boolean; reason?: string}>;
	}>;
};

async function statusJson(): Promise<StatusJson> {
	const out = collector();
	expect(
		await runStatus({kubeconfig: cluster.kubeconfig, namespace: 'shop', json: true}, out),
	).toBe(0);
	return JSON.parse(out.text()) as StatusJson;
}

describe('nginx canary subcommands on the simulated seed', () => {
	beforeEach(async () => {
		cluster = await startCluster();
		await shopSettled();
	});

	afterEach(async () => {
		await cluster.stop();
	});

	it('status -n shop --json reports weight 10/100, steps 5,25,50,100 and tracks 90/10', async () => {
		const {rollouts} = await statusJson();
		expect(rollouts.map((r) => `${r.strategy}/${r.namespace}/${r.name}`)).toEqual([
			'nginx-canary/shop/shop-canary',
		]);
		const [shop] = rollouts;
		expect(shop).toMatchObject({
			phase: 'Canary',
			traffic: {kind: 'split', weight: 10, total: 100, steps: [5, 25, 50, 100], routing: []},
			problems: [],
		});
		expect(shop!.tracks.map((t) => [t.key, t.side, t.workload, t.images, t.weight])).toEqual([
			['stable', 'baseline', 'shop-stable', ['shop:2.3.0'], 90],
			['canary', 'candidate', 'shop-canary', ['shop:2.4.0'], 10],
		]);
		expect(shop!.actions).toEqual([
			{action: 'step', available: true},
			{action: 'promote', available: true},
			{action: 'finalize', available: true},
			{action: 'rollback', available: true},
		]);
	});

	it('status (all namespaces) lists the shop canary but not the Flagger or Argo canary Ingresses', async () => {
		const out = collector();
		expect(
			await runStatus({kubeconfig: cluster.kubeconfig, allNamespaces: true, json: true}, out),
		).toBe(0);
		const {rollouts} = JSON.parse(out.text()) as StatusJson;
		expect(rollouts.filter((r) => r.strategy === 'nginx-canary').map((r) => r.name)).toEqual([
			'shop-canary',
		]);
		expect(rollouts.map((r) => r.name)).not.toContain('podinfo-canary');
		expect(rollouts.map((r) => r.name)).not.toContain('rollouts-demo-rollouts-demo-canary');
	});

	it('step --yes: the Ingress says 25, a CutoverStep Event on it', async () => {
		const {code, text} = await act({action: 'step', name: 'shop-canary'});
		expect(code).toBe(0);
		expect(text).toContain('step shop-canary from 10 to 25 of 100: done');
		expect(weight()).toBe('25');
		const ingress = get(cluster.sim, 'ingresses', 'shop-canary', 'shop');
		const event = await until('the CutoverStep Event', () =>
			cutoverEvents().find((e) => e.reason === 'CutoverStep'),
		);
		expect(event).toMatchObject({
			type: 'Normal',
			involvedObject: {
				kind: 'Ingress',
				name: 'shop-canary',
				namespace: 'shop',
				uid: ingress.metadata.uid,
			},
			message: `canary weight 10 -> 25 on shop/shop-canary by ${actor}`,
		});
		// Nothing else moved.
		expect(deployment('shop-stable').spec.template.spec.containers[0].image).toBe('shop:2.3.0');
		const {rollouts} = await statusJson();
		expect(rollouts[0]!.traffic.weight).toBe(25);
		expect(rollouts[0]!.tracks.map((t) => t.weight)).toEqual([75, 25]);
	});

	it('walks the progression: step 25, step 50, promote 100, rollback 0', async () => {
		await act({action: 'step', name: 'shop-canary'});
		expect(weight()).toBe('25');
		await act({action: 'step', name: 'shop-canary'});
		expect(weight()).toBe('50');
		const promoted = await act({action: 'promote', name: 'shop-canary'});
		expect(promoted.code).toBe(0);
		expect(weight()).toBe('100');
		const {rollouts} = await statusJson();
		expect(rollouts[0]).toMatchObject({phase: 'Promoted', traffic: {weight: 100}});
		expect(rollouts[0]!.actions.find((a) => a.action === 'step')).toEqual({
			action: 'step',
			available: false,
			reason: 'the canary already takes all traffic (100/100)',
		});
		const rolledBack = await act({action: 'rollback', name: 'shop-canary'});
		expect(rolledBack.code).toBe(0);
		expect(weight()).toBe('0');
		await until('CutoverPromote and CutoverRollback Events', () => {
			const reasons = cutoverEvents().map((e) => e.reason);
			return reasons.includes('CutoverPromote') && reasons.includes('CutoverRollback');
		});
	});

	it('promote --dry-run changes nothing', async () => {
		const {code, text} = await act({action: 'promote', name: 'shop-canary', dryRun: true});
		expect(code).toBe(0);
		expect(text).toContain('dry run: nothing was changed');
		expect(weight()).toBe('10');
	});

	it('finalize: shop-stable takes shop:2.4.0, rolls out, then the weight goes to 0', async () => {
		const {code, text} = await act({action: 'finalize', name: 'shop-canary'});
		expect(code).toBe(0);
		const stable = deployment('shop-stable');
		expect(stable.spec.template.spec.containers[0].image).toBe('shop:2.4.0');
		// The weight went to 0 only after the stable rollout finished.
		expect(rolledOut(stable)).toBe(true);
		expect(weight()).toBe('0');
		const lines = text.split('\n');
		const rolled = lines.findIndex((l) => l.startsWith('✔ wait for shop-stable to roll out'));
		const zero = lines.findIndex((l) =>
			l.startsWith('✔ set canary-weight of Ingress shop-canary from 10 to 0'),
		);
		expect(rolled).toBeGreaterThan(-1);
		expect(zero).toBeGreaterThan(rolled);
		const event = await until('the CutoverFinalize Event', () =>
			cutoverEvents().find((e) => e.reason === 'CutoverFinalize'),
		);
		expect(event.message).toBe(
			`stable shop-stable now runs shop:2.4.0 (was shop:2.3.0), canary weight 10 -> 0 on shop/shop-canary by ${actor}`,
		);
		const {rollouts} = await statusJson();
		expect(rollouts[0]).toMatchObject({phase: 'Stable', traffic: {weight: 0}});
		expect(rollouts[0]!.actions.find((a) => a.action === 'finalize')).toMatchObject({
			available: false,
			reason: 'stable already runs the canary images and the weight is 0',
		});
	});

	it('a finalize whose stable rollout cannot be followed stops with the weight untouched', async () => {
		cluster.sim.api.faults.add({method: 'GET', path: stablePath, status: 500});
		const {error, text} = await failing({action: 'finalize', name: 'shop-canary'});
		expect(error.exitCode).toBe(1);
		expect(text).toContain('✖ wait for shop-stable to roll out, weight stays 10');
		expect(error.message).toContain('wait for shop-stable to roll out');
		expect(weight()).toBe('10');
		expect(cutoverEvents().filter((e) => e.reason === 'CutoverFinalize')).toEqual([]);
	});

	it('a weight changed between the read and the PATCH: exit 4, now 30, nothing else changed', async () => {
		cluster.sim.api.faults.add({method: 'PATCH', path: ingressPath, delayMs: 300, times: 1});
		const before = get(cluster.sim, 'ingresses', 'shop-canary', 'shop');
		const running = failing({action: 'step', name: 'shop-canary'});
		// The fault is taken (and removed) when the PATCH arrives; then another writer sets 30.
		const faults = cluster.sim.api.faults as unknown as {active: unknown[]};
		await until('the PATCH to arrive', () => faults.active.length === 0);
		setWeight('30');
		const {error} = await running;
		expect(error.exitCode).toBe(4);
		expect(error.message).toBe(
			'the canary weight changed since you looked: now 30; nothing was changed',
		);
		const after = get(cluster.sim, 'ingresses', 'shop-canary', 'shop');
		expect(after.metadata.annotations?.[weightKey]).toBe('30');
		expect({...after.metadata, resourceVersion: '', managedFields: undefined}).toEqual({
			...before.metadata,
			annotations: {...before.metadata.annotations, [weightKey]: '30'},
			resourceVersion: '',
			managedFields: undefined,
		});
		expect(cutoverEvents()).toEqual([]);
	});
});

describe('a finalize whose stable never becomes ready', () => {
	beforeEach(async () => {
		cluster = await startCluster();
		await shopSettled();
		// From now on shop:2.4.0's new pods take an hour to become Ready (a scenario saying so
		// from the start would keep the loaded canary's own pods unready too).
		cluster.sim.scenario.behaviours['shop:2.4.0'] = {
			...behaviourFor(cluster.sim.scenario, '*'),
			readyDelaySeconds: 3600,
		};
	});

	afterEach(async () => {
		await cluster.stop();
	});

	it('times out on the wait (the plan says how long) with the weight untouched', async () => {
		const {config, namespace} = connect({kubeconfig: cluster.kubeconfig, namespace: 'shop'});
		const client = new KubeClient(config);
		const snapshot = await fetchSnapshot(client, namespace, registry.watches);
		const rollout = registry.detect(snapshot).find((r) => r.strategy === nginxCanary.name)!;
		const planned = registry.plan('finalize', rollout, snapshot);
		if ('error' in planned) throw new Error(planned.error);
		const wait = planned.plan.steps[1];
		if (wait?.kind !== 'wait') throw new Error(`step 1 is ${wait?.kind}`);
		wait.timeoutSeconds = 1.5;
		const result = await applyPlan(client, planned.plan, {actor, pollMs: 100});
		expect(result).toMatchObject({ok: false, step: 1, kind: 'timeout'});
		expect(!result.ok && result.error).toMatch(
			/^wait for shop-stable to roll out, weight stays 10: shop-stable did not roll out in 1.5s \(updated 1\/3, ready 3\/3\)$/,
		);
		expect(deployment('shop-stable').spec.template.spec.containers[0].image).toBe('shop:2.4.0');
		expect(weight()).toBe('10');
		expect(cutoverEvents()).toEqual([]);
	});
});
