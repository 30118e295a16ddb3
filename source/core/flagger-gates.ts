/**
 * The flagger-loadtester's gates (ANCHOR-FACTS): a webhook URL ending in `/gate/check` is a gate
 * cutover can open and close (`/gate/open`, `/gate/close`); one ending in `/rollback/check` is the
 * rollback gate (`/rollback/open`, `/rollback/close`). Both take `{"name","namespace"}`, and are
 * reached through the API server's service proxy, since a bastion rarely reaches the Service.
 */
export type Gate = {
	/** The webhook's name, as the Canary says it. */
	name: string;
	type: 'gate' | 'rollback gate';
	service: {namespace: string; name: string; port: number};
	open: string;
	close: string;
};

/** The gate a webhook URL names, or undefined when it is not a loadtester gate. */
export function gateOf(url: string, namespace: string, name: string): Gate | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined;
	}
	const path = parsed.pathname.replace(/\/+$/, '');
	const kind = path.endsWith('/gate/check')
		? ('gate' as const)
		: path.endsWith('/rollback/check')
			? ('rollback gate' as const)
			: undefined;
	if (!kind) return undefined;
	// service.namespace[.svc[.cluster.local]]; a bare name is in the Canary's namespace.
	const [service, ns] = parsed.hostname.split('.');
	if (!service) return undefined;
	const base = path.slice(0, path.lastIndexOf('/'));
	const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
	return {
		name,
		type: kind,
		service: {namespace: ns || namespace, name: service, port},
		open: `${base}/open`,
		close: `${base}/close`,
	};
}
