import {Counter, Histogram, Registry} from 'prom-client';
import {podImages, podReady} from './controllers/pods.js';
import {effective, latencyBuckets, sampleLatency, type Window} from './latency.js';
import {resourceTypes} from './resources.js';
import {choose, type RouterPod, Routers} from './router.js';
import {behaviourFor, type Scenario} from './scenario.js';
import {matchesLabels} from './selectors.js';
import type {KubeObject, Store} from './store.js';

const services = resourceTypes.find((t) => t.plural === 'services')!;
const ingresses = resourceTypes.find((t) => t.plural === 'ingresses')!;
const pods = resourceTypes.find((t) => t.plural === 'pods')!;

/** Where a share of an entry's requests goes: the pods behind one backend Service. */
export type Route = {
	entry: Scenario['traffic'][number];
	namespace: string;
	service: string;
	pods: KubeObject[];
	/** Fraction of the entry's requests, 0..1. */
	share: number;
	/** For Ingress entries: the labels ingress-nginx's metrics carry. */
	nginx?: {ingress: string; host: string; path: string; canary: string};
	/** A canary router pod (the seed's Flask router): it relays its requests by its percentage. */
	router?: RouterPod;
};

/** Of the requests a router relays, the share from known users (an X-User-ID), from this many. */
const knownUsers = {share: 0.7, count: 1000};

const prefix = 'nginx.ingress.kubernetes.io/';

/** nginx's reading of the canary weight: a weight it cannot parse sends the canary nothing. */
function canaryShare(canary: KubeObject): number {
	const annotations = canary.metadata.annotations ?? {};
	const totalText = annotations[`${prefix}canary-weight-total`];
	const total =
		totalText && /^\d+$/.test(totalText.trim()) && Number(totalText) > 0 ? Number(totalText) : 100;
	const weight = (annotations[`${prefix}canary-weight`] ?? '0').trim();
	if (!/^\d+$/.test(weight)) return 0;
	return Math.min(Number(weight), total) / total;
}

function firstRule(
	ingress: KubeObject,
): {host: string; path: string; service?: string; port?: number} | undefined {
	const rule = ingress.spec?.rules?.[0];
	const path = rule?.http?.paths?.[0];
	if (!path) return undefined;
	return {
		host: rule.host ?? '',
		path: path.path ?? '/',
		service: path.backend?.service?.name,
		port: path.backend?.service?.port?.number,
	};
}

/**
 * The label Prometheus carries for a pod's version, as a scrape config's relabelling would set
 * it: its version or track label, else its ReplicaSet's template hash (Argo's or a Deployment's,
 * which tells a rolling update's two versions apart), else its app.
 */
function versionLabel(pod: KubeObject): string {
	const labels = pod.metadata.labels ?? {};
	return (
		labels.version ??
		labels.track ??
		labels['rollouts-pod-template-hash'] ??
		labels['pod-template-hash'] ??
		labels.app ??
		pod.metadata.name!
	);
}

/** Per-second totals for the simulated metrics source (the demo reads them without Prometheus). */
export type SeriesKey = string;

/**
 * The simulator's traffic: a steady rate per entry point, split by the live Service selectors and
 * canary weights; each version errs and lags as its scenario behaviour says. Counted for
 * Prometheus at /metrics in both presets' label sets (the app's own metrics and ingress-nginx's).
 */
export class TrafficModel {
	readonly registry = new Registry();
	private readonly requests: Counter;
	private readonly durations: Histogram;
	private readonly nginxRequests: Counter;
	private readonly nginxDurations: Histogram;
	private readonly nginxResponse: Histogram;
	private readonly carry = new Map<string, number>();
	/** Per series, a ring of per-second windows (for the simulated source). */
	private readonly history = new Map<SeriesKey, Map<number, Window>>();
	private timer: NodeJS.Timeout | undefined;
	private last = 0;
	private readonly routers: Routers;

