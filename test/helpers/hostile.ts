/**
 * Cluster text that tries to drive the terminal: every kind of escape a terminal obeys, put
 * where cutover shows cluster text (an image, annotations, an Event), in the seed's myapp.
 */
import {recordEvent} from '../../source/sim/events.js';
import type {Sim} from '../../source/sim/index.js';
import {resourceTypes} from '../../source/sim/resources.js';
import {until} from './sim-cluster.js';

const type = (plural: string) => resourceTypes.find((t) => t.plural === plural)!;

/** OSC 0 (window title), OSC 52 (clipboard write), OSC 8 (hyperlink), SGR, DCS, APC, CSI queries, C1 CSI, bidi, CR/LF. */
export const hostile = {
	image: 'myapp:1.1.0\u001b]0;pwned\u0007\u001b]52;c;cHduZWQ=\u0007',
	healthPath: '/health\u001b[31mRED',
	event:
		'evil\u001b[2J\u001b[?1049l\u001b[6n \u202eRTL \u001b]8;;http://x.example\u0007link\u001b]8;;\u0007 \u001bPdcs\u001b\\ \u001b_apc\u001b\\ \u009b31m\rfake\nline',
	threshold: '\u001b]52;c;cHduZWQ=\u0007',
};

/** The payloads as they may never reach a terminal: each starts a sequence the terminal acts on. */
export const rawPayloads = [
	'\u001b]0;pwned',
	'\u001b]52;',
	'\u001b]8;;',
	'\u001b[31mRED',
	'evil\u001b[2J',
	'\u001b[6n',
	'\u001bPdcs',
	'\u001b_apc',
	'\u009b31m',
	'\u202e',
	'\rfake',
];

/** Puts the payloads into the seed's myapp: green's image, the health path, an Event, a threshold. */
export function poison(sim: Sim): void {
	const green = sim.store.get(type('deployments'), 'default', 'app-green');
	const containers = structuredClone(green.spec.template.spec.containers);
	containers[0].image = hostile.image;
	sim.store.patch(type('deployments'), 'default', 'app-green', 'merge', {
		spec: {template: {spec: {containers}}},
	});
	sim.store.patch(type('services'), 'default', 'myapp', 'merge', {
		metadata: {
			annotations: {
				'cutover.dev/health-path': hostile.healthPath,
				'cutover.dev/max-error-ratio': hostile.threshold,
			},
		},
	});
	recordEvent(
		sim.store,
		sim.store.get(type('services'), 'default', 'myapp'),
		'Warning',
		'Injected',
		hostile.event,
		'test',
	);
}

/** One payload of every kind, for the fields of the other strategies. */
export const payload = 'x\u001b]0;pwned\u0007\u001b[2J\u202eRTL\u009b31m\rfake';
/** The payload as cutover shows it. */
export const payloadShown = 'x\\x1b]0;pwned\\x07\\x1b[2J\\u202eRTL\\x9b31m\\x0dfake';

/**
 * The payload where each other strategy shows cluster text: a weight, a gate's name, images
 * (Flagger's target, Argo's, a plain Deployment's). Resolves once each workload's controller has
 * made the ReplicaSet of the poisoned template, so that the rollout shows the new revision.
 */
export async function poisonEveryStrategy(sim: Sim): Promise<void> {
	sim.store.patch(type('ingresses'), 'shop', 'shop-canary', 'merge', {
		metadata: {annotations: {'nginx.ingress.kubernetes.io/canary-weight': payload}},
	});
	const canary = sim.store.get(type('canaries'), 'test', 'podinfo');
	const webhooks = structuredClone(canary.spec.analysis.webhooks);
	for (const hook of webhooks) if (hook.type === 'confirm-traffic-increase') hook.name = payload;
	sim.store.patch(type('canaries'), 'test', 'podinfo', 'merge', {
		spec: {analysis: {webhooks}},
	});
	for (const [plural, namespace, name] of [
		['rollouts', 'argo', 'rollouts-demo'],
		['deployments', 'test', 'flagger-loadtester'],
		['deployments', 'test', 'podinfo'],
	] as const) {
		const object = sim.store.get(type(plural), namespace, name);
		const containers = structuredClone(object.spec.template.spec.containers);
		containers[0].image = `${payload}:1`;
		sim.store.patch(type(plural), namespace, name, 'merge', {
			spec: {template: {spec: {containers}}},
		});
	}
	await until(
		"the poisoned templates' ReplicaSets",
		() => {
			const images = sim.store
				.peek(type('replicasets'), {namespace: 'test'})
				.concat(sim.store.peek(type('replicasets'), {namespace: 'argo'}))
				.map((rs) => `${rs.metadata.name} ${rs.spec.template.spec.containers[0].image}`);
			return ['flagger-loadtester-', 'podinfo-', 'rollouts-demo-'].every((prefix) =>
				images.some((line) => line.startsWith(prefix) && line.endsWith(` ${payload}:1`)),
			);
		},
		10_000,
	);
}
