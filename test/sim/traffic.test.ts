import {afterEach, describe, expect, it} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {typeOf, until} from '../helpers/sim-cluster.js';

const sims: Sim[] = [];
afterEach(async () => {
	await Promise.all(sims.splice(0).map((sim) => sim.stop()));
});

async function sim(scenario = 'seed'): Promise<Sim> {
	// The traffic model is ticked by hand: the numbers below do not depend on timers.
	const started = await startSim({port: 0, scenario, trafficIntervalMs: 0});
	sims.push(started);
	return started;
}

function totals(s: Sim, series: string): {requests: number; errors: number} {
	const windows = s.traffic.windows(series, 0, Number.MAX_SAFE_INTEGER);
	return {
		requests: windows.reduce((n, w) => n + w.requests, 0),
		errors: windows.reduce((n, w) => n + w.errors, 0),
	};
}

function setWeight(s: Sim, weight: string): void {
	s.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
		metadata: {annotations: {'nginx.ingress.kubernetes.io/canary-weight': weight}},
	});
}

describe('the traffic model', () => {
	it('splits an Ingress entry by the canary weight, as nginx does', async () => {
		const s = await sim();
		const shop = s.traffic.routes().filter((r) => r.entry.name === 'shop');
		expect(shop.map((r) => [r.service, r.share])).toEqual([
			['shop-stable', 0.9],
			['shop-canary', 0.1],
		]);
		expect(shop[1]!.nginx?.canary).toBe('shop-shop-canary-80');
		s.traffic.tick(100, 1_000_000);
		// 40 rps for 100 s: 3,600 to stable, 400 to the canary.
		expect(totals(s, 'nginx|shop|shop|stable').requests).toBe(3600);
		expect(totals(s, 'nginx|shop|shop|canary').requests).toBe(400);
		expect(totals(s, 'app|shop|shop|canary').requests).toBe(400);
	});

	it('sends the canary nothing when its weight is not a number nginx can read', async () => {
		const s = await sim();
		setWeight(s, 'abc');
		const shop = s.traffic.routes().filter((r) => r.entry.name === 'shop');
		expect(shop.map((r) => r.share)).toEqual([1, 0]);
	});

	it('follows the live selector of a Service entry: after a switch green gets the requests', async () => {
		const s = await sim();
		// 50 rps for 10 s over 3 pods: 166.7 each, the fractions carried to the next tick.
		s.traffic.tick(10, 1_000_000);
		expect(totals(s, 'app|default|myapp|blue').requests).toBeGreaterThanOrEqual(498);
		expect(totals(s, 'app|default|myapp|green').requests).toBe(0);
		s.store.patch(typeOf('services'), 'default', 'myapp', 'merge', {
			spec: {selector: {version: 'green'}},
		});
		s.traffic.tick(10, 1_010_000);
		expect(totals(s, 'app|default|myapp|green').requests).toBeGreaterThanOrEqual(498);
		expect(totals(s, 'app|default|myapp|blue').requests).toBeLessThanOrEqual(500);
	});

	it('a degrading canary errs from 25 % of the traffic on, not at 10 %', async () => {
		const s = await sim('degrading-canary');
		// The model keeps 15 minutes of history: both ticks stay inside it.
		s.traffic.tick(300, 1_000_000);
		const before = totals(s, 'app|shop|shop|canary');
		expect(before.requests).toBe(1200);
		expect(before.errors / before.requests).toBeLessThan(0.015);
		setWeight(s, '25');
		s.traffic.tick(300, 1_300_000);
		const after = totals(s, 'app|shop|shop|canary');
		const added = {
			requests: after.requests - before.requests,
			errors: after.errors - before.errors,
		};
		expect(added.requests).toBe(3000);
		// 5 % of 3,000 is 150 +- 12: well apart from the 0.2 % it had at 10 %.
		expect(added.errors / added.requests).toBeGreaterThan(0.035);
		expect(added.errors / added.requests).toBeLessThan(0.065);
	});

	it('exposes both presets at /metrics in the Prometheus text format', async () => {
		const s = await sim();
		s.traffic.tick(10, 1_000_000);
		const text = await (await fetch(`${s.url}/metrics`)).text();
		expect(text).toMatch(
			/^http_requests_total\{namespace="default",app="myapp",version="blue",status_code="200",endpoint="\/"\} \d+$/m,
		);
		expect(text).toMatch(
			/^http_request_duration_seconds_bucket\{le="0\.5",namespace="default",app="myapp",version="blue",endpoint="\/"\} \d+$/m,
		);
		expect(text).toMatch(
			/^nginx_ingress_controller_requests\{namespace="shop",ingress="shop",service="shop-canary",status="200",canary="shop-shop-canary-80"/m,
		);
		expect(text).toContain('# TYPE nginx_ingress_controller_request_duration_seconds histogram');
	});

	it("relays through a canary router by each router pod's own percentage: half rolled, in between", async () => {
		const s = await sim('canary-router');
		const routers = () =>
			s.traffic
				.routes()
				.filter((r) => r.router && r.namespace === 'web' && r.entry.name === 'router');
		await until('the router pods are ready', () => routers().length === 2, 10_000);
		expect(routers().map((r) => [r.share, r.router!.percent])).toEqual([
			[0.5, 5],
			[0.5, 5],
		]);
		const router = s.store.get(typeOf('deployments'), 'web', 'canary-router');
		const containers = structuredClone(router.spec.template.spec.containers);
		containers[0].env[0].value = '95';
		s.store.patch(typeOf('deployments'), 'web', 'canary-router', 'merge', {
			spec: {template: {spec: {containers}}},
		});
		// Mid-rollout, pods that started with 5 and with 95 both answer.
		await until(
			'a router pod at 5 and one at 95',
			() => new Set(routers().map((r) => r.router!.percent)).size === 2,
			10_000,
		);
		const mix = routers().reduce((sum, r) => sum + r.share * r.router!.percent, 0);
		expect(mix).toBeGreaterThan(5);
		expect(mix).toBeLessThan(95);
		s.traffic.tick(100, 2_000_000);
		const canary = totals(s, 'app|web|web|canary').requests;
		const stable = totals(s, 'app|web|web|stable').requests;
		expect(canary + stable).toBeGreaterThan(3500);
		expect(Math.abs((100 * canary) / (canary + stable) - mix)).toBeLessThan(5);
	});
});
