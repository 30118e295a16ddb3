/**
 * Per-resource table printers, after the real API server's
 * (kubernetes pkg/printers/internalversion/printers.go for built-in types, the CRDs'
 * additionalPrinterColumns for Flagger and Argo Rollouts). The server always prints
 * wide: kubectl drops the priority-1 columns itself unless `-o wide`.
 */
import type {ColumnDefinition, KubeObject} from './table.js';

export type Printer = {
	columns: ColumnDefinition[];
	cells(object: KubeObject, now: Date): unknown[];
};

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const rec = (v: unknown): Json => (isObj(v) ? v : {});
const recs = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' ? Math.trunc(v) : 0);
const strMap = (v: unknown): Record<string, string> => {
	const out: Record<string, string> = {};
	for (const [k, value] of Object.entries(rec(v))) out[k] = str(value);
	return out;
};

/** apimachinery duration.HumanDuration: ~2-3 significant figures, Go integer truncation. */
export function humanDuration(ms: number): string {
	const seconds = Math.trunc(ms / 1000);
	// Up to 2 s into the future is clock skew, shown as "0s"; beyond that it is nonsense.
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 60 * 2) return `${seconds}s`;
	const minutes = Math.trunc(ms / 60_000);
	if (minutes < 10) {
		const s = seconds % 60;
		return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
	}
	if (minutes < 60 * 3) return `${minutes}m`;
	const hours = Math.trunc(ms / 3_600_000);
	if (hours < 8) {
		const m = minutes % 60;
		return m === 0 ? `${hours}h` : `${hours}h${m}m`;
	}
	if (hours < 48) return `${hours}h`;
	const days = Math.trunc(hours / 24);
	if (hours < 24 * 8) {
		const h = hours % 24;
		return h === 0 ? `${days}d` : `${days}d${h}h`;
	}
	if (hours < 24 * 365 * 2) return `${days}d`;
	const years = Math.trunc(days / 365);
	if (hours < 24 * 365 * 8) {
		const dy = days % 365;
		return dy === 0 ? `${years}y` : `${years}y${dy}d`;
	}
	return `${years}y`;
}

/** Epoch ms of an RFC 3339 time; 0 stands for Go's zero time (absent or unparseable). */
const timeOf = (v: unknown): number => {
	const t = Date.parse(str(v));
	return Number.isNaN(t) ? 0 : t;
};
/** translateTimestampSince: "<unknown>" for the zero time. */
const since = (v: unknown, now: Date): string => {
	const t = timeOf(v);
	return t === 0 ? '<unknown>' : humanDuration(now.getTime() - t);
};
const age = (o: KubeObject, now: Date) => since(o.metadata?.creationTimestamp, now);

const nameDoc =
	'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const creationDoc =
	'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const col = (name: string, type: string, description: string, priority = 0, format = '') => ({
	name,
	type,
	format,
	description,
	priority,
});
const nameCol = col('Name', 'string', nameDoc, 0, 'name');
const ageCol = col('Age', 'string', creationDoc);
const templateCols = [
	col('Containers', 'string', 'Names of each container in the template.', 1),
	col('Images', 'string', 'Images referenced by each container in the template.', 1),
];

/** layoutContainerCells: names and images, comma-joined. */
function containerCells(template: unknown): [string, string] {
	const containers = recs(rec(rec(template).spec).containers);
	return [
		containers.map((c) => str(c.name)).join(','),
		containers.map((c) => str(c.image)).join(','),
	];
}

/** labels.Set.String(): sorted key=value pairs; FormatLabels turns "" into "<none>". */
function formatLabels(v: unknown): string {
	const labels = strMap(v);
	const text = Object.keys(labels)
		.sort()
		.map((k) => `${k}=${labels[k]}`)
		.join(',');
	return text || '<none>';
}

