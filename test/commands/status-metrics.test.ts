import {PassThrough} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runAction} from '../../source/commands/act.js';
import type {CommandError} from '../../source/commands/exit-codes.js';
import {runStatus} from '../../source/commands/status.js';
import {requireBinary} from '../helpers/binaries.js';
import {busy} from '../helpers/busy.js';
import {
	findPrometheus,
	prometheusInstallHint,
	startPrometheus,
	type TestPrometheus,
} from '../helpers/prometheus.js';
import {collector, startCluster, type TestCluster} from '../helpers/sim-cluster.js';

const binary = findPrometheus();

type StatusJson = {
	rollouts: Array<{
		name: string;
		tracks: Array<{
			key: string;
			serving: boolean;
			metrics: {
				rps?: number;
				errorRatio?: number;
				p99Seconds?: number;
				window?: string;
				noData?: string;
			};
		}>;
		thresholds: {
			maxErrorRatio: number;
			maxP99Seconds: number;
			minRequests: number;
			failureThreshold: number;
		};
		verdict: {status: string; reasons: string[]; track?: string};
		comparison: {verdict: string; reason: string; samples: {candidate: number; baseline: number}};
	}>;
};

async function status(cluster: TestCluster, prometheus: string): Promise<StatusJson> {
	const out = collector();
	await runStatus(
		{
			kubeconfig: cluster.kubeconfig,
			allNamespaces: true,
			json: true,
			metricsFlags: {prometheus, metricsInterval: '10s'},
		},
		out,
	);
	return JSON.parse(out.text()) as StatusJson;
}

