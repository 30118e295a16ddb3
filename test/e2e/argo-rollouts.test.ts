/**
 * An Argo Rollout driven from cutover against the sim's Argo-like controller: in the console in a
 * pseudo-terminal (r aborts it to 0 and Degraded, promote is refused while aborted, R retries),
 * and through the subcommands (promote, promote-full, undo).
 */
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {runAction} from '../../source/commands/act.js';
import {collector} from '../helpers/sim-cluster.js';
import {
	type Cluster,
	openConsole,
	startCluster,
	startupMs,
	testTimeout,
	typeOf,
	until,
} from './harness.js';

/** The seed, with Argo's pauses and delays a hundred times shorter (10 s pauses last 0.1 s). */
const scenario = ['name: argo-e2e', 'extends: seed', 'settings: {argoTimeScale: 0.01}'].join('\n');

const rollout = (cluster: Cluster) =>
	cluster.sim.store.get(typeOf('rollouts'), 'argo', 'rollouts-demo') as {
		spec: {template: {spec: {containers: Array<{image: string}>}}};
		status: {phase: string; currentStepIndex: number; abort?: boolean; stableRS: string};
	};
const canaryWeight = (cluster: Cluster) =>
	cluster.sim.store.get(typeOf('ingresses'), 'argo', 'rollouts-demo-rollouts-demo-canary').metadata
		.annotations?.['nginx.ingress.kubernetes.io/canary-weight'];

describe('an Argo Rollout in the console', () => {
	it('shows the steps; r aborts to 0 and Degraded; promote refused while aborted; R retries to the first pause', {
		timeout: testTimeout,
	}, async (context) => {
		const {cluster, console} = await openConsole(context, {scenario, args: ['-n', 'argo']});
		await console.waitFor('argo/rollouts-demo', startupMs);
		console.press('\r');
		let screen = await console.waitFor('Rollout rollouts-demo (canary), revision 2');
		expect(screen).toContain('step 1/8');
		expect(screen).toContain('steps 20% [pause] 40% pause 10s 60% pause 10s 80% pause 10s');
		expect(screen).toContain('weight 20/100');
		expect(screen).toContain('argoproj/rollouts-demo:yellow');

		// r: abort, all traffic back to stable.
		console.press('r');
		await console.waitFor('roll back rollouts-demo: abort the update, all traffic back to stable');
		console.press('y');
		await until('the abort', () => rollout(cluster).status.phase === 'Degraded', 10_000);
		expect(canaryWeight(cluster)).toBe('0');
		screen = await console.waitFor('aborted retry (R) to start again');
		expect(screen).toMatch(/✖ p promote: the rollout is aborted: retry \(R\) first/);
		console.press('p');
		screen = await console.waitFor('cannot promote rollouts-demo: the rollout is aborted');

		// R: retry from the first step: paused at 20 again.
		console.press('R');
		await console.waitFor('retry rollouts-demo from its first step?');
		console.press('y');
		await until(
			'the retry',
			() => rollout(cluster).status.phase === 'Paused' && canaryWeight(cluster) === '20',
			10_000,
		);

		// Retried: paused at its first pause again, promote offered, retry not.
		screen = await console.waitFor(
			(s) =>
				s.includes('Actions ✔ p promote') &&
				s.includes('✖ R retry') &&
				s.includes('weight 20/100') &&
				s.includes('steps 20% [pause] 40%'),
		);
		expect(screen).toContain('paused until promoted (p)');
	});
});

describe('Argo Rollouts through the subcommands', () => {
	it('promote ends the pause; promote-full goes straight to the end; undo returns the previous image', {
		timeout: testTimeout,
	}, async () => {
		const cluster = await startCluster(scenario);
		try {
			const act = async (action: string) => {
				const out = collector();
				const code = await runAction(
					{
						kubeconfig: cluster.kubeconfig,
						namespace: 'argo',
						action,
						name: 'rollouts-demo',
						yes: true,
						dryRun: false,
						actor: 'e2e@test',
					},
					{out, input: Object.assign(new PassThrough(), {isTTY: false})},
				);
				return {code, text: out.text()};
			};
			await until(
				'the controller to see the seed',
				() => rollout(cluster).status.phase === 'Paused',
				10_000,
			);
			// promote ends the pause; the timed pauses after it run out by themselves.
			expect((await act('promote')).code).toBe(0);
			await until('the next steps', () => Number(canaryWeight(cluster)) >= 40, 10_000);
			expect((await act('promote-full')).code).toBe(0);
			await until('Healthy', () => rollout(cluster).status.phase === 'Healthy', 15_000);
			expect(canaryWeight(cluster)).toBe('0');
			const undo = await act('undo');
			expect(undo.code).toBe(0);
			expect(undo.text).toMatch(
				/undo rollouts-demo: back to revision \d+ \(argoproj\/rollouts-demo:blue\)/,
			);
			expect(rollout(cluster).spec.template.spec.containers[0]!.image).toBe(
				'argoproj/rollouts-demo:blue',
			);
		} finally {
			await cluster.stop();
		}
	});
});
