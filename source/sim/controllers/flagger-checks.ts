/**
 * What the sim's Flagger consults during an analysis: the Canary's webhooks (answered by the
 * sim's flagger-loadtester, as if Flagger had POSTed its payload to the URL), the NGINX metric
 * checks (from the traffic model's per-second windows of the canary's requests), and its Events.
 * Messages are Flagger's own (fluxcd/flagger pkg/controller/scheduler*.go).
 */

import {recordEvent} from '../events.js';
import type {Loadtesters} from '../loadtester.js';
import {isLoadtester, type ProxyOptions} from '../proxy.js';
import {resourceTypes} from '../resources.js';
import {matchesLabels} from '../selectors.js';
import {type KubeObject, type Store, timestamp} from '../store.js';
import type {TrafficModel} from '../traffic.js';
import {podReady} from './pods.js';

const services = resourceTypes.find((t) => t.plural === 'services')!;
const pods = resourceTypes.find((t) => t.plural === 'pods')!;
const events = resourceTypes.find((t) => t.plural === 'events')!;

export type Webhook = {
	name?: string;
	type?: string;
	url?: string;
	metadata?: Record<string, string>;
};

export type CheckContext = {
	store: Store;
	traffic: TrafficModel;
	loadtesters: Loadtesters;
	serves: ProxyOptions['serves'];
};

/** `name.namespace`, as Flagger names a Canary in its messages. */
export const dotted = (canary: KubeObject) =>
	`${canary.metadata.name}.${canary.metadata.namespace}`;

/** A Go duration ("1m", "30s", "1m30s", "500ms") in seconds; undefined when it is not one. */
export function goDuration(text: unknown): number | undefined {
	if (typeof text !== 'string' || text === '') return undefined;
	const units: Record<string, number> = {
		h: 3600,
		m: 60,
		s: 1,
		ms: 0.001,
		us: 1e-6,
		µs: 1e-6,
		ns: 1e-9,
	};
	let total = 0;
	let rest = text;
	while (rest.length > 0) {
		const part = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
		if (!part) return undefined;
		total += Number(part[1]) * units[part[2]!]!;
		rest = rest.slice(part[0].length);
	}
	return total;
}

/** Go's time.Duration String for milliseconds, as "412ms" or "1.2s". */
export function goDurationText(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)}ms`;
	return `${Number((ms / 1000).toFixed(3))}s`;
}

/**
 * Records a Flagger Event (reason Synced, source flagger) on the Canary; a repeat of the last
 * identical one bumps its count, as the Kubernetes event recorder's correlator does.
 */
export function flaggerEvent(
	store: Store,
	canary: KubeObject,
	type: 'Normal' | 'Warning',
	message: string,
): void {
	const namespace = canary.metadata.namespace!;
	// biome-ignore lint/suspicious/noExplicitAny: an Event's fields sit beside its metadata
	const same: any = store.peek(events, {namespace}).find(
		// biome-ignore lint/suspicious/noExplicitAny: as above
		(e: any) =>
			e.involvedObject?.uid === canary.metadata.uid &&
			e.type === type &&
			e.reason === 'Synced' &&
			e.message === message,
	);
	if (same) {
		store.update(events, namespace, same.metadata.name!, {
			...same,
			count: (same.count ?? 1) + 1,
			lastTimestamp: timestamp(),
		});
		return;
	}
	recordEvent(store, canary, type, 'Synced', message, 'flagger');
}

/** The Service a webhook URL names: `http://name[.namespace[.svc[.cluster.local]]][:port]/path`. */
function serviceOf(store: Store, canary: KubeObject, url: string) {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined;
	}
	const [name = '', namespace = canary.metadata.namespace!, ...rest] = parsed.hostname.split('.');
	if (rest.length > 0 && rest[0] !== 'svc') return undefined;
	const service = store.find(services, namespace, name);
	return service ? {service, path: parsed.pathname} : undefined;
}

/**
 * Flagger's CallWebhook: POST {name, namespace, phase, checksum, metadata} to the hook's URL; a
 * 2xx answer is a go-ahead. The sim answers a URL of a loadtester Service with the loadtester's
 * answer; other URLs are unreachable, except the hooks that only run tests (pre-rollout,
 * rollout, post-rollout, event), which the sim takes as passed: it runs no tests.
 */