describe.skipIf(requireBinary('prometheus', binary, prometheusInstallHint))(
	'status --json with a real Prometheus',
	() => {
		let cluster: TestCluster;
		let prometheus: TestPrometheus;

		beforeAll(async () => {
			cluster = await startCluster({scenario: busy('bad-canary'), trafficIntervalMs: 100});
			prometheus = await startPrometheus({
				binary: binary!,
				targets: [`127.0.0.1:${cluster.sim.port}`],
			});
			await prometheus.waitForSamples(12);
		}, 45_000);

		afterAll(async () => {
			await prometheus?.stop();
			await cluster?.stop();
		});

		it('reports per-track numbers and the verdict: the bad canary breaches, blue is healthy', async () => {
			const {rollouts} = await status(cluster, prometheus.url);
			const shop = rollouts.find((r) => r.name === 'shop-canary')!;
			const canary = shop.tracks.find((t) => t.key === 'canary')!.metrics;
			const stable = shop.tracks.find((t) => t.key === 'stable')!.metrics;
			expect(canary.rps).toBeGreaterThan(80);
			expect(canary.rps).toBeLessThan(120);
			expect(canary.errorRatio).toBeGreaterThan(0.02);
			expect(canary.p99Seconds).toBeGreaterThan(0.6);
			// The one rate window: the --metrics-interval the numbers were taken over.
			expect(canary.window).toBe('10s');
			expect(stable.errorRatio).toBeLessThan(0.01);
			expect(shop.verdict.status).toBe('breached');
			expect(shop.verdict.track).toBe('canary');
			expect(shop.verdict.reasons.join(' ')).toMatch(/error ratio .* > 1\.0 %/);
			expect(shop.verdict.reasons.join(' ')).toMatch(/p99 \d+ ms > 500 ms/);
			const myapp = rollouts.find((r) => r.name === 'myapp')!;
			expect(myapp.verdict).toMatchObject({status: 'healthy', track: 'blue'});
			// A Flagger canary's numbers come from its Ingress through the nginx preset.
			const podinfo = rollouts.find((r) => r.name === 'podinfo')!;
			const podinfoCanary = podinfo.tracks.find((t) => t.key === 'canary')!.metrics;
			const podinfoPrimary = podinfo.tracks.find((t) => t.key === 'primary')!.metrics;
			expect(podinfoCanary.rps).toBeGreaterThan(1);
			expect(podinfoPrimary.rps).toBeGreaterThan(podinfoCanary.rps!);
			expect(podinfoCanary.p99Seconds).toBeLessThan(0.5);
			expect(podinfo.verdict.track).toBe('canary');
			expect(podinfo.thresholds).toEqual({
				maxErrorRatio: 0.01,
				maxP99Seconds: 0.5,
				minRequests: 50,
				failureThreshold: 5,
			});
			// The comparison needs 5 intervals a side (status reads one per 30 s); green none at all.
			expect(shop.comparison).toMatchObject({verdict: 'Nodata'});
			expect(shop.comparison.reason).toMatch(/^too few intervals to compare \([0-4] of 5\)$/);
			expect(myapp.comparison).toMatchObject({
				verdict: 'Nodata',
				reason: 'compares only while both take traffic (GREEN takes none)',
			});
			// Green takes no traffic: no data, never zero.
			expect(myapp.tracks.find((t) => !t.serving)!.metrics).toEqual({
				noData: 'no traffic',
			});
		});

		it('takes per-rollout thresholds from annotations', async () => {
			const services = cluster.sim.store.typeOf({apiVersion: 'v1', kind: 'Service'})!;
			cluster.sim.store.patch(services, 'default', 'myapp', 'merge', {
				metadata: {annotations: {'cutover.dev/max-p99-ms': '50'}},
			});
			const myapp = (await status(cluster, prometheus.url)).rollouts.find(
				(r) => r.name === 'myapp',
			)!;
			expect(myapp.thresholds.maxP99Seconds).toBe(0.05);
			expect(myapp.verdict.status).toBe('breached');
			expect(myapp.verdict.reasons.join(' ')).toMatch(/p99 \d+ ms > 50 ms/);
		});

		it('status exits 6 when a rollout it reports is breached', async () => {
			const out = collector();
			const code = await runStatus(
				{
					kubeconfig: cluster.kubeconfig,
					namespace: 'shop',
					json: false,
					metricsFlags: {prometheus: prometheus.url, metricsInterval: '10s'},
				},
				out,
			);
			expect(out.text()).toMatch(/shop-canary .*BREACHED/);
			expect(code).toBe(6);
		});

		it('the guard refuses to step the failing canary (exit 6, nothing changed) unless --force, and the Event says forced', async () => {
			const ingresses = cluster.sim.store.typeOf({
				apiVersion: 'networking.k8s.io/v1',
				kind: 'Ingress',
			})!;
			const weight = () =>
				cluster.sim.store.get(ingresses, 'shop', 'shop-canary').metadata.annotations?.[
					'nginx.ingress.kubernetes.io/canary-weight'
				];
			const step = (force: boolean) => {
				const out = collector();
				const run = runAction(
					{
						kubeconfig: cluster.kubeconfig,
						namespace: 'shop',
						action: 'step',
						name: 'shop-canary',
						yes: true,
						dryRun: false,
						force,
						actor: 'guard@test',
						metricsFlags: {prometheus: prometheus.url, metricsInterval: '10s'},
					},
					{out, input: Object.assign(new PassThrough(), {isTTY: false})},
				);
				return {out, run};
			};
			const refused = step(false);
			const error = await refused.run.then(
				() => undefined,
				(reason: CommandError) => reason,
			);
			expect(error?.exitCode).toBe(6);
			expect(error?.message).toMatch(/^refused: CANARY is failing: error ratio \d+\.\d % > 1\.0 %/);
			expect(refused.out.text()).toContain('guard: STABLE shop:2.3.0 -> CANARY shop:2.4.0');
			expect(weight()).toBe('10');
			const done = step(true);
			expect(await done.run).toBe(0);
			expect(weight()).toBe('25');
			const events = cluster.sim.store
				.peek(cluster.sim.store.typeOf({apiVersion: 'v1', kind: 'Event'})!, {namespace: 'shop'})
				.filter((e) => (e as {reason?: string}).reason === 'CutoverStep')
				.map((e) => (e as {message?: string}).message ?? '');
			expect(events).toEqual([
				expect.stringMatching(
					/^canary weight 10 -> 25 on shop\/shop-canary \(forced past the guard: CANARY is failing: .*\) by guard@test$/,
				),
			]);
		});

		it('says "prometheus unreachable" when Prometheus is gone, and no verdict is made up', async () => {
			const url = prometheus.url;
			await prometheus.stop();
			const {rollouts} = await status(cluster, url);
			for (const rollout of rollouts) {
				expect(rollout.verdict.status).toBe('no-data');
				for (const track of rollout.tracks)
					expect(track.metrics.noData).toMatch(/^prometheus unreachable/);
			}
		});
	},
);
