import {existsSync} from 'node:fs';
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

/** Loads the kubeconfig as kubectl does: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export function connect(options: ConnectOptions): Connection {
	const config = new KubeConfig();
	try {
		if (options.kubeconfig) {
			if (!existsSync(options.kubeconfig))
				throw new ConfigError(
					`kubeconfig ${options.kubeconfig} does not exist: check --kubeconfig`,
				);
			config.loadFromFile(options.kubeconfig);
		} else config.loadFromDefault();
	} catch (error) {
		if (error instanceof ConfigError) throw error;
		throw new ConfigError(`cannot read the kubeconfig: ${(error as Error).message}`);
	}
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
