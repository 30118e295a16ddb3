/**
 * A Flagger canary driven from cutover against the sim's Flagger-like controller and
 * loadtester: in the console in a pseudo-terminal (s y steps once through the gate, r y rolls
 * back through the rollback gate), and through the subcommands (an ungated Canary promotes by
 * skipAnalysis and offers no rollback, with the reason).
 */
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {stringify} from 'yaml';
import {runAction} from '../../source/commands/act.js';
import {runStatus} from '../../source/commands/status.js';
import {loadScenario} from '../../source/sim/scenario.js';
import {collector} from '../helpers/sim-cluster.js';
import {
	type Cluster,
	openConsole,
	rowWith,
	startCluster,
	startupMs,
	testTimeout,
	typeOf,
	until,
} from './harness.js';

/** The seed with a 2 s analysis interval and error-free podinfo: no check fails by chance. */
function scenario(extra = ''): string {
	return [
		'name: flagger-e2e',
		'extends: seed',
		'settings: {flaggerIntervalSeconds: 2}',
		'behaviours:',
		'  ghcr.io/stefanprodan/podinfo: {errorRatio: 0, p99Ms: 120}',
		'traffic:',
		'  - {ingress: test/podinfo, rps: 200}',
		extra,
	].join('\n');
}

/** The seed's Canary with only a load test webhook: no gate to open, no rollback webhook. */
function ungatedCanary() {
	const seed = loadScenario('seed').objects.find((o) => o.kind === 'Canary') as {
		spec: {analysis: {webhooks: unknown[]}};
	};
	const copy = structuredClone(seed);
	copy.spec.analysis.webhooks = [
		{
			name: 'load-test',
			type: 'rollout',
			url: 'http://flagger-loadtester.test/',
			metadata: {cmd: 'hey -z 1m http://podinfo-canary/'},
		},
	];
	return copy;
}

const canary = (cluster: Cluster) =>
	cluster.sim.store.get(typeOf('canaries'), 'test', 'podinfo') as {
		spec: {skipAnalysis?: boolean};
		status: {phase: string; canaryWeight: number};
	};
const ingressWeight = (cluster: Cluster) =>
	cluster.sim.store.get(typeOf('ingresses'), 'test', 'podinfo-canary').metadata.annotations?.[
		'nginx.ingress.kubernetes.io/canary-weight'
	];
const events = (cluster: Cluster, reason: string) =>
	cluster.sim.store
		.peek(typeOf('events'), {namespace: 'test'})
		.filter((e) => (e as {reason?: string}).reason === reason)
		.map((e) => (e as {message?: string}).message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a Flagger canary in the console', () => {
	it('shows phase, weight, checks and gates; s y steps once through the gate; r y rolls back', {
		timeout: testTimeout,
	}, async (context) => {
		const {cluster, console} = await openConsole(context, {
			scenario: scenario(),
			args: ['-n', 'test'],
		});
		let screen = await console.waitFor('test/podinfo', startupMs);
		expect(rowWith(screen, 'test/podinfo')).toMatch(/flagger\s+█+░+ 20%/);
		console.press('\r');
		screen = await console.waitFor('Canary podinfo analyses Deployment podinfo (nginx)');
		expect(screen).toContain('Progressing analysis running, weight moving');
		expect(screen).toContain('failed checks 1/5');
		expect(screen).toContain('weight 20/100');
		expect(screen).toContain('PRIMARY  80% of traffic');
		expect(screen).toContain('ghcr.io/stefanprodan/podinfo:6.0.1');
		expect(screen).toMatch(
			/✖ p promote: Flagger asks the promotion gate at maxWeight 50 \(now 20\)/,
		);
		// The gates are closed: Flagger holds at 20.
		await sleep(2500);
		expect(canary(cluster).status.canaryWeight).toBe(20);

		console.press('s');
		screen = await console.waitFor('step podinfo: let Flagger move the weight 20 -> 30?');
		expect(screen).toContain('POST /gate/open on service/flagger-loadtester:80 -n test');
		expect(screen).toContain('only if the canary weight is still 20');
		console.press('y');
		await console.waitFor('step podinfo: let Flagger move the weight 20 -> 30: done', 15_000);
		expect(canary(cluster).status.canaryWeight).toBe(30);
		// The gate was closed again: one step, not a run to promotion.
		await sleep(4500);
		expect(canary(cluster).status.canaryWeight).toBe(30);
		expect(ingressWeight(cluster)).toBe('30');
		await console.waitFor('weight 30/100');
		expect(events(cluster, 'CutoverStep')).toEqual([
			expect.stringMatching(/^opened traffic increase gate at weight 20 on test\/podinfo by /),
		]);

		console.press('r');
		await console.waitFor('roll back podinfo: open the rollback gate');
		console.press('y');
		await console.waitFor(
			'roll back podinfo: open the rollback gate, Flagger routes all traffic to the primary: done',
			15_000,
		);
		expect(canary(cluster).status).toMatchObject({phase: 'Failed', canaryWeight: 0});
		expect(ingressWeight(cluster)).toBe('0');
		screen = await console.waitFor('rolled back: the primary kept the old revision');
		expect(screen).toMatch(/✖ Failed/);
		expect(screen).toMatch(/✖ r rollback: Flagger rolls back only while analysing \(now Failed\)/);
	});
});

