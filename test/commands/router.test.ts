/**
 * The seed's Flask canary router against the sim: stepped with cutover's subcommands, changed
 * with the real kubectl, and the simulated requests it relays measured per version.
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runAction} from '../../source/commands/act.js';
import {runStatus} from '../../source/commands/status.js';
import {choose} from '../../source/sim/router.js';
import {findKubectl, requireBinary} from '../helpers/binaries.js';
import {
	collector,
	nonTtyInput,
	startCluster,
	type TestCluster,
	typeOf,
	until,
} from '../helpers/sim-cluster.js';

const kubectl = findKubectl();
const home = mkdtempSync(join(tmpdir(), 'cutover-router-'));
afterAll(() => rmSync(home, {recursive: true, force: true}));

type Router = {
	name: string;
	phase: string;
	facts: Array<{label: string; value: string}>;
	problems: string[];
	traffic: {weight: number | null; actual?: number};
};

describe.skipIf(requireBinary('kubectl', kubectl, 'install kubectl 1.27 or newer'))(
	'the seed canary router on the sim',
	() => {
		let cluster: TestCluster;
		/** Simulated seconds of traffic, far from the clock's so no timer's requests mix in. */
		let clock = 4_000_000_000;
		const k = (args: string[]) =>
			new Promise<string>((resolve, reject) =>
				execFile(
					kubectl!,
					args,
					{env: {...process.env, KUBECONFIG: cluster.kubeconfig, HOME: home}, timeout: 20_000},
					(error, stdout, stderr) =>
						error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
				),
			);
		const status = async (namespace: string, name: string): Promise<Router> => {
			const out = collector();
			await runStatus({kubeconfig: cluster.kubeconfig, namespace, json: true}, out);
			const {rollouts} = JSON.parse(out.text()) as {rollouts: Router[]};
			return rollouts.find((r) => r.name === name)!;
		};
		const act = async (action: string, namespace: string, name: string) => {
			const out = collector();
			const code = await runAction(
				{
					kubeconfig: cluster.kubeconfig,
					namespace,
					action,
					name,
					yes: true,
					dryRun: false,
					force: false,
					actor: 'oncall@test',
				},
				{out, input: nonTtyInput()},
			);
			expect(code, out.text()).toBe(0);
			return out.text();
		};
		/** The canary's share of 100 s of the entry's requests, in percent, as the backends count them. */
		const canaryShare = (namespace: string, app: string) => {
			const from = clock;
			clock += 100;
			cluster.sim.traffic.tick(100, clock * 1000);
			const count = (version: string) =>
				cluster.sim.traffic
					.windows(`app|${namespace}|${app}|${version}`, from + 1, clock)
					.reduce((n, w) => n + w.requests, 0);
			const canary = count('canary');
			const stable = count('stable');
			expect(canary + stable).toBeGreaterThan(1500);
			return (100 * canary) / (canary + stable);
		};
		const fact = (router: Router, label: string) =>
			router.facts.find((f) => f.label === label)?.value;

		beforeAll(async () => {
			cluster = await startCluster({scenario: 'canary-router', trafficIntervalMs: 0});
			await k(['rollout', 'status', '-n', 'web', 'deployment/canary-router', '--timeout=30s']);
			await k(['rollout', 'status', '-n', 'api', 'deployment/api-router', '--timeout=30s']);
		}, 45_000);
		afterAll(async () => cluster?.stop());

		it('steps 5 -> 25 -> 50 -> 100 and the requests follow; kubectl history has a revision per step', async () => {
			expect(Math.abs(canaryShare('web', 'web') - 5)).toBeLessThan(4);
			for (const percent of [25, 50, 100]) {
				const out = await act('step', 'web', 'canary-router');
				expect(out).toContain(`to ${percent}%`);
				const router = await status('web', 'canary-router');
				expect(router.traffic.weight).toBe(percent);
				expect(fact(router, 'router pods')).toBe(`2 at ${percent}%`);
				const share = canaryShare('web', 'web');
				if (percent === 100) expect(share).toBe(100);
				else expect(Math.abs(share - percent)).toBeLessThan(5);
			}
			await act('rollback', 'web', 'canary-router');
			expect(canaryShare('web', 'web')).toBe(0);
			expect(
				await k([
					'get',
					'deploy',
					'-n',
					'web',
					'canary-router',
					'-o',
					'jsonpath={.spec.template.spec.containers[0].env[0].value}',
				]),
			).toBe('0');
			// kubectl agrees: one revision to start with, one per change of the percentage.
			const history = await k(['rollout', 'history', '-n', 'web', 'deployment/canary-router']);
			expect(history.match(/^\d+ /gm)?.map((r) => r.trim())).toEqual(['1', '2', '3', '4', '5']);
			const events = cluster.sim.store
				.peek(typeOf('events'), {namespace: 'web'})
				.map((e) => (e as {reason?: string}).reason);
			expect(events.filter((r) => r === 'CutoverStep')).toHaveLength(3);
			expect(events).toContain('CutoverRollback');
		}, 90_000);

		it('a user sees one version from every router pod once PYTHONHASHSEED is set, and the warning goes', async () => {
			const routers = () =>
				cluster.sim.traffic
					.routes()
					.filter((r) => r.entry.name === 'router' && r.namespace === 'web')
					.map((r) => r.router!);
			await act('step', 'web', 'canary-router'); // 0 -> 5
			await act('step', 'web', 'canary-router'); // 5 -> 25
			const users = Array.from({length: 400}, (_, i) => `user-${i}`);
			const disagree = () => {
				const [a, b] = routers();
				expect(a && b && a.percent === 25 && b.percent === 25).toBe(true);
				return users.filter((u) => choose(a!, u) !== choose(b!, u)).length;
			};
			// Salted per pod: about 2 x 25 % x 75 % of users get a different version from each pod.
			expect(disagree()).toBeGreaterThan(60);
			expect((await status('web', 'canary-router')).problems[0]).toMatch(
				/^X-User-ID not sticky across 2 router pods: set PYTHONHASHSEED=0/,
			);
			await k(['set', 'env', '-n', 'web', 'deployment/canary-router', 'PYTHONHASHSEED=0']);
			await k(['rollout', 'status', '-n', 'web', 'deployment/canary-router', '--timeout=30s']);
			await until('the router pods restarted with the seed', () => routers().length === 2);
			expect(disagree()).toBe(0);
			expect((await status('web', 'canary-router')).problems).toEqual([]);
		}, 60_000);

		it('a ConfigMap percentage reaches the router pods only when they restart; cutover restarts them', async () => {
			expect(canaryShare('api', 'api')).toBeLessThan(10);
			// Changed outside cutover: the pods read it at start, so they still route 5 %.
			await k([
				'patch',
				'configmap',
				'-n',
				'api',
				'api-router-config',
				'--type=merge',
				'-p',
				'{"data":{"CANARY_PERCENTAGE":"50"}}',
			]);
			const changed = await until('cutover sees the new percentage', async () => {
				const router = await status('api', 'api-router');
				return router.traffic.weight === 50 ? router : undefined;
			});
			expect(fact(changed, 'router pods')).toMatch(/^2 at \? \(read from the ConfigMap at start/);
			expect(canaryShare('api', 'api')).toBeLessThan(10);
			const out = await act('restart', 'api', 'api-router');
			expect(out).toContain('its pods start again and read the percentage (50)');
			expect(Math.abs(canaryShare('api', 'api') - 50)).toBeLessThan(5);
			const restarted = await status('api', 'api-router');
			expect(fact(restarted, 'router pods')).toBe('2 at 50%');
			expect(restarted.phase).toBe('Canary');
			// A step changes the ConfigMap and restarts the router in one plan.
			expect(await act('step', 'api', 'api-router')).toContain(
				'restart api-router so its pods read it',
			);
			expect(canaryShare('api', 'api')).toBe(100);
		}, 60_000);
	},
);
