/**
 * The Prometheus adapter against a real Prometheus (Debian's 2.42) scraping the sim's /metrics
 * every second: the numbers every preset query returns are the ones the traffic model implies.
 * Two sims, each with its own Prometheus (their series would collide in one): the seed world,
 * and the bad-canary world with more traffic so its error ratios are steady.
 */
import {KubeConfig} from '@kubernetes/client-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {MetricsTarget, RolloutMetrics} from '../../source/core/metrics.js';
import {PrometheusSource} from '../../source/metrics/prometheus.js';
import {type Sim, startSim} from '../../source/sim/index.js';
import {loadScenario, type Scenario} from '../../source/sim/scenario.js';
import {requireBinary} from '../helpers/binaries.js';
import {
	findPrometheus,
	prometheusInstallHint,
	startPrometheus,
	type TestPrometheus,
} from '../helpers/prometheus.js';
import {typeOf, until} from '../helpers/sim-cluster.js';
import {myapp, shopApp, shopNginx, strangers, track} from './targets.js';

const binary = findPrometheus();
const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';
// rate() needs two scrapes inside the interval; 10 s of 1 s scrapes reads steady.
const interval = '10s';
const window = () => ({endMs: Date.now(), minutes: 1, stepSeconds: 2});

/** The seed, plus a Service default/prometheus whose proxy forwards to the real Prometheus. */
function seedWithPrometheusService(prometheusUrl: string): Scenario {
	const seed = loadScenario('seed');
	return {
		...seed,
		forwards: [{namespace: 'default', name: 'prometheus', url: prometheusUrl}],
		objects: [
			...seed.objects,
			{
				apiVersion: 'v1',
				kind: 'Service',
				metadata: {name: 'prometheus', namespace: 'default'},
				spec: {selector: {app: 'prometheus'}, ports: [{name: 'web', port: 9090}]},
			},
		],
	};
}

/** bad-canary at 1000 rps on shop and 500 on myapp: 100 canary requests a second. */
function busyBadCanary(): Scenario {
	const bad = loadScenario('bad-canary');
	const rps: Record<string, number> = {'shop/shop': 1000, 'default/myapp': 500};
	return {
		...bad,
		traffic: bad.traffic.map((t) => ({...t, rps: rps[`${t.namespace}/${t.name}`] ?? t.rps})),
	};
}

