import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {answer} from './answer.js';
import {deleteObject} from './delete.js';
import {coreVersions, group, groupList, resourceList, serverVersion} from './discovery.js';
import {errors} from './errors.js';
import {Faults, loseAnswer} from './faults.js';
import {checkFieldLabels} from './field-labels.js';
import {readJson, requireJson, send, sendError} from './http.js';
import {type ListPage, readList} from './list.js';
import {serveOpenApi} from './openapi.js';
import {applyPatch, type Json, patchTypeOf} from './patch.js';
import {type ProxyHandler, parseProxyName} from './proxy.js';
import {queryBool} from './request-options.js';
import {applyScale, toScale} from './scale.js';
import {parseFieldSelector, parseLabelSelector} from './selectors.js';
import type {KubeObject, Store, WatchFilter} from './store.js';
import {podStreams, type ResourceRequest, resolveTarget} from './targets.js';
import {expireResume, streamWatch} from './watch.js';
import {screenWrite} from './write-request.js';

export type ApiServerOptions = {
	store: Store;
	proxy?: ProxyHandler;
	/** Extra plain HTTP routes (the traffic model's /metrics, say). */
	routes?: Record<string, (request: IncomingMessage, response: ServerResponse) => void>;
	bookmarkIntervalMs?: number;
	/** How long a read of a version not reached yet waits for it before its 504 (the watch cache's 3 s). */
	tooLargeWaitMs?: number;
	log?: (line: string) => void;
	/** Decides which requests a fault's share hits (tests pass a seeded one). */
	faultRandom?: () => number;
};

/**
 * The sim's Kubernetes-compatible HTTP API: discovery, CRUD, patch, watch, the status and scale
 * subresources, pod and service proxies, and Kubernetes `Status` errors.
 */
export class ApiServer {
	readonly faults: Faults;
	private server: Server | undefined;
	private readonly watches = new Set<() => void>();
	private address = '127.0.0.1:0';

	constructor(private readonly options: ApiServerOptions) {
		this.faults = new Faults({
			...(options.faultRandom ? {random: options.faultRandom} : {}),
			...(options.log ? {log: options.log} : {}),
		});
	}

	get store(): Store {
		return this.options.store;
	}

	async listen(port: number, host = '127.0.0.1'): Promise<number> {
		const server = createServer((request, response) => {
			this.handle(request, response).catch((error) => sendError(response, error, this.options.log));
		});
		server.keepAliveTimeout = 30_000;
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		const bound = (server.address() as AddressInfo).port;
		this.address = `${host}:${bound}`;
		return bound;
	}

	/** Ends every open watch, as an API server restart or a load balancer timeout would: how many. */
	dropWatches(): number {
		const open = [...this.watches];
		for (const end of open) end();
		return open.length;
	}

	/**
	 * Cuts every connection (watches, hung requests, idle keep-alives), as a killed API server
	 * process would, and keeps listening on the same port for the clients' next ones.
	 */
	dropConnections(): void {
		this.dropWatches();
		this.server?.closeAllConnections();
	}

	async close(): Promise<void> {
		this.dropWatches();
		const server = this.server;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://sim');
		const method = request.method ?? 'GET';
		response.on('finish', () =>
			this.options.log?.(`${method} ${url.pathname}${url.search} ${response.statusCode}`),
		);
		const fault = await this.faults.apply(request, url.pathname);
		if (fault === 'dropped') return;
		// Never answered: the socket is cut when the sim stops or restarts (closeAllConnections).
		if (fault === 'hang') return this.options.log?.(`${method} ${url.pathname}${url.search} hangs`);
		if (fault === 'expire') return expireResume(this.store, response, url);
		if (fault === 'lose')
			loseAnswer(request, response, () =>
				this.options.log?.(`${method} ${url.pathname}${url.search} answer lost`),
			);
		const route = this.options.routes?.[url.pathname];
		if (route) return route(request, response);
		const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		const [root] = segments;
		if (segments.length === 1 && ['healthz', 'readyz', 'livez'].includes(root!)) {
			response.writeHead(200, {'Content-Type': 'text/plain'});
			response.end('ok');
			return;
		}
		if (root === 'version' && segments.length === 1) return send(response, 200, serverVersion);
		if (root === 'openapi') return serveOpenApi(segments.slice(1), request, response, url);
		if (root === 'api') return this.handleApi('', segments.slice(1), request, response, url);
		if (root === 'apis') {
			if (segments.length === 1) return send(response, 200, groupList());
			if (segments.length === 2) {
				const found = group(segments[1]!);
				if (!found) throw errors.pathNotFound();
				return send(response, 200, found);
			}
			return this.handleApi(segments[1]!, segments.slice(2), request, response, url);
		}
		throw errors.pathNotFound();
	}

	private async handleApi(
		groupName: string,
		segments: string[],
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		if (groupName === '' && segments.length === 0)
			return send(response, 200, coreVersions(this.address));
		const [version, ...rest] = segments;
		if (rest.length === 0) {
			const list = resourceList(groupName, version!);
			if (!list) throw errors.pathNotFound();
			return send(response, 200, list);
		}
		const target = resolveTarget(groupName, version!, rest);
		if (target.type.deprecated) response.setHeader('Warning', `299 - "${target.type.deprecated}"`);
		if (target.subresource === 'proxy') return this.proxy(target, request, response, url);
		if (podStreams.includes(target.subresource ?? ''))
			throw errors.noContainers(target.name!, target.subresource!);
		switch (request.method) {
			case 'GET':
				if (target.name === undefined) {
					if (queryBool(url, 'watch')) return this.watch(target, request, response, url);
					return this.list(target, request, response, url);
				}
				return send(response, 200, this.respond(target, this.read(target), request, url));
			case 'POST':
				return this.create(target, request, response, url);
			case 'PUT':
				return this.update(target, request, response, url);
			case 'PATCH':
				return this.patch(target, request, response, url);
			case 'DELETE':
				return this.remove(target, request, response, url);
			default:
				throw errors.methodNotAllowed(request.method ?? '');
		}
	}

