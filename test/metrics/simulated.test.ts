import {afterEach, describe, expect, it} from 'vitest';
import {SimulatedSource} from '../../source/metrics/simulated.js';
import {type Sim, type SimOptions, startSim} from '../../source/sim/index.js';
import {loadScenario} from '../../source/sim/scenario.js';
import {typeOf, until} from '../helpers/sim-cluster.js';
import {myapp, shopApp, shopNginx, track} from './targets.js';

const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';
let sim: Sim | undefined;

afterEach(async () => {
	await sim?.stop();
	sim = undefined;
});

/** A sim whose traffic moves only when the test ticks it, once its pods are ready. */
async function handTicked(scenario: SimOptions['scenario'] = 'seed') {
	sim = await startSim({port: 0, trafficIntervalMs: 0, podStartSeconds: 0, scenario});
	const s = sim;
	await until('every route to have ready pods', () =>
		s.traffic.routes().every((r) => r.pods.length > 0 || r.share === 0),
	);
	return s;
}

const window = (endMs: number) => ({endMs, minutes: 1, stepSeconds: 2});

describe('SimulatedSource', () => {
	it('reads the rates the traffic model implies, per track, in both presets', async () => {
		const s = await handTicked();
		const source = new SimulatedSource({traffic: s.traffic, intervalSeconds: 10});
		const t0 = Date.now();
		// Whole requests per pod: 500 over 3 pods is 498 this tick, the rest carried to the next.
		s.traffic.tick(10, t0);
		const [app, nginx, shop] = await source.fetch([myapp, shopNginx, shopApp], window(t0));
		expect(app?.windowMinutes).toBe(1);
		expect(track(app, 'blue').now.rps).toBeCloseTo(50, 0);
		expect(track(app, 'blue').noData).toBeUndefined();
		expect(track(app, 'green').noData).toBe('no traffic');
		expect(track(app, 'green').now).toEqual({
			rps: null,
			errorRatio: null,
			p99Seconds: null,
			requests: null,
			errors: null,
		});
		expect(track(nginx, 'stable').now.rps).toBeCloseTo(36, 0);
		expect(track(nginx, 'canary').now.rps).toBeCloseTo(4, 0);
		expect(track(shop, 'stable').now.rps).toBeCloseTo(36, 0);
		expect(track(shop, 'canary').now.rps).toBeCloseTo(4, 0);
		// One point per step of the window, oldest first; before the first request, no data.
		const points = track(app, 'blue').points;
		expect(points).toHaveLength(31);
		expect(points[0]?.t).toBe(t0 - 60_000);
		expect(points.at(-1)?.t).toBe(t0);
		expect(points[0]?.rps).toBeNull();
		// The counts behind the rate are the requests themselves, over the 10 s interval.
		const {requests, errors, rps} = track(app, 'blue').now;
		expect(Number.isInteger(requests)).toBe(true);
		expect(Number.isInteger(errors)).toBe(true);
		expect(requests).toBeCloseTo((rps ?? 0) * 10, 9);
		const p99 = track(app, 'blue').now.p99Seconds;
		expect(p99).toBeGreaterThan(0.075);
		expect(p99).toBeLessThan(0.2);
	});

	it('moves when the engineer switches the selector or steps the weight', async () => {
		const s = await handTicked();
		const source = new SimulatedSource({traffic: s.traffic, intervalSeconds: 10});
		const t0 = Date.now();
		s.traffic.tick(10, t0);
		s.store.patch(typeOf('services'), 'default', 'myapp', 'merge', {
			spec: {selector: {version: 'green'}},
		});
		s.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
			metadata: {annotations: {[weightKey]: '50'}},
		});
		const t1 = t0 + 20_000;
		s.traffic.tick(10, t1);
		const [app, nginx] = await source.fetch([myapp, shopNginx], window(t1));
		expect(track(app, 'green').now.rps).toBeCloseTo(50, 0);
		// Blue still has its series: 0 rps (0 requests, 0 errors) now is a number, its ratio and p99 are not.
		expect(track(app, 'blue').now).toEqual({
			rps: 0,
			errorRatio: null,
			p99Seconds: null,
			requests: 0,
			errors: 0,
		});
		expect(track(app, 'blue').points.some((p) => (p.rps ?? 0) > 49)).toBe(true);
		expect(track(nginx, 'stable').now.rps).toBeCloseTo(20, 0);
		expect(track(nginx, 'canary').now.rps).toBeCloseTo(20, 0);
	});

	it('tells a bad canary from its stable: errors and p99 from the same buckets', async () => {
		const s = await handTicked('bad-canary');
		const source = new SimulatedSource({traffic: s.traffic, intervalSeconds: 200});
		const t0 = Date.now();
		// 200 s at 40 rps: 7200 stable and 800 canary requests, enough for a steady ratio.
		s.traffic.tick(200, t0);
		const [nginx] = await source.fetch([shopNginx], window(t0));
		const stable = track(nginx, 'stable').now;
		const canary = track(nginx, 'canary').now;
		expect(stable.errorRatio).toBeLessThan(0.006);
		expect(canary.errorRatio).toBeGreaterThan(0.02);
		expect(canary.errorRatio).toBeLessThan(0.07);
		// The ratio is the exact counts': errors over requests in the 200 s interval.
		expect(canary.requests).toBeGreaterThan(0);
		expect(canary.errorRatio).toBeCloseTo((canary.errors ?? 0) / (canary.requests ?? 1), 12);
		expect(stable.p99Seconds).toBeGreaterThan(0.09);
		expect(stable.p99Seconds).toBeLessThan(0.16);
		expect(canary.p99Seconds).toBeGreaterThan(0.7);
		expect(canary.p99Seconds).toBeLessThan(1.15);
	});

	it('says why a target has nothing to look up', async () => {
		const s = await handTicked();
		const source = new SimulatedSource({traffic: s.traffic});
		const withoutApp = {...myapp, labels: {}};
		const [result] = await source.fetch([withoutApp], window(Date.now()));
		expect(track(result, 'blue').noData).toBe('no app label to find its metrics by');
		expect(source.describe()).toBe('simulated traffic');
	});
});

// The scenario loader is shared with the Prometheus test; keep it exercised here too.
it('the bad-canary scenario is built in', () => {
	expect(loadScenario('bad-canary').behaviours['shop:2.4.0']?.errorRatio).toBe(0.04);
});
