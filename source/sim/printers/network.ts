/** Services and Ingresses: where traffic enters. */
import type {KubeObject} from '../table.js';
import {
	age,
	ageCol,
	col,
	int,
	type Json,
	nameCol,
	type Printer,
	rec,
	recs,
	str,
	strMap,
} from './format.js';

/** labels.Set.String(): sorted key=value pairs; FormatLabels turns "" into "<none>". */
function formatLabels(v: unknown): string {
	const labels = strMap(v);
	const text = Object.keys(labels)
		.sort()
		.map((k) => `${k}=${labels[k]}`)
		.join(',');
	return text || '<none>';
}

/** loadBalancerStatusStringer, unclipped because the server prints wide: sorted, de-duplicated. */
function loadBalancerText(v: unknown): string {
	const set = new Set(recs(rec(v).ingress).map((i) => str(i.ip) || str(i.hostname)));
	set.delete('');
	return [...set].sort().join(',');
}

function serviceCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	// A real server defaults type to ClusterIP and clusterIPs from clusterIP.
	const type = str(spec.type) || 'ClusterIP';
	const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(str) : [];
	const clusterIP = clusterIPs[0] ?? str(spec.clusterIP);
	const externalIPs = (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).map(str);
	let external = '<unknown>';
	if (type === 'ClusterIP' || type === 'NodePort') external = externalIPs.join(',') || '<none>';
	else if (type === 'LoadBalancer') {
		const lb = loadBalancerText(rec(o.status).loadBalancer);
		external = [...(lb ? lb.split(',') : []), ...externalIPs].join(',') || '<pending>';
	} else if (type === 'ExternalName') external = str(spec.externalName);
	const ports = recs(spec.ports)
		.map((p) => {
			const protocol = str(p.protocol) || 'TCP';
			return int(p.nodePort) > 0
				? `${int(p.port)}:${int(p.nodePort)}/${protocol}`
				: `${int(p.port)}/${protocol}`;
		})
		.join(',');
	return [
		o.metadata?.name ?? '',
		type,
		clusterIP || '<none>',
		external,
		ports || '<none>',
		age(o, now),
		formatLabels(spec.selector),
	];
}

/** formatHosts, including its quirk: "+ N more" counts every rule past the third, hostless ones too. */
function ingressHosts(rules: Json[]): string {
	const list: string[] = [];
	let more = false;
	for (const rule of rules) {
		if (list.length === 3) more = true;
		if (!more && str(rule.host)) list.push(str(rule.host));
	}
	if (list.length === 0) return '*';
	return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

function ingressCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	return [
		o.metadata?.name ?? '',
		str(spec.ingressClassName) || '<none>',
		ingressHosts(recs(spec.rules)),
		loadBalancerText(rec(o.status).loadBalancer),
		Array.isArray(spec.tls) && spec.tls.length > 0 ? '80, 443' : '80',
		age(o, now),
	];
}

export const servicePrinter: Printer = {
	columns: [
		nameCol,
		col('Type', 'string', 'type determines how the Service is exposed.'),
		col('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
		col(
			'External-IP',
			'string',
			'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
		),
		col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
		ageCol,
		col(
			'Selector',
			'string',
			'Route service traffic to pods with label keys and values matching this selector.',
			1,
		),
	],
	cells: serviceCells,
};

export const ingressPrinter: Printer = {
	columns: [
		nameCol,
		col(
			'Class',
			'string',
			'The name of the IngressClass resource that should be used for additional configuration',
		),
		col(
			'Hosts',
			'string',
			'Hosts that incoming requests are matched against before the ingress rule',
		),
		col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
		col('Ports', 'string', 'Ports of TLS configurations that open'),
		ageCol,
	],
	cells: ingressCells,
};