/** metav1.LabelSelectorAsSelector(...).String(); undefined when the selector is invalid. */
function selectorString(v: unknown): string | undefined {
	const selector = rec(v);
	const parts: [string, string][] = Object.entries(strMap(selector.matchLabels)).map(
		([k, value]) => [k, `${k}=${value}`],
	);
	for (const expr of recs(selector.matchExpressions)) {
		const key = str(expr.key);
		const values = (Array.isArray(expr.values) ? expr.values : []).map(str);
		const list = values.length === 1 ? values[0] : [...values].sort().join(',');
		switch (expr.operator) {
			case 'In':
			case 'NotIn':
				if (values.length === 0) return undefined;
				parts.push([key, `${key} ${expr.operator === 'In' ? 'in' : 'notin'} (${list})`]);
				break;
			case 'Exists':
			case 'DoesNotExist':
				if (values.length > 0) return undefined;
				parts.push([key, expr.operator === 'Exists' ? key : `!${key}`]);
				break;
			default:
				return undefined;
		}
	}
	// Selector.Add sorts requirements by key.
	return parts
		.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
		.map((p) => p[1])
		.join(',');
}

function deploymentCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	const status = rec(o.status);
	// apps/v1 defaults spec.replicas to 1 on a real server.
	const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
	const [names, images] = containerCells(spec.template);
	return [
		o.metadata?.name ?? '',
		`${int(status.readyReplicas)}/${desired}`,
		int(status.updatedReplicas),
		int(status.availableReplicas),
		age(o, now),
		names,
		images,
		selectorString(spec.selector) ?? '<invalid>',
	];
}

function replicaSetCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	const status = rec(o.status);
	const [names, images] = containerCells(spec.template);
	const selector = selectorString(spec.selector);
	return [
		o.metadata?.name ?? '',
		typeof spec.replicas === 'number' ? spec.replicas : 1,
		int(status.replicas),
		int(status.readyReplicas),
		age(o, now),
		names,
		images,
		selector === undefined ? '<error>' : selector || '<none>',
	];
}

const terminatedAt = (containerStatus: Json): number =>
	timeOf(rec(rec(containerStatus.lastState).terminated).finishedAt);

