/**
 * Unknown fields in a write's body, found as the API server's strict decoding finds them, for
 * the top level, `metadata` and `spec` of the built-in kinds (and a workload's pod template),
 * from the field names of their Kubernetes types. Custom resources are not checked.
 */
import type {ResourceType} from './resources.js';

const objectMeta = [
	'name',
	'generateName',
	'namespace',
	'selfLink',
	'uid',
	'resourceVersion',
	'generation',
	'creationTimestamp',
	'deletionTimestamp',
	'deletionGracePeriodSeconds',
	'labels',
	'annotations',
	'ownerReferences',
	'finalizers',
	'managedFields',
];

const podSpec = [
	'volumes',
	'initContainers',
	'containers',
	'ephemeralContainers',
	'restartPolicy',
	'terminationGracePeriodSeconds',
	'activeDeadlineSeconds',
	'dnsPolicy',
	'nodeSelector',
	'serviceAccountName',
	'serviceAccount',
	'automountServiceAccountToken',
	'nodeName',
	'hostNetwork',
	'hostPID',
	'hostIPC',
	'shareProcessNamespace',
	'securityContext',
	'imagePullSecrets',
	'hostname',
	'subdomain',
	'affinity',
	'schedulerName',
	'tolerations',
	'hostAliases',
	'priorityClassName',
	'priority',
	'dnsConfig',
	'readinessGates',
	'runtimeClassName',
	'enableServiceLinks',
	'preemptionPolicy',
	'overhead',
	'topologySpreadConstraints',
	'setHostnameAsFQDN',
	'os',
	'hostUsers',
	'schedulingGates',
	'resourceClaims',
	'resources',
];

type Shape = {top: string[]; spec?: string[]; template?: boolean};

const withSpec = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

const shapes: Record<string, Shape> = {
	'/Namespace': {top: withSpec, spec: ['finalizers']},
	'/Pod': {top: withSpec, spec: podSpec},
	'/Service': {
		top: withSpec,
		spec: [
			'ports',
			'selector',
			'clusterIP',
			'clusterIPs',
			'type',
			'externalIPs',
			'sessionAffinity',
			'loadBalancerIP',
			'loadBalancerSourceRanges',
			'externalName',
			'externalTrafficPolicy',
			'healthCheckNodePort',
			'publishNotReadyAddresses',
			'sessionAffinityConfig',
			'ipFamilies',
			'ipFamilyPolicy',
			'allocateLoadBalancerNodePorts',
			'loadBalancerClass',
			'internalTrafficPolicy',
			'trafficDistribution',
		],
	},
	'/Endpoints': {top: ['apiVersion', 'kind', 'metadata', 'subsets']},
	'/ConfigMap': {top: ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable']},
	'/Event': {
		top: [
			'apiVersion',
			'kind',
			'metadata',
			'involvedObject',
			'reason',
			'message',
			'source',
			'firstTimestamp',
			'lastTimestamp',
			'count',
			'type',
			'eventTime',
			'series',
			'action',
			'related',
			'reportingComponent',
			'reportingInstance',
		],
	},
	'apps/Deployment': {
		top: withSpec,
		template: true,
		spec: [
			'replicas',
			'selector',
			'template',
			'strategy',
			'minReadySeconds',
			'revisionHistoryLimit',
			'paused',
			'progressDeadlineSeconds',
		],
	},
	'apps/ReplicaSet': {
		top: withSpec,
		template: true,
		spec: ['replicas', 'minReadySeconds', 'selector', 'template'],
	},
	'networking.k8s.io/Ingress': {
		top: withSpec,
		spec: ['ingressClassName', 'defaultBackend', 'tls', 'rules'],
	},
};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The keys of `value` not in `known`, as dotted paths under `at`; a strategic merge patch's
 * directives (`$patch`, `$setElementOrder/containers`, ...) are no fields.
 */
function straysOf(value: unknown, known: string[], at: string, patch: boolean): string[] {
	if (!isObject(value)) return [];
	return Object.keys(value)
		.filter((key) => !known.includes(key) && !(patch && key.startsWith('$')))
		.map((key) => (at ? `${at}.${key}` : key));
}

/** The unknown fields of a body (or a merge patch's), as strict decoding names them. */
export function unknownFields(type: ResourceType, body: unknown, patch = false): string[] {
	const strays = (value: unknown, known: string[], at: string) => straysOf(value, known, at, patch);
	const shape = shapes[`${type.group}/${type.kind}`];
	if (!shape || !isObject(body)) return [];
	const found = [...strays(body, shape.top, ''), ...strays(body.metadata, objectMeta, 'metadata')];
	if (shape.spec) found.push(...strays(body.spec, shape.spec, 'spec'));
	const template = isObject(body.spec) ? body.spec.template : undefined;
	if (shape.template && isObject(template)) {
		found.push(...strays(template, ['metadata', 'spec'], 'spec.template'));
		found.push(...strays(template.metadata, objectMeta, 'spec.template.metadata'));
		found.push(...strays(template.spec, podSpec, 'spec.template.spec'));
	}
	return found;
}

/** Removes the fields (dotted paths from unknownFields) from the body, as decoding drops them. */
export function dropFields(body: unknown, paths: string[]): void {
	for (const path of paths) {
		const parts = path.split('.');
		const last = parts.pop()!;
		let at: unknown = body;
		for (const part of parts) at = isObject(at) ? at[part] : undefined;
		if (isObject(at)) delete at[last];
	}
}
