import {stringify} from 'yaml';

export const simContext = 'cutover-sim';

/**
 * A kubeconfig for the sim: context `cutover-sim`, namespace `default`. Plain HTTP on loopback
 * needs `insecure-skip-tls-verify` for @kubernetes/client-node. No credentials: the sim has none.
 */
export function kubeconfigFor(url: string, namespace = 'default'): string {
	return stringify({
		apiVersion: 'v1',
		kind: 'Config',
		clusters: [{name: simContext, cluster: {server: url, 'insecure-skip-tls-verify': true}}],
		contexts: [{name: simContext, context: {cluster: simContext, namespace, user: simContext}}],
		'current-context': simContext,
		users: [{name: simContext, user: {}}],
		preferences: {},
	});
}
