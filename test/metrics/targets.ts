import type {MetricsTarget} from '../../source/core/metrics.js';

/** The seed's myapp (app preset, blue/green by the version label). */
export const myapp: MetricsTarget = {
	rolloutId: 'default/myapp',
	namespace: 'default',
	preset: 'app',
	app: 'myapp',
	tracks: [
		{role: 'stable', key: 'blue'},
		{role: 'canary', key: 'green'},
	],
};

/** The seed's shop canary through ingress-nginx's metrics. */
export const shopNginx: MetricsTarget = {
	rolloutId: 'shop/shop',
	namespace: 'shop',
	preset: 'nginx',
	ingress: 'shop',
	tracks: [
		{role: 'stable', key: 'stable'},
		{role: 'canary', key: 'canary'},
	],
};

/** The same shop through the app's own metrics (its Deployments' track label). */
export const shopApp: MetricsTarget = {
	rolloutId: 'shop/shop-app',
	namespace: 'shop',
	preset: 'app',
	app: 'shop',
	tracks: [
		{role: 'stable', key: 'stable'},
		{role: 'canary', key: 'canary'},
	],
};

/** `count` targets of one preset in namespaces no traffic goes to. */
export function strangers(preset: MetricsTarget['preset'], count: number): MetricsTarget[] {
	return Array.from({length: count}, (_, i) => ({
		rolloutId: `team-${i}/svc-${i}`,
		namespace: `team-${i}`,
		preset,
		...(preset === 'app' ? {app: `svc-${i}`} : {ingress: `svc-${i}`}),
		tracks: [
			{role: 'stable' as const, key: preset === 'app' ? 'v1' : 'stable'},
			{role: 'canary' as const, key: preset === 'app' ? 'v2' : 'canary'},
		],
	}));
}

export function track(result: {tracks: Array<{role: string}>} | undefined, role: string) {
	const found = result?.tracks.find((t) => t.role === role);
	if (!found) throw new Error(`no ${role} track`);
	return found as import('../../source/core/metrics.js').TrackMetrics;
}