	private filter(target: ResourceRequest, url: URL): WatchFilter {
		return {
			...(target.namespace ? {namespace: target.namespace} : {}),
			labelSelector: parseLabelSelector(url.searchParams.get('labelSelector')),
			fieldSelector: parseFieldSelector(
				checkFieldLabels(target.type, url.searchParams.get('fieldSelector')),
			),
		};
	}

	/** Answers an object or a list as a Table when the client asks for one (kubectl get). */
	private respond(
		target: ResourceRequest,
		body: KubeObject | KubeObject[],
		request: IncomingMessage,
		url: URL,
		list?: Omit<ListPage, 'items'>,
	): unknown {
		return answer(target, body, request.headers.accept, url, list ?? this.store.resourceVersion);
	}

	private read(target: ResourceRequest): KubeObject {
		const object = this.store.get(target.type, target.namespace, target.name!);
		return target.subresource === 'scale' ? toScale(object) : object;
	}

	private async list(
		target: ResourceRequest,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		const {items, ...page} = await readList(
			this.store,
			target.type,
			this.filter(target, url),
			url.searchParams,
			this.options.tooLargeWaitMs ?? 3000,
		);
		send(response, 200, this.respond(target, items, request, url, page));
	}

	private watch(
		target: ResourceRequest,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		const watch = {
			store: this.store,
			type: target.type,
			filter: this.filter(target, url),
			open: this.watches,
			bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 5000,
			tooLargeWaitMs: this.options.tooLargeWaitMs ?? 3000,
		};
		return streamWatch(watch, request, response, url);
	}

	private async create(
		target: ResourceRequest,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		if (target.name !== undefined) throw errors.methodNotAllowed('POST');
		requireJson(request);
		const body = (await readJson(request)) as KubeObject;
		if (target.type.review) return send(response, 201, target.type.review(body, request));
		const {dryRun, headers} = screenWrite(target.type, 'CreateOptions', url, body);
		const created = this.store.create(target.type, target.namespace, body, {fromApi: true, dryRun});
		send(response, 201, this.respond(target, created, request, url), headers);
	}

	private async update(
		target: ResourceRequest,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		if (target.name === undefined) throw errors.methodNotAllowed('PUT');
		requireJson(request);
		const body = (await readJson(request)) as KubeObject;
		const scale = target.subresource === 'scale';
		const {dryRun, headers} = screenWrite(
			target.type,
			'UpdateOptions',
			url,
			scale ? undefined : body,
		);
		if (scale) {
			const updated = applyScale(
				this.store,
				target.type,
				target.namespace,
				target.name,
				body,
				dryRun,
			);
			return send(response, 200, updated);
		}
		const options = {
			dryRun,
			...(target.subresource === 'status' ? {subresource: 'status' as const} : {}),
		};
		send(
			response,
			200,
			this.respond(
				target,
				this.store.update(target.type, target.namespace, target.name, body, options),
				request,
				url,
			),
			headers,
		);
	}

	private async patch(
		target: ResourceRequest,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		if (target.name === undefined) throw errors.methodNotAllowed('PATCH');
		const contentType = request.headers['content-type'] ?? '';
		const patchType = patchTypeOf(contentType);
		if (!patchType || (patchType === 'strategic' && target.type.custom)) {
			throw errors.unsupportedMediaType(contentType);
		}
		const body = await readJson(request);
		const merged = patchType !== 'json' && target.subresource !== 'scale';
		const {dryRun, headers} = screenWrite(
			target.type,
			'PatchOptions',
			url,
			merged ? body : undefined,
			true,
		);
		if (target.subresource === 'scale') {
			const current = toScale(this.store.get(target.type, target.namespace, target.name));
			const scale = applyPatch(
				patchType,
				current as unknown as Json,
				body as Json,
			) as unknown as KubeObject;
			return send(
				response,
				200,
				applyScale(this.store, target.type, target.namespace, target.name, scale, dryRun),
			);
		}
		const options = {
			dryRun,
			...(target.subresource === 'status' ? {subresource: 'status' as const} : {}),
		};
		const patched = this.store.patch(
			target.type,
			target.namespace,
			target.name,
			patchType,
			body,
			options,
		);
		send(response, 200, this.respond(target, patched, request, url), headers);
	}

	private async remove(
		target: ResourceRequest,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		if (target.name === undefined || target.subresource) throw errors.methodNotAllowed('DELETE');
		send(response, 200, await deleteObject(this.store, target, target.name, request, url));
	}

	private async proxy(
		target: ResourceRequest,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
	): Promise<void> {
		if (!this.options.proxy || !target.namespace || !target.name) throw errors.pathNotFound();
		const name = parseProxyName(target.name);
		const path = `/${target.rest.join('/')}${url.pathname.endsWith('/') && target.rest.length > 0 ? '/' : ''}${url.search}`;
		await this.options.proxy(
			{kind: target.type.plural as 'pods' | 'services', namespace: target.namespace, ...name, path},
			request,
			response,
		);
	}
}
