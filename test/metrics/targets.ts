import type {MetricsTarget, RolloutMetrics, TrackMetrics} from '../../source/core/metrics.js';

/** The seed's myapp (app preset, blue/green by the version label; blue is live). */
export const myapp: MetricsTarget = {
	rolloutId: 'default/myapp',
	namespace: 'default',
	preset: 'app',
	labels: {app: 'myapp'},
	tracks: [
		{key: 'blue', series: 'blue'},
		{key: 'green', series: 'green'},
	],
};

/** The seed's shop canary through ingress-nginx's metrics. */
export const shopNginx: MetricsTarget = {
	rolloutId: 'shop/shop',
	namespace: 'shop',
	preset: 'nginx',
	labels: {ingress: 'shop'},
	tracks: [
		{key: 'stable', series: 'stable'},
		{key: 'canary', series: 'canary'},
	],
};

/** The same shop through the app's own metrics (its Deployments' track label). */
export const shopApp: MetricsTarget = {
	rolloutId: 'shop/shop-app',
	namespace: 'shop',
	preset: 'app',
	labels: {app: 'shop'},
	tracks: [
		{key: 'stable', series: 'stable'},
		{key: 'canary', series: 'canary'},
	],
};

/** `count` targets of one preset in namespaces no traffic goes to. */
export function strangers(preset: 'app' | 'nginx', count: number): MetricsTarget[] {
	return Array.from(
		{length: count},
		(_, i): MetricsTarget => ({
			rolloutId: `team-${i}/svc-${i}`,
			namespace: `team-${i}`,
			preset,
			labels: preset === 'app' ? {app: `svc-${i}`} : {ingress: `svc-${i}`},
			tracks: [
				{key: 'stable', series: preset === 'app' ? 'v1' : 'stable'},
				{key: 'canary', series: preset === 'app' ? 'v2' : 'canary'},
			],
		}),
	);
}

/** The track of this key in a result; throws when it is missing. */
export function track(result: RolloutMetrics | undefined, key: string): TrackMetrics {
	const found = result?.tracks.find((t) => t.key === key);
	if (!found) throw new Error(`no ${key} track`);
	return found;
}