	constructor(
		private readonly store: Store,
		private readonly scenario: Scenario,
		private readonly historySeconds = 900,
	) {
		this.routers = new Routers(store);
		this.requests = new Counter({
			name: 'http_requests_total',
			help: 'Total requests',
			labelNames: ['namespace', 'app', 'version', 'status_code', 'endpoint'],
			registers: [this.registry],
		});
		this.durations = new Histogram({
			name: 'http_request_duration_seconds',
			help: 'Request duration',
			labelNames: ['namespace', 'app', 'version', 'endpoint'],
			buckets: latencyBuckets,
			registers: [this.registry],
		});
		const nginxLabels = [
			'namespace',
			'ingress',
			'service',
			'status',
			'canary',
			'host',
			'method',
			'path',
			'controller_class',
			'controller_namespace',
			'controller_pod',
		];
		this.nginxRequests = new Counter({
			name: 'nginx_ingress_controller_requests',
			help: 'The total number of client requests',
			labelNames: nginxLabels,
			registers: [this.registry],
		});
		this.nginxDurations = new Histogram({
			name: 'nginx_ingress_controller_request_duration_seconds',
			help: 'The request processing time in milliseconds',
			labelNames: nginxLabels,
			buckets: latencyBuckets,
			registers: [this.registry],
		});
		this.nginxResponse = new Histogram({
			name: 'nginx_ingress_controller_response_duration_seconds',
			help: 'The time spent on receiving the response from the upstream server',
			labelNames: nginxLabels,
			buckets: latencyBuckets,
			registers: [this.registry],
		});
	}