/** The seed's Canary stepping by itself (an approving traffic gate) up to its closed promotion gate. */
function promotionGatedCanary() {
	const seed = loadScenario('seed').objects.find((o) => o.kind === 'Canary') as {
		spec: {analysis: {webhooks: Array<{type: string; url: string}>}};
	};
	const copy = structuredClone(seed);
	for (const hook of copy.spec.analysis.webhooks)
		if (hook.type === 'confirm-traffic-increase')
			hook.url = 'http://flagger-loadtester.test/gate/approve';
	return copy;
}

describe('a Flagger canary waiting for promotion', () => {
	it('reaches maxWeight by itself and waits; p y opens the promotion gate and Flagger promotes', {
		timeout: testTimeout,
	}, async (context) => {
		const {cluster, console} = await openConsole(context, {
			scenario: scenario(stringify({objects: [promotionGatedCanary()]})).replace(
				'flaggerIntervalSeconds: 2',
				'flaggerIntervalSeconds: 0.5',
			),
			args: ['-n', 'test'],
		});
		await console.waitFor('test/podinfo', startupMs);
		console.press('\r');
		await until(
			'WaitingPromotion',
			() => canary(cluster).status.phase === 'WaitingPromotion',
			20_000,
		);
		let screen = await console.waitFor('WaitingPromotion waits for the promotion gate');
		expect(screen).toContain('weight 50/100');
		console.press('p');
		screen = await console.waitFor('promote podinfo: open the promotion gate at weight 50?');
		expect(screen).toContain('POST /gate/open on service/flagger-loadtester:80 -n test');
		console.press('y');
		await until('Succeeded', () => canary(cluster).status.phase === 'Succeeded', 20_000);
		const primary = cluster.sim.store.get(typeOf('deployments'), 'test', 'podinfo-primary');
		expect(primary.spec.template.spec.containers[0].image).toBe(
			'ghcr.io/stefanprodan/podinfo:6.0.1',
		);
		await console.waitFor('promoted: the primary runs the new revision', 15_000);
	});
});

describe('Flagger canaries through the subcommands', () => {
	it('an ungated Canary: status says why there is no rollback; promote sets skipAnalysis and Flagger promotes', {
		timeout: testTimeout,
	}, async () => {
		const cluster = await startCluster(scenario(stringify({objects: [ungatedCanary()]})));
		try {
			const out = collector();
			await runStatus({kubeconfig: cluster.kubeconfig, namespace: 'test', json: true}, out);
			const podinfo = JSON.parse(out.text()).rollouts.find(
				(r: {name: string}) => r.name === 'podinfo',
			);
			expect(podinfo.strategy).toBe('flagger');
			expect(podinfo.actions).toEqual(
				expect.arrayContaining([
					{action: 'promote', available: true},
					{
						action: 'rollback',
						available: false,
						reason:
							'this Canary has no rollback webhook: add one of type rollback with url http://flagger-loadtester.<namespace>/rollback/check',
					},
				]),
			);
			const act = (action: string, extra = {}) => {
				const text = collector();
				return {
					text,
					run: runAction(
						{
							kubeconfig: cluster.kubeconfig,
							namespace: 'test',
							action,
							name: 'podinfo',
							yes: true,
							dryRun: false,
							actor: 'e2e@test',
							...extra,
						},
						{out: text, input: Object.assign(new PassThrough(), {isTTY: false})},
					),
				};
			};
			const refused = act('rollback');
			await expect(refused.run).rejects.toMatchObject({exitCode: 1});
			const promote = act('promote');
			expect(await promote.run).toBe(0);
			expect(promote.text.text()).toContain('set spec.skipAnalysis: true');
			expect(canary(cluster).spec.skipAnalysis).toBe(true);
			await until('Flagger to promote', () => canary(cluster).status.phase === 'Succeeded', 20_000);
			const primary = cluster.sim.store.get(typeOf('deployments'), 'test', 'podinfo-primary');
			expect(primary.spec.template.spec.containers[0].image).toBe(
				'ghcr.io/stefanprodan/podinfo:6.0.1',
			);
			expect(events(cluster, 'CutoverPromote')).toEqual([
				'set skipAnalysis on test/podinfo by e2e@test',
			]);
		} finally {
			await cluster.stop();
		}
	});
});