function near(actual: number | null | undefined, expected: number, tolerance: number): void {
	expect(actual, `expected ${actual} within ${tolerance} of ${expected}`).not.toBeNull();
	expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(requireBinary('prometheus', binary, prometheusInstallHint))(
	'PrometheusSource against a real Prometheus',
	() => {
		let seedSim: Sim;
		let badSim: Sim;
		let seedProm: TestPrometheus;
		let badProm: TestPrometheus;
		let source: PrometheusSource;

		beforeAll(async () => {
			[seedSim, badSim] = await Promise.all([
				startSim({
					port: 0,
					trafficIntervalMs: 100,
					// Pointed at the real Prometheus below once its port is known.
					scenario: seedWithPrometheusService('http://127.0.0.1:9'),
				}),
				startSim({port: 0, trafficIntervalMs: 100, scenario: busyBadCanary()}),
			]);
			[seedProm, badProm] = await Promise.all([
				startPrometheus({binary: binary!, targets: [`127.0.0.1:${seedSim.port}`]}),
				startPrometheus({binary: binary!, targets: [`127.0.0.1:${badSim.port}`]}),
			]);
			seedSim.forwards.set('default/prometheus', seedProm.url);
			// The first scrape lands ~5 s after start; then a full interval of samples.
			await Promise.all([seedProm.waitForSamples(12), badProm.waitForSamples(12)]);
			source = new PrometheusSource({url: seedProm.url, interval});
		}, 45_000);

		afterAll(async () => {
			await Promise.all([seedProm?.stop(), badProm?.stop()]);
			await Promise.all([seedSim?.stop(), badSim?.stop()]);
		});

		it('reads the seed: blue 50 rps, green no traffic, shop 36 / 4 at weight 10', async () => {
			const [app, nginx, shop] = await source.fetch([myapp, shopNginx, shopApp], window());
			const blue = track(app, 'blue');
			near(blue.now.rps, 50, 5);
			expect(blue.noData).toBeUndefined();
			// 500 requests at 0.2 %: about one error; loose, it is random.
			expect(blue.now.errorRatio).not.toBeNull();
			expect(blue.now.errorRatio).toBeLessThan(0.015);
			near(blue.now.p99Seconds, 0.12, 0.05);
			// The counts over the 10 s interval follow from the rate and the ratio.
			near(blue.now.requests, (blue.now.rps ?? 0) * 10, 1e-6);
			near(blue.now.errors, (blue.now.requests ?? 0) * (blue.now.errorRatio ?? 0), 1e-6);
			expect(track(app, 'green').noData).toBe('no traffic');
			expect(track(app, 'green').points.every((p) => p.rps === null)).toBe(true);
			near(track(nginx, 'stable').now.rps, 36, 3.6);
			near(track(nginx, 'canary').now.rps, 4, 0.8);
			near(track(shop, 'stable').now.rps, 36, 3.6);
			near(track(shop, 'canary').now.rps, 4, 0.8);
			// Oldest first, one per step; the minute before the first scrape has no data, not zeros.
			expect(blue.points).toHaveLength(31);
			expect(blue.points[0]?.rps).toBeNull();
			expect(blue.points.at(-1)?.rps).toBe(blue.now.rps);
			expect(source.describe()).toBe(`prometheus ${seedProm.url}`);
		});

		it('sends the same number of queries for 1 and for 50 rollouts', async () => {
			const before = source.queriesMade;
			const [alone] = await source.fetch([myapp], window());
			const one = source.queriesMade - before;
			const many = [myapp, ...strangers('app', 49)];
			const middle = source.queriesMade;
			const results = await source.fetch(many, window());
			expect(one).toBe(3);
			expect(source.queriesMade - middle).toBe(3);
			near(track(results[0], 'blue').now.rps, track(alone, 'blue').now.rps ?? 0, 5);
			expect(results.slice(1).every((r) => track(r, 'stable').noData === 'no traffic')).toBe(true);
			// Both presets, 50 rollouts each: still one query per question and preset.
			const mixed = source.queriesMade;
			await source.fetch(
				[myapp, ...strangers('app', 49), shopNginx, ...strangers('nginx', 49)],
				window(),
			);
			expect(source.queriesMade - mixed).toBe(6);
		});

		it('tells the bad canary from stable: 4 % vs 0.2 % errors, p99 900 vs 120 ms', async () => {
			const bad = new PrometheusSource({url: badProm.url, interval});
			const [nginx, shop, app] = await bad.fetch([shopNginx, shopApp, myapp], window());
			for (const result of [nginx, shop]) {
				const stable = track(result, 'stable').now;
				const canary = track(result, 'canary').now;
				near(stable.rps, 900, 90);
				near(canary.rps, 100, 15);
				near(stable.errorRatio, 0.002, 0.0015);
				near(canary.errorRatio, 0.04, 0.02);
				near(stable.p99Seconds, 0.12, 0.04);
				near(canary.p99Seconds, 0.9, 0.2);
			}
			near(track(app, 'blue').now.errorRatio, 0.002, 0.002);
			near(track(app, 'blue').now.rps, 500, 50);
		});

		it('works through the API server service proxy', async () => {
			const kubeConfig = new KubeConfig();
			kubeConfig.loadFromString(seedSim.kubeconfig);
			const proxied = new PrometheusSource({
				service: 'default/prometheus:9090',
				kubeConfig,
				interval,
			});
			expect(proxied.describe()).toBe(`prometheus default/prometheus:9090 via ${seedSim.url}`);
			const end = window();
			const [viaProxy] = await proxied.fetch([myapp], end);
			const [direct] = await source.fetch([myapp], end);
			expect(proxied.queriesMade).toBe(3);
			near(track(viaProxy, 'blue').now.rps, 50, 5);
			expect(track(viaProxy, 'blue').points).toEqual(track(direct, 'blue').points);
		});

		it('moves the numbers when the selector switches and the weight steps', async () => {
			seedSim.store.patch(typeOf('services'), 'default', 'myapp', 'merge', {
				spec: {selector: {version: 'green'}},
			});
			seedSim.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
				metadata: {annotations: {[weightKey]: '50'}},
			});
			let last: RolloutMetrics[] = [];
			const moved = () =>
				source.fetch([myapp, shopNginx], window()).then((results) => {
					last = results;
					const [app, nginx] = results;
					const ok = (v: number | null, want: number, tol: number) =>
						v !== null && Math.abs(v - want) <= tol;
					return (
						ok(track(app, 'green').now.rps, 50, 5) &&
						ok(track(app, 'blue').now.rps, 0, 0.5) &&
						// Once blue's last requests have left the rate window, it has no ratio at all.
						track(app, 'blue').now.errorRatio === null &&
						ok(track(nginx, 'stable').now.rps, 20, 2.5) &&
						ok(track(nginx, 'canary').now.rps, 20, 2.5)
					);
				});
			await until('the rates to follow the switch and the step', moved, 20_000).catch((e) => {
				throw new Error(
					`${(e as Error).message}\nlast: ${JSON.stringify(last.map((r) => r.tracks.map((t) => [t.key, t.now])))}`,
				);
			});
			const [app] = last;
			// Blue's history keeps its 50 rps; now it reads 0 with no ratio and no p99, not "healthy".
			expect(track(app, 'blue').points.some((p) => (p.rps ?? 0) > 40)).toBe(true);
			expect(track(app, 'blue').now.errorRatio).toBeNull();
			expect(track(app, 'blue').now.p99Seconds).toBeNull();
			expect(track(app, 'green').noData).toBeUndefined();
		}, 30_000);

		it('says "prometheus unreachable" for every track when Prometheus stops, and does not throw', async () => {
			const kubeConfig = new KubeConfig();
			kubeConfig.loadFromString(seedSim.kubeconfig);
			const proxied = new PrometheusSource({
				service: 'default/prometheus:9090',
				kubeConfig,
				interval,
			});
			await seedProm.stop();
			const targets: MetricsTarget[] = [myapp, shopNginx, shopApp];
			for (const s of [source, proxied]) {
				const results = await s.fetch(targets, window());
				expect(results).toHaveLength(3);
				for (const result of results) {
					expect(result.error).toMatch(/^prometheus unreachable: /);
					for (const t of result.tracks) {
						expect(t.noData).toMatch(/^prometheus unreachable: .*(ECONNREFUSED|refused)/);
						expect(t.now).toEqual({
							rps: null,
							errorRatio: null,
							p99Seconds: null,
							requests: null,
							errors: null,
						});
					}
				}
			}
		});
	},
);
