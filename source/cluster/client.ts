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
		/** The request may have landed: it was sent and its answer was lost or timed out. */
		readonly outcomeUnknown = false,
		/** How long the server asked to wait before asking again (429 and 503's Retry-After). */
		readonly retryAfterSeconds?: number,
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

/** Network failures that mean the request never reached the API server: it cannot have landed. */
const neverSent = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether a request that failed this way may still have been carried out by the server. */
export function mayHaveLanded(error: unknown): boolean {
	const own = error as {code?: unknown; errno?: unknown} | undefined;
	const code = [own?.code, own?.errno].find((c): c is string => typeof c === 'string');
	return !(code && neverSent.has(code));
}

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
	): Promise<{status: number; body: T; text: string; retryAfterSeconds?: number}> {
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
				method !== 'GET' && mayHaveLanded(error),
			);
		}
		const text = await response.text();
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: a proxied answer, or an error page from something in between
		}
		const retryAfterSeconds = retryAfter(response.headers.get('retry-after'), body);
		return {
			status: response.status,
			body: body as T,
			text,
			...(retryAfterSeconds !== undefined ? {retryAfterSeconds} : {}),
		};
	}

	/**
	 * Like request, but a non-2xx answer throws a ClusterError naming the cause. A 429 with
	 * Retry-After was refused before the server did anything (its max-in-flight filter), so it
	 * is asked again after the wait it named, as client-go does, a few times; never anything else.
	 */
	async call<T>(
		method: string,
		path: string,
		options: {body?: unknown; contentType?: string} = {},
	): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			const answer = await this.request<T>(method, path, options);
			if (answer.status >= 200 && answer.status < 300) return answer.body;
			const wait = answer.retryAfterSeconds;
			if (
				answer.status === 429 &&
				wait !== undefined &&
				wait <= maxRetryAfterSeconds &&
				attempt < throttledTries
			) {
				await new Promise((resolve) => setTimeout(resolve, wait * 1000));
				continue;
			}
			throw errorFrom(method, path, answer, this.identity());
		}
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

/** How many times a throttled request is sent, and the longest Retry-After waited for inside one. */
const throttledTries = 4;
const maxRetryAfterSeconds = 10;

/** Retry-After in seconds (the header, or the Status body's details.retryAfterSeconds). */
function retryAfter(header: string | null, body: unknown): number | undefined {
	if (header && /^\d+$/.test(header.trim())) return Number(header.trim());
	const details = (body as {details?: {retryAfterSeconds?: unknown}} | undefined)?.details;
	const seconds = details?.retryAfterSeconds;
	return typeof seconds === 'number' && seconds >= 0 ? seconds : undefined;
}

function errorFrom(
	method: string,
	path: string,
	answer: {status: number; body: unknown; retryAfterSeconds?: number},
	identity: string,
): ClusterError {
	const {status, body, retryAfterSeconds} = answer;
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
		case 429:
			return new ClusterError(
				`the API server is throttling requests (429) to ${what}: ${message}${retryAfterSeconds !== undefined ? ` (it asked to wait ${retryAfterSeconds}s)` : ''}`,
				'server',
				status,
				false,
				retryAfterSeconds,
			);
		case 504:
			// The API server gave up waiting on its storage; the write may still be committed.
			return new ClusterError(
				`the API server timed out on ${what} (504): ${message}`,
				'server',
				status,
				method !== 'GET',
			);
		default:
			return new ClusterError(
				`the API server answered ${status} to ${what}: ${message}`,
				status >= 500 ? 'server' : 'invalid',
				status,
				false,
				retryAfterSeconds,
			);
	}
}