/** printPod's READY / STATUS / RESTARTS logic, sidecar (restartable init) containers included. */
function podCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	const status = rec(o.status);
	const phase = str(status.phase);
	let reason = str(status.reason) || phase;
	const conditions = recs(status.conditions);
	if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
		reason = 'SchedulingGated';
	}
	const initContainers = recs(spec.initContainers);
	const sidecars = new Set(
		initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)),
	);
	const total =
		recs(spec.containers).length +
		initContainers.filter((c) => c.restartPolicy === 'Always').length;
	let ready = 0;
	let restarts = 0;
	let lastRestart = 0;
	let sidecarRestarts = 0;
	let lastSidecarRestart = 0;
	let initializing = false;
	const initStatuses = recs(status.initContainerStatuses);
	for (const [i, c] of initStatuses.entries()) {
		const finished = terminatedAt(c);
		restarts += int(c.restartCount);
		lastRestart = Math.max(lastRestart, finished);
		const sidecar = sidecars.has(str(c.name));
		if (sidecar) {
			sidecarRestarts += int(c.restartCount);
			lastSidecarRestart = Math.max(lastSidecarRestart, finished);
		}
		const state = rec(c.state);
		const terminated = isObj(state.terminated) ? state.terminated : undefined;
		const waiting = isObj(state.waiting) ? state.waiting : undefined;
		if (terminated && int(terminated.exitCode) === 0) continue;
		if (sidecar && c.started === true) {
			if (c.ready === true) ready++;
			continue;
		}
		if (terminated) {
			reason = str(terminated.reason)
				? `Init:${str(terminated.reason)}`
				: int(terminated.signal) !== 0
					? `Init:Signal:${int(terminated.signal)}`
					: `Init:ExitCode:${int(terminated.exitCode)}`;
		} else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
			reason = `Init:${str(waiting.reason)}`;
		} else {
			reason = `Init:${i}/${initContainers.length}`;
		}
		initializing = true;
		break;
	}
	const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
	if (!initializing || initialized) {
		restarts = sidecarRestarts;
		lastRestart = lastSidecarRestart;
		let hasRunning = false;
		// The real printer walks containers last to first, so the first container's reason wins.
		for (const c of recs(status.containerStatuses).reverse()) {
			restarts += int(c.restartCount);
			lastRestart = Math.max(lastRestart, terminatedAt(c));
			const state = rec(c.state);
			const waiting = isObj(state.waiting) ? state.waiting : undefined;
			const terminated = isObj(state.terminated) ? state.terminated : undefined;
			if (waiting && str(waiting.reason)) reason = str(waiting.reason);
			else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
			else if (terminated) {
				const signal = int(terminated.signal);
				reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${int(terminated.exitCode)}`;
			} else if (c.ready === true && isObj(state.running)) {
				hasRunning = true;
				ready++;
			}
		}
		if (reason === 'Completed' && hasRunning) {
			reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True')
				? 'Running'
				: 'NotReady';
		}
	}
	const deleting = Boolean(o.metadata?.deletionTimestamp);
	if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
	else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
	const restartText =
		restarts !== 0 && lastRestart !== 0
			? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`
			: String(restarts);
	// A real server fills podIPs from podIP on write, so podIP alone counts too.
	const podIP = str(recs(status.podIPs)[0]?.ip) || str(status.podIP);
	const gates = recs(spec.readinessGates);
	const gatesText = gates.length
		? `${gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`
		: '<none>';
	return [
		o.metadata?.name ?? '',
		`${ready}/${total}`,
		reason,
		restartText,
		age(o, now),
		podIP || '<none>',
		str(spec.nodeName) || '<none>',
		str(status.nominatedNodeName) || '<none>',
		gatesText,
	];
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

/** formatEndpoints: at most three host:port entries, then "+ N more...". */
function endpointsText(o: KubeObject): string {
	const subsets = recs(o.subsets);
	if (subsets.length === 0) return '<none>';
	const list: string[] = [];
	let more = false;
	let count = 0;
	const add = (entry: string) => {
		if (list.length === 3) {
			more = true;
			return false;
		}
		list.push(entry);
		return true;
	};
	for (const subset of subsets) {
		const addresses = recs(subset.addresses);
		const ports = recs(subset.ports);
		if (ports.length === 0) {
			count += addresses.length;
			for (const a of addresses) if (!add(str(a.ip))) break;
			continue;
		}
		for (const port of ports) {
			count += addresses.length;
			for (const a of addresses) {
				const ip = str(a.ip);
				if (!add(`${ip.includes(':') ? `[${ip}]` : ip}:${int(port.port)}`)) break;
			}
		}
	}
	return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

function eventCells(o: KubeObject, now: Date): unknown[] {
	const involved = rec(o.involvedObject);
	const first = timeOf(o.firstTimestamp) ? since(o.firstTimestamp, now) : since(o.eventTime, now);
	let last = timeOf(o.lastTimestamp) ? since(o.lastTimestamp, now) : first;
	let count = int(o.count);
	if (isObj(o.series)) {
		last = since(o.series.lastObservedTime, now);
		count = int(o.series.count);
	} else if (count === 0) count = 1; // singleton events of the new API carry no count
	const kind = str(involved.kind).toLowerCase();
	const source = rec(o.source);
	const component = str(source.component) || str(o.reportingComponent);
	const instance = str(source.host) || str(o.reportingInstance);
	return [
		last,
		str(o.type),
		str(o.reason),
		str(involved.name) ? `${kind}/${str(involved.name)}` : kind,
		str(involved.fieldPath),
		instance ? `${component}, ${instance}` : component,
		str(o.message).trim(),
		first,
		count,
		o.metadata?.name ?? '',
	];
}

export const builtinPrinters: Record<string, Printer> = {
	deployments: {
		columns: [
			nameCol,
			col('Ready', 'string', 'Number of the pod with ready state'),
			col(
				'Up-to-date',
				'string',
				'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
			),
			col(
				'Available',
				'string',
				'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
			),
			ageCol,
			...templateCols,
			col('Selector', 'string', 'Label selector for pods.', 1),
		],
		cells: deploymentCells,
	},
	replicasets: {
		columns: [
			nameCol,
			col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
			col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
			col(
				'Ready',
				'integer',
				'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.',
			),
			ageCol,
			...templateCols,
			col(
				'Selector',
				'string',
				'Selector is a label query over pods that should match the replica count.',
				1,
			),
		],
		cells: replicaSetCells,
	},
	pods: {
		columns: [
			nameCol,
			col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
			col('Status', 'string', 'The aggregate status of the containers in this pod.'),
			col(
				'Restarts',
				'string',
				'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
			),
			ageCol,
			col('IP', 'string', 'podIP address allocated to the pod.', 1),
			col('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
			col(
				'Nominated Node',
				'string',
				'nominatedNodeName is set only when this pod preempts other pods on the node.',
				1,
			),
			col(
				'Readiness Gates',
				'string',
				'If specified, all readiness gates will be evaluated for pod readiness.',
				1,
			),
		],
		cells: podCells,
	},
	services: {
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
	},
	ingresses: {
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
	},
	namespaces: {
		columns: [nameCol, col('Status', 'string', 'The status of the namespace'), ageCol],
		// A real server sets phase Active on create.
		cells: (o, now) => [o.metadata?.name ?? '', str(rec(o.status).phase) || 'Active', age(o, now)],
	},
	events: {
		columns: [
			col(
				'Last Seen',
				'string',
				'The time at which the most recent occurrence of this event was recorded.',
			),
			col(
				'Type',
				'string',
				'Type of this event (Normal, Warning), new types could be added in the future',
			),
			col(
				'Reason',
				'string',
				"This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
			),
			col('Object', 'string', 'The object that this event is about.'),
			col(
				'Subobject',
				'string',
				'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
				1,
			),
			col(
				'Source',
				'string',
				'The component reporting this event. Should be a short machine understandable string.',
				1,
			),
			col('Message', 'string', 'A human-readable description of the status of this operation.'),
			col(
				'First Seen',
				'string',
				'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
				1,
			),
			col('Count', 'string', 'The number of times this event has occurred.', 1),
			col('Name', 'string', nameDoc, 1, 'name'),
		],
		cells: eventCells,
	},
	configmaps: {
		columns: [nameCol, col('Data', 'string', 'Data contains the configuration data.'), ageCol],
		cells: (o, now) => [
			o.metadata?.name ?? '',
			Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length,
			age(o, now),
		],
	},
	endpoints: {
		columns: [
			nameCol,
			col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
			ageCol,
		],
		cells: (o, now) => [o.metadata?.name ?? '', endpointsText(o), age(o, now)],
	},
};

/** A CRD's additionalPrinterColumns entry. */
export type CrdColumn = {
	name: string;
	type: string;
	jsonPath: string;
	priority?: number;
	description?: string;
};

/** fluxcd/flagger artifacts/flagger/crd.yaml, canaries.flagger.app v1beta1. */
const canaryColumns: CrdColumn[] = [
	{name: 'Status', type: 'string', jsonPath: '.status.phase'},
	{name: 'Weight', type: 'string', jsonPath: '.status.canaryWeight'},
	{name: 'Suspended', type: 'boolean', jsonPath: '.spec.suspend', priority: 1},
	{name: 'FailedChecks', type: 'string', jsonPath: '.status.failedChecks', priority: 1},
	{name: 'Interval', type: 'string', jsonPath: '.spec.analysis.interval', priority: 1},
	{name: 'Mirror', type: 'boolean', jsonPath: '.spec.analysis.mirror', priority: 1},
	{name: 'StepWeight', type: 'string', jsonPath: '.spec.analysis.stepWeight', priority: 1},
	{name: 'StepWeights', type: 'string', jsonPath: '.spec.analysis.stepWeights', priority: 1},
	{name: 'MaxWeight', type: 'string', jsonPath: '.spec.analysis.maxWeight', priority: 1},
	{name: 'LastTransitionTime', type: 'string', jsonPath: '.status.lastTransitionTime'},
];

/** argoproj/argo-rollouts kubebuilder printcolumns on the Rollout type. */
const rolloutColumns: CrdColumn[] = [
	{
		name: 'Desired',
		type: 'integer',
		jsonPath: '.spec.replicas',
		description: 'Number of desired pods',
	},
	{
		name: 'Current',
		type: 'integer',
		jsonPath: '.status.replicas',
		description: 'Total number of non-terminated pods targeted by this rollout',
	},
	{
		name: 'Up-to-date',
		type: 'integer',
		jsonPath: '.status.updatedReplicas',
		description:
			'Total number of non-terminated pods targeted by this rollout that have the desired template spec',
	},
	{
		name: 'Available',
		type: 'integer',
		jsonPath: '.status.availableReplicas',
		description:
			'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout',
	},
	{
		name: 'Age',
		type: 'date',
		jsonPath: '.metadata.creationTimestamp',
		description: 'Time since resource was created',
	},
];

/** What a CRD without printer columns gets (apiextensions serveDefaultColumnsIfEmpty). */
const defaultColumns: CrdColumn[] = [
	{name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: creationDoc},
];

/** Go's %v for a float64: %g with shortest digits, exponent form outside [1e-4, 1e6). */
function goFloat(v: number): string {
	if (Number.isInteger(v)) return String(v); // whole JSON numbers decode as int64 on the server
	const [mantissa = '', exp = '0'] = v.toExponential().split('e');
	const e = Number(exp);
	if (e >= -4 && e < 6) return String(v);
	return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Go's json.Marshal: object keys sorted. */
function goJson(v: unknown): string {
	if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
	if (isObj(v)) {
		return `{${Object.keys(v)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${goJson(v[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(v) ?? 'null';
}

/** The apiextensions table convertor's cell for one column; null (kubectl: "<none>") when missing. */
function crdCell(column: CrdColumn, object: KubeObject, now: Date): unknown {
	let value: unknown = object;
	for (const key of column.jsonPath.split('.').slice(1))
		value = isObj(value) ? value[key] : undefined;
	if (value === undefined || value === null) return null;
	switch (column.type) {
		case 'string':
			if (typeof value === 'string') return value;
			if (typeof value === 'number') return goFloat(value);
			if (typeof value === 'boolean') return String(value);
			return goJson(value);
		case 'integer':
			return typeof value === 'number' ? Math.trunc(value) : null;
		case 'number':
			return typeof value === 'number' ? value : null;
		case 'boolean':
			return typeof value === 'boolean' ? value : null;
		case 'date': {
			if (typeof value !== 'string') return null;
			const t = Date.parse(value);
			return Number.isNaN(t) ? '<invalid>' : humanDuration(now.getTime() - t);
		}
		default:
			return null;
	}
}

export function crdPrinter(columns: CrdColumn[]): Printer {
	return {
		columns: [
			nameCol,
			...columns.map((c) =>
				col(
					c.name,
					c.type,
					c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
					c.priority ?? 0,
				),
			),
		],
		cells: (o, now) => [o.metadata?.name ?? '', ...columns.map((c) => crdCell(c, o, now))],
	};
}

export function printerFor(resource: string): Printer {
	if (resource === 'canaries') return crdPrinter(canaryColumns);
	if (resource === 'rollouts') return crdPrinter(rolloutColumns);
	return builtinPrinters[resource] ?? crdPrinter(defaultColumns);
}
