import {existsSync, readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {delimiter, join} from 'node:path';
import {KubeConfig} from '@kubernetes/client-node';

export type ConnectOptions = {
	kubeconfig?: string;
	context?: string;
	namespace?: string;
	allNamespaces?: boolean;
};

export type Connection = {
	config: KubeConfig;
	context: string;
	/** undefined: all namespaces. */
	namespace: string | undefined;
};

/** A kubeconfig problem, said so a person can fix it. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

const inClusterToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Why a kubeconfig file cannot be used, in words; undefined when it can be read. */
function fileProblem(path: string, how: string): string | undefined {
	if (!existsSync(path)) return `kubeconfig ${path} (${how}) does not exist`;
	const stat = statSync(path);
	if (stat.isDirectory()) return `kubeconfig ${path} (${how}) is a directory, not a file`;
	if (readFileSync(path, 'utf8').trim() === '') return `kubeconfig ${path} (${how}) is empty`;
	return undefined;
}

/**
 * Loads the kubeconfig as kubectl does: --kubeconfig, else the files in $KUBECONFIG, else
 * ~/.kube/config, else the pod's service account. Never client-node's stand-in (a context named
 * "loaded-context" on localhost) when there is none: the places looked at are said instead.
 */
function load(config: KubeConfig, options: ConnectOptions, env: NodeJS.ProcessEnv): void {
	const fix =
		'pass --kubeconfig FILE, set KUBECONFIG, or try `cutover demo` for a simulated cluster';
	if (options.kubeconfig) {
		const problem = fileProblem(options.kubeconfig, '--kubeconfig');
		if (problem) throw new ConfigError(`${problem}: check --kubeconfig`);
		parse(() => config.loadFromFile(options.kubeconfig!), options.kubeconfig);
		return;
	}
	const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
	if (listed.length > 0) {
		const problems = listed.map((path) => fileProblem(path, 'in KUBECONFIG'));
		if (problems.every(Boolean)) throw new ConfigError(`${problems.join('; ')}: ${fix}`);
		parse(() => config.loadFromDefault(), listed.join(delimiter));
		return;
	}
	const home = join(env.HOME ?? homedir(), '.kube', 'config');
	if (existsSync(home)) {
		const problem = fileProblem(home, 'the default');
		if (problem) throw new ConfigError(`${problem}: ${fix}`);
		parse(() => config.loadFromFile(home), home);
		return;
	}
	if (env.KUBERNETES_SERVICE_HOST && existsSync(inClusterToken)) {
		config.loadFromCluster();
		return;
	}
	throw new ConfigError(
		`no kubeconfig: KUBECONFIG is not set, ${home} does not exist, and this is not a pod with a service account; ${fix}`,
	);
}

function parse(read: () => void, where: string): void {
	try {
		read();
	} catch (error) {
		throw new ConfigError(`kubeconfig ${where} does not parse: ${(error as Error).message}`);
	}
}

export function connect(options: ConnectOptions, env: NodeJS.ProcessEnv = process.env): Connection {
	const config = new KubeConfig();
	load(config, options, env);
	if (options.context) {
		if (!config.getContextObject(options.context)) {
			const known = config.getContexts().map((c) => c.name);
			throw new ConfigError(
				`no context "${options.context}" in the kubeconfig; known: ${known.join(', ') || 'none'}`,
			);
		}
		config.setCurrentContext(options.context);
	}
	const context = config.getCurrentContext();
	if (!context || !config.getCurrentCluster()) {
		throw new ConfigError(
			'no current context in the kubeconfig: pass --context NAME or run kubectl config use-context NAME (try `cutover demo` for a simulated cluster)',
		);
	}
	const namespace = options.allNamespaces
		? undefined
		: (options.namespace ?? config.getContextObject(context)?.namespace ?? 'default');
	return {config, context, namespace};
}