export function callWebhook(
	context: CheckContext,
	canary: KubeObject,
	hook: Webhook,
	phase: string,
): {ok: boolean; error?: string} {
	const runsTests = ['pre-rollout', 'rollout', 'post-rollout', 'event', '', undefined].includes(
		hook.type,
	);
	const target = serviceOf(context.store, canary, hook.url ?? '');
	const ready = target
		? context.store
				.peek(pods, {namespace: target.service.metadata.namespace})
				.filter(
					(pod) =>
						podReady(pod) && matchesLabels(target.service.spec?.selector, pod.metadata.labels),
				)
		: [];
	const tester = ready.find((pod) => isLoadtester(pod, context.serves));
	if (!target || !tester) {
		if (runsTests) return {ok: true};
		return {ok: false, error: `error sending webhook to ${hook.url}: connection refused`};
	}
	const payload = JSON.stringify({
		name: canary.metadata.name,
		namespace: canary.metadata.namespace,
		phase,
		checksum: `${canary.status?.lastAppliedSpec ?? ''}`,
		metadata: hook.metadata ?? {},
	});
	const answer = context.loadtesters.answer(
		`${target.service.metadata.namespace}/${target.service.metadata.name}`,
		target.path || '/',
		payload,
	);
	if (answer.status >= 200 && answer.status < 300) return {ok: true};
	return {ok: false, error: `${answer.status} ${answer.body}`.trim()};
}

/** The webhooks of a type, in the Canary's order. */
export function hooksOf(canary: KubeObject, type: string): Webhook[] {
	const hooks: Webhook[] = canary.spec?.analysis?.webhooks ?? [];
	return hooks.filter((hook) => (hook.type ?? 'rollout') === type);
}

/**
 * The NGINX provider's built-in checks over the canary's requests at the Ingress: success rate
 * (percent of non-5xx) and request duration (mean, ms). The window is the metric's interval,
 * scaled as the analysis interval is (the sim's seconds for the Canary's `1m`), at least 2 s.
 * Returns the Warning Flagger records when a check fails.
 */
export function metricChecks(
	context: CheckContext,
	canary: KubeObject,
	intervalSeconds: number,
	now = Date.now(),
): string | undefined {
	const analysis = canary.spec?.analysis ?? {};
	const scale = intervalSeconds / (goDuration(analysis.interval) ?? 60);
	const ingress = canary.spec?.ingressRef?.name ?? canary.spec?.targetRef?.name;
	const series = `nginx|${canary.metadata.namespace}|${ingress}|canary`;
	for (const metric of analysis.metrics ?? []) {
		if (metric.name !== 'request-success-rate' && metric.name !== 'request-duration') continue;
		const seconds = Math.max(2, (goDuration(metric.interval) ?? 60) * scale);
		const windows = context.traffic.windows(
			series,
			Math.floor((now - seconds * 1000) / 1000),
			Math.floor(now / 1000),
		);
		const requests = windows.reduce((n, w) => n + w.requests, 0);
		if (requests === 0) {
			return `Halt advancement no values found for nginx metric ${metric.name} probably ${canary.spec?.targetRef?.name}.${canary.metadata.namespace} is not receiving traffic: running query failed: no values found`;
		}
		const range = metric.thresholdRange ?? {};
		if (metric.name === 'request-success-rate') {
			const errors = windows.reduce((n, w) => n + w.errors, 0);
			const rate = ((requests - errors) / requests) * 100;
			if (typeof range.min === 'number' && rate < range.min)
				return `Halt ${dotted(canary)} advancement success rate ${rate.toFixed(2)}% < ${range.min}%`;
			if (typeof range.max === 'number' && rate > range.max)
				return `Halt ${dotted(canary)} advancement success rate ${rate.toFixed(2)}% > ${range.max}%`;
		} else {
			// nginx_ingress_controller_response_duration_seconds: 95 % of the request's time.
			const sum = windows.reduce((n, w) => n + w.durationSum, 0) * 0.95;
			const ms = (sum / requests) * 1000;
			if (typeof range.max === 'number' && ms > range.max)
				return `Halt ${dotted(canary)} advancement request duration ${goDurationText(ms)} > ${goDurationText(range.max)}`;
			if (typeof range.min === 'number' && ms < range.min)
				return `Halt ${dotted(canary)} advancement request duration ${goDurationText(ms)} < ${goDurationText(range.min)}`;
		}
	}
	return undefined;
}
