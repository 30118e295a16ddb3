import type {KubeConfig} from '@kubernetes/client-node';
import fetch from 'node-fetch';
import type {KubeObject, ObjectRef, PatchType} from '../core/types.js';

const contentTypes: Record<PatchType, string> = {
	json: 'application/json-patch+json',
	merge: 'application/merge-patch+json',
	strategic: 'application/strategic-merge-patch+json',
};

export type ClusterErrorKind =
	| 'conflict'
	| 'forbidden'
	| 'unauthorized'
	| 'not-found'
	| 'invalid'
	| 'unreachable'
	| 'server';

/** A failed request, with the cause in words a person can act on. */
export class ClusterError extends Error {
	constructor(
		message: string,
		readonly kind: ClusterErrorKind,
		readonly code: number,
	) {
		super(message);
		this.name = 'ClusterError';
	}
}

export function pathOf(
	ref: Pick<ObjectRef, 'group' | 'version' | 'plural'> & {namespace?: string; name?: string},
	subresource?: string,
): string {
	const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
	const namespace = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
	const name = ref.name ? `/${encodeURIComponent(ref.name)}` : '';
	return `${base}${namespace}/${ref.plural}${name}${subresource ? `/${subresource}` : ''}`;
}

function describe(method: string, path: string): string {
	const parts = path.split('/');
	const ns = parts.indexOf('namespaces');
	const namespace = ns >= 0 && parts.length > ns + 2 ? parts[ns + 1] : undefined;
	const resource = ns >= 0 && parts.length > ns + 2 ? parts[ns + 2] : parts.at(-1);
	const verb =
		{GET: 'get', PATCH: 'patch', POST: 'create', PUT: 'update', DELETE: 'delete'}[method] ??
		method.toLowerCase();
	return `${verb} ${resource}${namespace ? ` in namespace ${namespace}` : ''}`;
}

const causes: Record<string, string> = {
	ECONNREFUSED:
		'connection refused: nothing listens there (is the cluster up, is this the right context?)',
	ENOTFOUND: 'the host name does not resolve (DNS)',
	EAI_AGAIN: 'the host name does not resolve now (DNS lookup failed; try again)',
	ETIMEDOUT: 'no answer: the connection timed out',
	ECONNRESET: 'the connection was reset',
	EHOSTUNREACH: 'no route to the host',
	ENETUNREACH: 'the network is unreachable',
	DEPTH_ZERO_SELF_SIGNED_CERT:
		"TLS: the server's certificate is self-signed and not the kubeconfig's certificate-authority",
	SELF_SIGNED_CERT_IN_CHAIN:
		"TLS: the server's certificate chain is not signed by the kubeconfig's CA",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		"TLS: the server's certificate cannot be verified with the kubeconfig's CA",
	CERT_HAS_EXPIRED: "TLS: the server's certificate has expired",
	ERR_TLS_CERT_ALTNAME_INVALID: "TLS: the server's certificate is not for this host name",
};

/** Why a request never got an answer, in words, with the error's own code. */
export function networkCause(error: unknown): string {
	const own = error as
		| {code?: unknown; errno?: unknown; type?: unknown; message?: string}
		| undefined;
	const code = [own?.code, own?.errno].find((c): c is string => typeof c === 'string');
	if (code && causes[code]) return `${causes[code]} (${code})`;
	if (own?.type === 'request-timeout' || /network timeout/.test(own?.message ?? ''))
		return 'no answer in time (the request timed out)';
	return code ?? own?.message ?? String(error);
}

/**
 * Plain-JSON requests to the API server with the kubeconfig's TLS and credentials (through
 * @kubernetes/client-node's own fetch options), so objects stay exactly as the server sent them.
 */
export class KubeClient {
	constructor(readonly config: KubeConfig) {}

	get server(): string {
		return this.config.getCurrentCluster()?.server ?? '';
	}

