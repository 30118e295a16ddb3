import {request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http';
import {podImages, podReady} from './controllers/pods.js';
import {ApiError, errors} from './errors.js';
import type {Loadtesters} from './loadtester.js';
import {resourceTypes} from './resources.js';
import {matchesLabels} from './selectors.js';
import type {KubeObject, Store} from './store.js';

const pods = resourceTypes.find((t) => t.plural === 'pods')!;
const services = resourceTypes.find((t) => t.plural === 'services')!;

export type ProxyTarget = {
	kind: 'pods' | 'services';
	namespace: string;
	name: string;
	scheme?: string;
	port?: string;
	/** The path after `/proxy`, with its query string. */
	path: string;
};

export type ProxyHandler = (
	target: ProxyTarget,
	request: IncomingMessage,
	response: ServerResponse,
) => Promise<void>;

/** `name`, `name:port` or `scheme:name:port`, as in `/pods/web-1:8080/proxy/`. */
export function parseProxyName(segment: string): {name: string; scheme?: string; port?: string} {
	const parts = segment.split(':');
	if (parts.length >= 3) return {scheme: parts[0], name: parts[1]!, port: parts[2]};
	if (parts.length === 2) return {name: parts[0]!, port: parts[1]};
	return {name: segment};
}

export type ProxyOptions = {
	store: Store;
	/** Whether pods running this image answer their health path well. */
	healthy: (image: string) => boolean;
	/** Services whose proxy forwards to a real address (`namespace/name` -> base URL). */
	forwards: Map<string, string>;
	/** What the pods of an image answer as instead of a plain app (scenario behaviour `serves`). */
	serves?: (image: string) => string | undefined;
	/** The gates of the flagger-loadtesters, shared with the sim's Flagger controller. */
	loadtesters?: Loadtesters;
};

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

/** The Service a loadtester pod's gates belong to: the first one selecting it, else the pod. */
export function loadtesterKey(store: Store, pod: KubeObject): string {
	const namespace = pod.metadata.namespace!;
	const service = store
		.peek(services, {namespace})
		.find(
			(s) =>
				s.spec?.selector &&
				Object.keys(s.spec.selector).length > 0 &&
				matchesLabels(s.spec.selector, pod.metadata.labels),
		);
	return `${namespace}/${service?.metadata.name ?? pod.metadata.name}`;
}

/** Whether a pod runs the flagger-loadtester (by its image's scenario behaviour). */
export function isLoadtester(pod: KubeObject, serves: ProxyOptions['serves']): boolean {
	return (
		serves !== undefined && podImages(pod).some((image) => serves(image) === 'flagger-loadtester')
	);
}

async function answerAsLoadtester(
	loadtesters: Loadtesters,
	key: string,
	target: ProxyTarget,
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	const body = await readBody(request);
	const path = new URL(target.path, 'http://loadtester').pathname;
	const answer = loadtesters.answer(key, path, body);
	response.writeHead(answer.status, {
		'Content-Type': 'text/plain; charset=utf-8',
		'Content-Length': Buffer.byteLength(answer.body),
	});
	response.end(answer.body);
}

/** What a simulated pod answers on any path: its identity, or 503 when its version is unhealthy. */
function answerAsPod(
	pod: KubeObject,
	healthy: (image: string) => boolean,
	response: ServerResponse,
	port: string | undefined,
): void {
	if (!podReady(pod) || pod.status?.phase !== 'Running') {
		throw errors.serviceUnavailable(
			`error trying to reach service: dial tcp ${pod.status?.podIP ?? '<none>'}:${port ?? 80}: connect: connection refused`,
		);
	}
	const images = podImages(pod);
	const ok = images.every(healthy);
	const body = JSON.stringify({
		status: ok ? 'ok' : 'unhealthy',
		pod: pod.metadata.name,
		version: images[0],
	});
	response.writeHead(ok ? 200 : 503, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(body),
	});
	response.end(body);
}

function forward(
	base: string,
	target: ProxyTarget,
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	return new Promise((resolve) => {
		const url = new URL(target.path, base.endsWith('/') ? base : `${base}/`);
		const upstream = httpRequest(
			url,
			{method: request.method, headers: {...request.headers, host: url.host}},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
				answer.on('end', resolve);
			},
		);
		upstream.on('error', (error) => {
			const status = new ApiError(
				503,
				'ServiceUnavailable',
				`error trying to reach service: ${error.message}`,
			).toStatus();
			if (!response.headersSent) response.writeHead(503, {'Content-Type': 'application/json'});
			response.end(JSON.stringify(status));
			resolve();
		});
		request.pipe(upstream);
	});
}

/** The API server's pod and service proxies, answered by the sim's pods or forwarded for real. */
export function createProxy(options: ProxyOptions): ProxyHandler {
	let turn = 0;
	return async (target, request, response) => {
		if (target.kind === 'pods') {
			const pod = options.store.get(pods, target.namespace, target.name);
			if (options.loadtesters && isLoadtester(pod, options.serves) && podReady(pod))
				return answerAsLoadtester(
					options.loadtesters,
					loadtesterKey(options.store, pod),
					target,
					request,
					response,
				);
			return answerAsPod(pod, options.healthy, response, target.port);
		}
		const service = options.store.get(services, target.namespace, target.name);
		const base = options.forwards.get(`${target.namespace}/${target.name}`);
		if (base) return forward(base, target, request, response);
		const ready = options.store
			.peek(pods, {namespace: target.namespace})
			.filter((pod) => podReady(pod) && matchesLabels(service.spec?.selector, pod.metadata.labels));
		if (ready.length === 0)
			throw errors.serviceUnavailable(`no endpoints available for service "${target.name}"`);
		const pod = ready[turn++ % ready.length]!;
		if (options.loadtesters && isLoadtester(pod, options.serves))
			return answerAsLoadtester(
				options.loadtesters,
				`${target.namespace}/${target.name}`,
				target,
				request,
				response,
			);
		answerAsPod(pod, options.healthy, response, target.port);
	};
}
