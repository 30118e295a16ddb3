/**
 * How to reach Prometheus: a URL, or a Service through the API server's service proxy, and
 * which credentials to send. Credentials come from files or the environment, never from argv
 * (every user of a bastion can read argv), and never appear in messages.
 */
import {readFileSync} from 'node:fs';
import type {Agent} from 'node:http';
import {Agent as HttpsAgent} from 'node:https';
import type {KubeConfig} from '@kubernetes/client-node';

export class PrometheusConfigError extends Error {
	override name = 'PrometheusConfigError';
}

const tokenEnvironmentVariable = 'CUTOVER_PROMETHEUS_TOKEN';

export type ConnectionOptions = {
	/** `--prometheus URL`. */
	url?: string;
	/** `--prometheus-service NS/NAME:PORT`, reached through the API server of `kubeConfig`. */
	service?: string;
	kubeConfig?: KubeConfig;
	/** A file holding a bearer token (re-read on every refresh: tokens rotate). */
	tokenFile?: string;
	/** A file holding `user:password`. */
	basicAuthFile?: string;
	/** Where CUTOVER_PROMETHEUS_TOKEN is read from (default process.env). */
	env?: Record<string, string | undefined>;
	/** A CA bundle for Prometheus' TLS certificate. */
	caFile?: string;
	/** Accept any TLS certificate (only when told: `--prometheus-insecure-skip-tls-verify`). */
	insecureSkipTlsVerify?: boolean;
};

export type Connection = {
	endpoint: string;
	/** For messages: the endpoint without any user:password in it. */
	shown: string;
	/** Headers and agent for one request; throws PrometheusConfigError when a file is unreadable. */
	prepare(): Promise<{headers: Record<string, string>; agent?: Agent}>;
};

const servicePattern =
	/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/((?:https?:)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?(?::[a-z0-9-]+)?)$/;

function readSecret(file: string, what: string): string {
	try {
		return readFileSync(file, 'utf8').trim();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		throw new PrometheusConfigError(`cannot read the Prometheus ${what} file ${file}: ${code}`);
	}
}

function redact(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
			parsed.username = '';
			parsed.password = '';
			return parsed.toString().replace(/\/$/, '');
		}
	} catch {}
	// Not an http URL, yet it may hold credentials (`user:pass@host`): shown as typed, those masked.
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/]*@/i, (_, scheme = '') => `${scheme}***@`);
}

function ownCredentials(options: ConnectionOptions): () => Record<string, string> {
	const env = options.env ?? process.env;
	const fromEnv = env[tokenEnvironmentVariable];
	if (options.tokenFile && options.basicAuthFile)
		throw new PrometheusConfigError(
			'give either a Prometheus token file or a basic auth file, not both',
		);
	if (options.basicAuthFile) {
		const file = options.basicAuthFile;
		if (!readSecret(file, 'basic auth').includes(':'))
			throw new PrometheusConfigError(
				`the Prometheus basic auth file ${file} must hold user:password`,
			);
		return () => ({
			Authorization: `Basic ${Buffer.from(readSecret(file, 'basic auth')).toString('base64')}`,
		});
	}
	if (options.tokenFile) {
		const file = options.tokenFile;
		readSecret(file, 'token');
		return () => ({Authorization: `Bearer ${readSecret(file, 'token')}`});
	}
	if (fromEnv) return () => ({Authorization: `Bearer ${fromEnv.trim()}`});
	return () => ({});
}

/** Checks the options (at start) and says how each request is to be made. */
export function connect(options: ConnectionOptions): Connection {
	if (options.url && options.service)
		throw new PrometheusConfigError(
			'give either --prometheus URL or --prometheus-service, not both',
		);
	if (options.service) return throughServiceProxy(options, options.service);
	if (!options.url)
		throw new PrometheusConfigError(
			'no Prometheus: give --prometheus URL or --prometheus-service NS/NAME:PORT',
		);
	let url: URL;
	try {
		url = new URL(options.url);
	} catch {
		throw new PrometheusConfigError(
			`--prometheus "${redact(options.url)}" is not a URL: give http(s)://HOST:PORT, like http://prometheus.monitoring:9090`,
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new PrometheusConfigError(
			`--prometheus ${redact(options.url)}: must be an http:// or https:// URL`,
		);
	if (url.username || url.password)
		throw new PrometheusConfigError(
			'--prometheus must not hold user:password (argv is readable by every user): use a basic auth file',
		);
	const credentials = ownCredentials(options);
	const agent =
		url.protocol === 'https:'
			? new HttpsAgent({
					rejectUnauthorized: !options.insecureSkipTlsVerify,
					...(options.caFile ? {ca: readSecret(options.caFile, 'CA')} : {}),
				})
			: undefined;
	const endpoint = options.url.replace(/\/+$/, '');
	return {
		endpoint,
		shown: endpoint,
		async prepare() {
			return {headers: credentials(), ...(agent ? {agent} : {})};
		},
	};
}

function throughServiceProxy(options: ConnectionOptions, service: string): Connection {
	const match = servicePattern.exec(service);
	if (!match)
		throw new PrometheusConfigError(
			`--prometheus-service "${service}" is not NAMESPACE/NAME:PORT (like monitoring/prometheus:9090)`,
		);
	const kubeConfig = options.kubeConfig;
	if (!kubeConfig)
		throw new PrometheusConfigError(
			'--prometheus-service needs a kubeconfig to reach the API server',
		);
	// The API server takes the Authorization header for itself and does not pass it on.
	if (
		options.tokenFile ||
		options.basicAuthFile ||
		(options.env ?? process.env)[tokenEnvironmentVariable]
	)
		throw new PrometheusConfigError(
			`Prometheus credentials cannot go through the API server's service proxy (it keeps the Authorization header for itself): use --prometheus URL, or unset ${tokenEnvironmentVariable}`,
		);
	const server = kubeConfig.getCurrentCluster()?.server?.replace(/\/+$/, '');
	if (!server)
		throw new PrometheusConfigError(
			'the kubeconfig has no current cluster to reach Prometheus through',
		);
	const [, namespace, , name] = match;
	const endpoint = `${server}/api/v1/namespaces/${namespace}/services/${name}/proxy`;
	let agent: Agent | undefined;
	return {
		endpoint,
		shown: `${service} via ${server}`,
		async prepare() {
			// The kubeconfig's TLS and credentials, asked for each time: exec plugins renew tokens.
			const opts: {headers?: Record<string, unknown>; agent?: unknown; auth?: string} = {};
			await kubeConfig.applyToHTTPSOptions(opts);
			agent ??= opts.agent as Agent | undefined;
			const headers: Record<string, string> = {};
			for (const [key, value] of Object.entries(opts.headers ?? {}))
				if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
			if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
			return {headers, ...(agent ? {agent} : {})};
		},
	};
}