	async request<T>(
		method: string,
		path: string,
		options: {body?: unknown; contentType?: string; timeoutMs?: number} = {},
	): Promise<{status: number; body: T; text: string}> {
		let init: Awaited<ReturnType<KubeConfig['applyToFetchOptions']>>;
		try {
			init = await this.config.applyToFetchOptions({});
		} catch (error) {
			// client-node refuses plain HTTP unless the cluster says insecure-skip-tls-verify.
			const http = /HTTP protocol is not allowed/.test((error as Error).message);
			throw new ClusterError(
				http
					? `cannot use the API server at ${this.server}: a plain http:// server needs insecure-skip-tls-verify: true in the kubeconfig's cluster (${this.identity()})`
					: `cannot use the kubeconfig's credentials for ${this.server}: ${(error as Error).message}`,
				'unreachable',
				0,
			);
		}
		const headers = init.headers as unknown as {set(key: string, value: string): void};
		headers.set('Accept', 'application/json');
		if (options.body !== undefined)
			headers.set('Content-Type', options.contentType ?? 'application/json');
		let response: Awaited<ReturnType<typeof fetch>>;
		try {
			response = await fetch(`${this.server}${path}`, {
				...(init as object),
				method,
				...(options.body !== undefined ? {body: JSON.stringify(options.body)} : {}),
				timeout: options.timeoutMs ?? 15_000,
			});
		} catch (error) {
			throw new ClusterError(
				`cannot reach the API server at ${this.server}: ${networkCause(error)}`,
				'unreachable',
				0,
			);
		}
		const text = await response.text();
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: a proxied answer, or an error page from something in between
		}
		return {status: response.status, body: body as T, text};
	}

	/** Like request, but a non-2xx answer throws a ClusterError naming the cause. */
	async call<T>(
		method: string,
		path: string,
		options: {body?: unknown; contentType?: string} = {},
	): Promise<T> {
		const answer = await this.request<T>(method, path, options);
		if (answer.status >= 200 && answer.status < 300) return answer.body;
		throw errorFrom(method, path, answer.status, answer.body, this.identity());
	}

	/** Who asks, and where: "context prod, user oncall", for a 401 that names what to log in to. */
	identity(): string {
		const context = this.config.getCurrentContext();
		const user = this.config.getCurrentUser()?.name;
		return `context ${context}${user ? `, user ${user}` : ''}, at ${this.server}`;
	}

	get<T = KubeObject>(path: string): Promise<T> {
		return this.call<T>('GET', path);
	}

	patch(ref: ObjectRef, type: PatchType, body: unknown, subresource?: string): Promise<KubeObject> {
		return this.call<KubeObject>('PATCH', pathOf(ref, subresource), {
			body,
			contentType: contentTypes[type],
		});
	}
}

function errorFrom(
	method: string,
	path: string,
	status: number,
	body: unknown,
	identity: string,
): ClusterError {
	const message =
		typeof body === 'object' && body !== null && 'message' in body
			? String((body as {message: unknown}).message)
			: String(body ?? '').slice(0, 200);
	const what = describe(method, path);
	switch (status) {
		case 401:
			return new ClusterError(
				`unauthorized: the API server did not accept your credentials (${identity}; asked to ${what}): log in again or check the kubeconfig's user`,
				'unauthorized',
				status,
			);
		case 403:
			return new ClusterError(
				`forbidden: you cannot ${what}; ask for that RBAC permission (${message})`,
				'forbidden',
				status,
			);
		case 404:
			return new ClusterError(`not found: ${message}`, 'not-found', status);
		case 409:
			return new ClusterError(`conflict: ${message}`, 'conflict', status);
		case 422:
			return new ClusterError(`rejected: ${message}`, 'invalid', status);
		default:
			return new ClusterError(
				`the API server answered ${status} to ${what}: ${message}`,
				status >= 500 ? 'server' : 'invalid',
				status,
			);
	}
}