	start(intervalMs = 1000): void {
		this.last = Date.now();
		this.timer = setInterval(() => {
			const now = Date.now();
			this.tick((now - this.last) / 1000, now);
			this.last = now;
		}, intervalMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** The current split of every entry point's requests. */
	routes(): Route[] {
		const routes: Route[] = [];
		const readyPods = (namespace: string, service: string | undefined) =>
			this.readyPods(namespace, service);
		for (const entry of this.scenario.traffic) {
			if (entry.kind === 'service') {
				const behind = readyPods(entry.namespace, entry.name);
				const routers = behind.flatMap((pod) => this.routers.routerOf(pod) ?? []);
				// A Service in front of routers: each router pod relays its share by its own percentage.
				if (routers.length > 0) {
					for (const router of routers)
						routes.push({
							entry,
							namespace: entry.namespace,
							service: entry.name,
							pods: [router.pod],
							share: 1 / routers.length,
							router,
						});
					continue;
				}
				routes.push({
					entry,
					namespace: entry.namespace,
					service: entry.name,
					pods: behind,
					share: 1,
				});
				continue;
			}
			const primary = this.store.find(ingresses, entry.namespace, entry.name);
			const rule = primary ? firstRule(primary) : undefined;
			if (!rule) continue;
			const canary = this.store
				.peek(ingresses, {namespace: entry.namespace})
				.find(
					(ingress) =>
						ingress.metadata.annotations?.[`${prefix}canary`] === 'true' &&
						firstRule(ingress)?.host === rule.host &&
						firstRule(ingress)?.path === rule.path,
				);
			const share = canary ? canaryShare(canary) : 0;
			const canaryRule = canary ? firstRule(canary) : undefined;
			const nginx = {ingress: entry.name, host: rule.host, path: rule.path};
			routes.push({
				entry,
				namespace: entry.namespace,
				service: rule.service ?? '',
				pods: readyPods(entry.namespace, rule.service),
				share: 1 - share,
				nginx: {...nginx, canary: ''},
			});
			if (canary && canaryRule) {
				const upstream = `${entry.namespace}-${canaryRule.service}-${canaryRule.port ?? 80}`;
				routes.push({
					entry,
					namespace: entry.namespace,
					service: canaryRule.service ?? '',
					pods: readyPods(entry.namespace, canaryRule.service),
					share,
					nginx: {...nginx, canary: upstream},
				});
			}
		}
		return routes;
	}

	/** Sends `seconds` worth of requests along the current routes. */
	tick(seconds: number, now = Date.now()): void {
		if (seconds <= 0) return;
		for (const route of this.routes()) {
			if (route.pods.length === 0 || route.share <= 0) continue;
			const perPod = (route.entry.rps * route.share * seconds) / route.pods.length;
			for (const pod of route.pods) {
				const key = `${route.entry.kind}/${route.entry.namespace}/${route.entry.name}/${pod.metadata.name}/${route.nginx?.canary ?? ''}`;
				const due = (this.carry.get(key) ?? 0) + perPod;
				const count = Math.floor(due);
				this.carry.set(key, due - count);
				if (count <= 0) continue;
				if (route.router) this.relay(route, route.router, count, now);
				else this.send(route, pod, count, now);
			}
		}
	}

	private readyPods(namespace: string, serviceName: string | undefined): KubeObject[] {
		const service = serviceName ? this.store.find(services, namespace, serviceName) : undefined;
		if (!service) return [];
		return this.store
			.peek(pods, {namespace})
			.filter((pod) => podReady(pod) && matchesLabels(service.spec?.selector, pod.metadata.labels));
	}

	/** A router pod's requests, one by one: a known user by its hash, an anonymous one at random. */
	private relay(route: Route, router: RouterPod, count: number, now: number): void {
		const sides = {
			stable: {service: router.stable, share: 1 - router.percent / 100},
			canary: {service: router.canary, share: router.percent / 100},
		};
		const backends = {
			stable: this.readyPods(route.namespace, router.stable),
			canary: this.readyPods(route.namespace, router.canary),
		};
		for (let i = 0; i < count; i++) {
			const user =
				Math.random() < knownUsers.share
					? `user-${Math.floor(Math.random() * knownUsers.count)}`
					: undefined;
			const side = choose(router, user);
			const pool = backends[side];
			// No backend pod: the router's request fails before any version sees it.
			if (pool.length === 0) continue;
			const pod = pool[Math.floor(Math.random() * pool.length)]!;
			this.send(
				{entry: route.entry, namespace: route.namespace, pods: pool, ...sides[side]},
				pod,
				1,
				now,
			);
		}
	}

	private send(route: Route, pod: KubeObject, count: number, now: number): void {
		const behaviour = effective(behaviourFor(this.scenario, podImages(pod)[0] ?? ''), route.share);
		const app = pod.metadata.labels?.app ?? '';
		const version = versionLabel(pod);
		const appSeries = this.window(`app|${route.namespace}|${app}|${version}`, now);
		const nginxSeries = route.nginx
			? this.window(
					`nginx|${route.namespace}|${route.nginx.ingress}|${route.nginx.canary === '' ? 'stable' : 'canary'}`,
					now,
				)
			: undefined;
		for (let i = 0; i < count; i++) {
			const failed = Math.random() < behaviour.errorRatio;
			const status = failed ? '500' : '200';
			const seconds = sampleLatency(behaviour.p99Ms);
			this.requests.inc({
				namespace: route.namespace,
				app,
				version,
				status_code: status,
				endpoint: '/',
			});
			this.durations.observe({namespace: route.namespace, app, version, endpoint: '/'}, seconds);
			for (const window of [appSeries, nginxSeries]) {
				if (!window) continue;
				window.requests++;
				window.durationSum += seconds;
				if (failed) window.errors++;
				const bucket = latencyBuckets.findIndex((le) => seconds <= le);
				window.buckets[bucket < 0 ? latencyBuckets.length : bucket]!++;
			}
			if (route.nginx) {
				const labels = {
					namespace: route.namespace,
					ingress: route.nginx.ingress,
					service: route.service,
					status,
					canary: route.nginx.canary,
					host: route.nginx.host,
					method: 'GET',
					path: route.nginx.path,
					controller_class: 'k8s.io/ingress-nginx',
					controller_namespace: 'ingress-nginx',
					controller_pod: 'ingress-nginx-controller-sim',
				};
				this.nginxRequests.inc(labels);
				this.nginxDurations.observe(labels, seconds);
				this.nginxResponse.observe(labels, seconds * 0.95);
			}
		}
	}

	private window(series: SeriesKey, now: number): Window {
		let ring = this.history.get(series);
		if (!ring) {
			ring = new Map();
			this.history.set(series, ring);
		}
		const second = Math.floor(now / 1000);
		let window = ring.get(second);
		if (!window) {
			window = {
				requests: 0,
				errors: 0,
				buckets: new Array(latencyBuckets.length + 1).fill(0),
				durationSum: 0,
			};
			ring.set(second, window);
			for (const old of ring.keys()) if (old < second - this.historySeconds) ring.delete(old);
		}
		return window;
	}

	/**
	 * Per-second windows of one series between two times (seconds since the epoch), for the
	 * simulated metrics source: `app|namespace|app|version` or `nginx|namespace|ingress|stable|canary`.
	 */
	windows(
		series: SeriesKey,
		fromSecond: number,
		toSecond: number,
	): Array<{second: number} & Window> {
		const ring = this.history.get(series);
		if (!ring) return [];
		return [...ring.entries()]
			.filter(([second]) => second >= fromSecond && second <= toSecond)
			.map(([second, window]) => ({second, ...window}));
	}

	/** The exposition at /metrics. */
	metrics(): Promise<string> {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}
}
