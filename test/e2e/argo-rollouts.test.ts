/**
 * An Argo Rollout driven from cutover against the sim's Argo-like controller: in the console in a
 * pseudo-terminal (r aborts it to 0 and Degraded, promote is refused while aborted, R retries),
 * and through the subcommands (promote, promote-full, undo).
 */
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {runAction} from '../../source/commands/act.js';
import {requireBinary} from '../helpers/binaries.js';
import {findPrometheus, prometheusInstallHint, startPrometheus} from '../helpers/prometheus.js';
import {collector} from '../helpers/sim-cluster.js';
import {blueGreenObjects} from '../sim/argo-helpers.js';

import {
	type Cluster,
	openConsole,
	startCluster,
	startConsole,
	startupMs,
	testTimeout,
	typeOf,
	until,
} from './harness.js';

const prometheusBinary = findPrometheus();

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
		// Argo's controller writes the Rollout's status as it settles the abort: a plan made on the
		// state seen a moment before is refused (409), as it must be; the engineer presses R again.
		const retried = () =>
			rollout(cluster).status.phase === 'Paused' && canaryWeight(cluster) === '20';
		for (let attempt = 0; attempt < 2 && !retried(); attempt++) {
			console.press('R');
			await console.waitFor('retry rollouts-demo from its first step?');
			console.press('y');
			await until(
				'the retry, or a conflict',
				async () =>
					retried() || (await console.screen()).join('\n').includes('changed since you looked'),
				10_000,
			);
		}
		await until('the retry', retried, 10_000);

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

/** The plugin's blueGreen fixture with a new template waiting in preview, and traffic to both Services. */
const blueGreen = [
	'name: argo-bluegreen-e2e',
	'extends: seed',
	'settings: {argoTimeScale: 0.01}',
	'traffic:',
	'  - {service: argo/bluegreen-demo, rps: 20}',
	'  - {service: argo/bluegreen-demo-preview, rps: 20}',
	blueGreenObjects,
].join('\n');

describe.skipIf(requireBinary('prometheus', prometheusBinary, prometheusInstallHint))(
	'an Argo blueGreen Rollout in the console, with a real Prometheus',
	() => {
		it('shows numbers per ReplicaSet without traffic routing; p y switches the active selector to the preview', {
			timeout: testTimeout,
		}, async (context) => {
			const cluster = await startCluster(blueGreen);
			context.onTestFinished(() => cluster.stop());
			const prometheus = await startPrometheus({
				binary: prometheusBinary!,
				targets: [`127.0.0.1:${cluster.sim.port}`],
			});
			context.onTestFinished(() => prometheus.stop());
			const name = 'bluegreen-demo';
			const selector = (service: string) =>
				(
					cluster.sim.store.get(typeOf('services'), 'argo', service) as {
						spec: {selector: Record<string, string>};
					}
				).spec.selector['rollouts-pod-template-hash'];
			const status = () =>
				(
					cluster.sim.store.get(typeOf('rollouts'), 'argo', name) as {
						status: {phase?: string; currentPodHash?: string; stableRS?: string};
					}
				).status;
			await until('the first revision', () => status().phase === 'Healthy', 10_000);
			const first = status().currentPodHash!;
			cluster.sim.store.patch(typeOf('rollouts'), 'argo', name, 'merge', {
				spec: {template: {spec: {containers: [{name, image: 'argoproj/rollouts-demo:green'}]}}},
			});
			await until('the preview', () => status().phase === 'Paused', 10_000);
			const preview = status().currentPodHash!;
			expect(preview).not.toBe(first);

			await prometheus.waitForSamples(3);
			const console = startConsole({
				args: [
					'--kubeconfig',
					cluster.kubeconfig,
					'-n',
					'argo',
					'--prometheus',
					prometheus.url,
					'--metrics-interval',
					'10s',
					'--refresh',
					'1',
				],
			});
			context.onTestFinished(() => console.close());
			await console.waitFor((s) => /›.*argo\/bluegreen-demo/.test(s), startupMs);
			console.press('\r');
			// Both ReplicaSets read from the app's series by their hash: numbers, not "no data".
			let screen = await console.waitFor(
				// Enough requests in the 10 s rate window for the guard to judge both (50 at 5 rps).
				(s) =>
					s.includes(`Rollout ${name} (blueGreen)`) &&
					[...s.matchAll(/(\d+\.\d) rps {2}err/g)].filter((m) => Number(m[1]) >= 6).length >= 2,
				30_000,
			);
			expect(screen).toContain('argoproj/rollouts-demo:green');

			console.press('p');
			await console.waitFor(`promote ${name}`);
			console.press('y');
			await until('the switch', () => selector(name) === preview, 10_000);
			await until('the new stable', () => status().stableRS === preview, 10_000);
			screen = await console.waitFor((s) => !s.includes('PREVIEW') && s.includes('ACTIVE'));
			expect(screen).toContain('argoproj/rollouts-demo:green');
		});
	},
);

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
