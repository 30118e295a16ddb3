import {createServer} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {CommandError} from '../../source/commands/exit-codes.js';
import {type GuardOptions, runGuard} from '../../source/commands/guard.js';
import {requireBinary} from '../helpers/binaries.js';
import {busy} from '../helpers/busy.js';
import {
	findPrometheus,
	prometheusInstallHint,
	startPrometheus,
	type TestPrometheus,
} from '../helpers/prometheus.js';
import {collector, startCluster, type TestCluster, typeOf, until} from '../helpers/sim-cluster.js';

const binary = findPrometheus();

type Line = {
	time: string;
	name?: string;
	verdict?: {status: string; reasons: string[]};
	decision?: {kind: string; action?: string; why: string};
	act?: {action: string; ok: boolean; summary?: string; error?: string};
	stopped?: boolean;
	comparison?: {
		verdict: string;
		score?: number;
		reason: string;
		metrics: Array<{metric: string; class: string}>;
	};
};

function guard(cluster: TestCluster, options: Partial<GuardOptions> & {prometheus: string}) {
	const out = collector();
	const {prometheus, ...rest} = options;
	const run = runGuard(
		{
			kubeconfig: cluster.kubeconfig,
			namespace: 'shop',
			name: 'shop-canary',
			all: false,
			interval: '1s',
			autoRollback: false,
			autopilot: false,
			json: true,
			actor: 'guard-job@test',
			// A short rate window: the guard counts one window once, and tests do not wait minutes.
			metricsFlags: {prometheus, metricsInterval: '3s'},
			...rest,
		},
		out,
	);
	const lines = () =>
		out
			.text()
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l) as Line);
	return {run, lines, out};
}

function canaryWeight(cluster: TestCluster): string | undefined {
	return cluster.sim.store.get(typeOf('ingresses'), 'shop', 'shop-canary').metadata.annotations?.[
		'nginx.ingress.kubernetes.io/canary-weight'
	];
}

function events(cluster: TestCluster, reason: string): string[] {
	return cluster.sim.store
		.peek(typeOf('events'), {namespace: 'shop'})
		.filter((e) => (e as {reason?: string}).reason === reason)
		.map((e) => (e as {message?: string}).message ?? '');
}

/** A port nothing listens on: Prometheus down. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** A busy scenario's cluster and a real Prometheus scraping it, for one describe block. */
function scraped(
	scenario: string,
	ready: (cluster: TestCluster, prometheus: TestPrometheus) => void,
): void {
	let cluster: TestCluster | undefined;
	let prometheus: TestPrometheus | undefined;
	beforeAll(async () => {
		cluster = await startCluster({scenario: busy(scenario), trafficIntervalMs: 100});
		prometheus = await startPrometheus({
			binary: binary!,
			targets: [`127.0.0.1:${cluster.sim.port}`],
		});
		await prometheus.waitForSamples(6);
		ready(cluster, prometheus);
	}, 45_000);
	afterAll(async () => {
		await prometheus?.stop();
		await cluster?.stop();
	});
}

describe('cutover guard: what it needs', () => {
	let cluster: TestCluster;
	beforeAll(async () => {
		cluster = await startCluster({scenario: 'bad-canary'});
	});
	afterAll(async () => cluster?.stop());

	it.each([
		[{name: undefined}, /needs a rollout NAME or --all/],
		[{all: true}, /needs a rollout NAME or --all \(not both\)/],
		[{interval: 'soon'}, /--interval "soon" is not a duration of 1s or more/],
		[{interval: '100ms'}, /--interval "100ms" is not a duration of 1s or more/],
	])('refuses %o with a usage error', async (bad, message) => {
		const {run} = guard(cluster, {prometheus: 'http://127.0.0.1:9', ...bad});
		const error = (await run.catch((e: CommandError) => e)) as CommandError;
		expect(error.exitCode).toBe(2);
		expect(error.message).toMatch(message);
	});

	it('refuses to guard without numbers to judge by', async () => {
		const out = collector();
		const error = (await runGuard(
			{
				kubeconfig: cluster.kubeconfig,
				name: 'shop-canary',
				all: false,
				interval: '1s',
				autoRollback: true,
				autopilot: false,
				json: false,
				metricsFlags: {},
			},
			out,
		).catch((e: CommandError) => e)) as CommandError;
		expect(error.exitCode).toBe(2);
		expect(error.message).toMatch(/guard needs numbers to judge by: pass --prometheus URL/);
	});

	it('names a rollout that is not there (exit 3)', async () => {
		const {run} = guard(cluster, {prometheus: 'http://127.0.0.1:9', name: 'nope'});
		const error = (await run.catch((e: CommandError) => e)) as CommandError;
		expect(error.exitCode).toBe(3);
	});

	it('with Prometheus down it judges nothing and never rolls back; SIGTERM stops it (exit 7)', async () => {
		const stop = new AbortController();
		const port = await closedPort();
		const {run, lines} = guard(cluster, {
			prometheus: `http://127.0.0.1:${port}`,
			autoRollback: true,
			autopilot: true,
			signal: stop.signal,
		});
		// Longer than the failure threshold (5) of evaluations.
		await new Promise((resolve) => setTimeout(resolve, 7000));
		stop.abort();
		expect(await run).toBe(7);
		const judged = lines().filter((l) => l.verdict);
		expect(judged.length).toBeGreaterThanOrEqual(6);
		for (const line of judged) {
			expect(line.verdict!.status).toBe('no-data');
			expect(line.act).toBeUndefined();
		}
		expect(judged.at(-1)!.decision).toMatchObject({kind: 'wait'});
		expect(judged.at(-1)!.decision!.why).toMatch(/^holds: /);
		expect(lines().at(-1)).toMatchObject({stopped: true});
		expect(canaryWeight(cluster)).toBe('10');
		expect(events(cluster, 'CutoverAutoRollback')).toEqual([]);
	}, 20_000);
});

describe.skipIf(requireBinary('prometheus', binary, prometheusInstallHint))(
	'cutover guard with a real Prometheus',
	() => {
		describe('on the bad canary', () => {
			let cluster: TestCluster;
			let prometheus: TestPrometheus;
			scraped('bad-canary', (c, p) => {
				cluster = c;
				prometheus = p;
			});

			it('rolls it back by itself after 5 breaches in a row, with the Event, and exits 10', async () => {
				const started = Date.now();
				const {run, lines} = guard(cluster, {prometheus: prometheus.url, autoRollback: true});
				expect(await run).toBe(10);
				// threshold x window, plus a window: 5 breached 3-second windows, then the act.
				expect(Date.now() - started).toBeLessThan(5 * 3000 + 3000 + 2000);
				const judged = lines();
				expect(judged.slice(0, 4).map((l) => l.verdict!.status)).toEqual([
					'breached',
					'breached',
					'breached',
					'breached',
				]);
				expect(judged[0]!.verdict!.reasons).toContain('breach 1/5');
				const last = judged.at(-1)!;
				expect(last.verdict!.status).toBe('failing');
				// 4 % errors and a p99 near 900 ms: either, or both, over its threshold in a 3 s window.
				expect(last.verdict!.reasons.join(', ')).toMatch(
					/(error ratio \d+\.\d % > 1\.0 %|p99 \d+ ms > 500 ms).*5 breaches in a row \(threshold 5\)/,
				);
				expect(last.act).toMatchObject({action: 'rollback', ok: true});
				expect(canaryWeight(cluster)).toBe('0');
				expect(events(cluster, 'CutoverAutoRollback')).toEqual([
					expect.stringMatching(
						/^canary weight 10 -> 0 on shop\/shop-canary \(by the guard: (error ratio|p99) .*5 breaches in a row \(threshold 5\)\) by guard-job@test$/,
					),
				]);
			}, 30_000);

			it('do not fight: one rolls back, the other loses the race or finds nothing to do, and never acts twice', async () => {
				// The release retried: the canary back at 10 %, two guards started on it at once.
				cluster.sim.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
					metadata: {annotations: {'nginx.ingress.kubernetes.io/canary-weight': '10'}},
				});
				const stop = new AbortController();
				const one = guard(cluster, {
					prometheus: prometheus.url,
					autoRollback: true,
					signal: stop.signal,
				});
				const two = guard(cluster, {
					prometheus: prometheus.url,
					autoRollback: true,
					signal: stop.signal,
				});
				const first = await Promise.race([one.run, two.run]);
				expect(first).toBe(10);
				// Give the other a few more evaluations on the re-read cluster, then stop it.
				await new Promise((resolve) => setTimeout(resolve, 4000));
				stop.abort();
				const codes = [await one.run, await two.run];
				expect([...codes].sort((a, b) => a - b)).toEqual([7, 10]);
				// One more than the first test's: this release's, once.
				expect(events(cluster, 'CutoverAutoRollback')).toHaveLength(2);
				expect(canaryWeight(cluster)).toBe('0');
				const loser = (codes[0] === 7 ? one : two).lines();
				const failed = loser.filter((l) => l.act && !l.act.ok);
				// If it tried at all, it lost on the precondition (409) and did not try again.
				expect(failed.length).toBeLessThanOrEqual(1);
				for (const line of failed) expect(line.act!.error).toMatch(/changed|conflict|409/i);
				expect(loser.filter((l) => l.act?.ok)).toEqual([]);
			}, 40_000);
		});

		describe('on the degrading canary, with autopilot', () => {
			let cluster: TestCluster;
			let prometheus: TestPrometheus;
			scraped('degrading-canary', (c, p) => {
				cluster = c;
				prometheus = p;
			});

			it('holds it at 10 %: under every threshold, but compared with stable its p99 is High', async () => {
				const stop = new AbortController();
				const {run, lines} = guard(cluster, {
					prometheus: prometheus.url,
					autopilot: true,
					autoRollback: true,
					signal: stop.signal,
				});
				// Past the 3 healthy windows (9 s) autopilot would step on.
				await until('12 evaluations', () => lines().filter((l) => l.verdict).length >= 12, 20_000);
				stop.abort();
				expect(await run).toBe(7);
				const judged = lines().filter((l) => l.verdict);
				// Under every threshold: p99 near 300 ms may read over 500 in a 3 s window now and then
				// (a breach counted, never five in a row), but nothing fails and nothing is done.
				for (const line of judged) {
					expect(line.verdict!.status).not.toBe('failing');
					expect(line.act).toBeUndefined();
				}
				expect(judged.filter((l) => l.verdict!.status === 'healthy').length).toBeGreaterThan(
					judged.length / 2,
				);
				const last = judged.at(-1)!;
				expect(last.comparison).toMatchObject({verdict: 'Marginal', score: 50});
				expect(last.comparison!.metrics).toEqual([
					expect.objectContaining({metric: 'error ratio', class: 'Pass'}),
					expect.objectContaining({metric: 'p99', class: 'High'}),
				]);
				// What held it, on a healthy evaluation: the comparison, not a threshold.
				const held = judged.filter((l) => l.verdict!.status === 'healthy').at(-1)!;
				expect(held.decision).toEqual({
					kind: 'wait',
					why: expect.stringMatching(
						/^holds: compared with STABLE, score 50: p99 High: canary 2\.\d+x baseline \(98 % confidence\)$/,
					),
				});
				expect(canaryWeight(cluster)).toBe('10');
				expect(events(cluster, 'CutoverAutopilot')).toEqual([]);
			}, 30_000);
		});

		describe('on a healthy canary, with autopilot', () => {
			let cluster: TestCluster;
			let prometheus: TestPrometheus;
			scraped('seed', (c, p) => {
				cluster = c;
				prometheus = p;
			});

			it('steps it after 3 healthy evaluations each, to 100 %, finalizes, then exits 0', async () => {
				const {run, out} = guard(cluster, {
					prometheus: prometheus.url,
					autopilot: true,
					json: false,
				});
				expect(await run).toBe(0);
				const steps = out
					.text()
					.split('\n')
					.filter((l) => l.includes('AUTOPILOT'))
					.map((l) => l.replace(/^.* AUTOPILOT (\w+) .*?: (.*), as .*$/, '$1: $2'));
				expect(steps).toEqual([
					'step: step shop-canary from 10 to 25 of 100: done',
					'step: step shop-canary from 25 to 50 of 100: done',
					'step: step shop-canary from 50 to 100 of 100: done',
					'finalize: finalize shop-canary: shop-stable takes shop:2.4.0, then weight 100 -> 0: done',
				]);
				// Each step after three healthy evaluations at its weight, never sooner.
				const before = out.text().split('\n');
				for (const [i, line] of before.entries())
					if (line.includes('AUTOPILOT'))
						expect(before.slice(i - 2, i).every((l) => /shop-canary healthy \| /.test(l))).toBe(
							true,
						);
				expect(before[0]).toMatch(/ healthy \| .*step after 2 more healthy windows$/);
				const autopilot = events(cluster, 'CutoverAutopilot');
				expect(autopilot[0]).toMatch(
					/^canary weight 10 -> 25 .*\(by the guard: 3 healthy windows in a row\)/,
				);
				expect(autopilot).toHaveLength(4);
				expect(canaryWeight(cluster)).toBe('0');
				const stable = cluster.sim.store.get(typeOf('deployments'), 'shop', 'shop-stable');
				expect(JSON.stringify(stable.spec)).toContain('shop:2.4.0');
			}, 90_000);
		});
	},
);
