import {allocateClusterIp, type ServicesView} from './cluster-ips.js';
import type {ResourceType} from './resources.js';
import type {KubeObject} from './store.js';

/**
 * The defaults a real API server fills in on every write (its SetDefaults functions for core/v1
 * and apps/v1), so what a client reads back differs from what it sent as on a real cluster:
 * `kubectl describe` shows StrategyType and port protocols, and a spec sent again without them
 * does not read as changed. Scenario objects are created through the same path.
 */
export function applyDefaults(
	type: ResourceType,
	object: KubeObject,
	view: ServicesView,
	current?: KubeObject,
): void {
	if (type.kind === 'Namespace') defaultNamespace(object);
	const spec = object.spec;
	if (!spec || typeof spec !== 'object') return;
	if (type.kind === 'Deployment') defaultDeployment(spec);
	if (type.kind === 'ReplicaSet') defaultReplicaSet(spec);
	if (type.kind === 'Pod') {
		defaultPodSpec(spec);
		// SetDefaults_Pod, not SetDefaults_PodSpec: a Pod gets it, a template does not.
		spec.enableServiceLinks ??= true;
	}
	if (type.kind === 'Service') {
		defaultService(spec);
		allocateClusterIp(view, object, current);
	}
}

// biome-ignore lint/suspicious/noExplicitAny: specs as clients send them
type Spec = any;

/** SetDefaults_Namespace and SetDefaults_NamespaceStatus: the name as a label, the phase Active. */
function defaultNamespace(namespace: KubeObject): void {
	const name = namespace.metadata?.name;
	if (name)
		namespace.metadata.labels = {...namespace.metadata.labels, 'kubernetes.io/metadata.name': name};
	namespace.status = {...namespace.status, phase: namespace.status?.phase ?? 'Active'};
}

/** `:latest` or no tag pulls every time; a pinned tag or a digest only when absent. */
function pullPolicy(image: unknown): string {
	if (typeof image !== 'string') return 'IfNotPresent';
	if (image.includes('@')) return 'IfNotPresent';
	const name = image.slice(image.lastIndexOf('/') + 1);
	const tag = name.includes(':') ? name.slice(name.indexOf(':') + 1) : '';
	return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(container: Spec): void {
	if (!container || typeof container !== 'object') return;
	container.resources ??= {};
	container.terminationMessagePath ??= '/dev/termination-log';
	container.terminationMessagePolicy ??= 'File';
	container.imagePullPolicy ??= pullPolicy(container.image);
	for (const port of container.ports ?? []) port.protocol ??= 'TCP';
	for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe])
		defaultProbe(probe);
}

/** SetDefaults_Probe and SetDefaults_HTTPGetAction. */
function defaultProbe(probe: Spec): void {
	if (!probe || typeof probe !== 'object') return;
	probe.timeoutSeconds ||= 1;
	probe.periodSeconds ||= 10;
	probe.successThreshold ||= 1;
	probe.failureThreshold ||= 3;
	if (probe.httpGet && typeof probe.httpGet === 'object') {
		probe.httpGet.path ||= '/';
		probe.httpGet.scheme ||= 'HTTP';
	}
}

function defaultPodSpec(podSpec: Spec): void {
	if (!podSpec || typeof podSpec !== 'object') return;
	podSpec.restartPolicy ??= 'Always';
	podSpec.terminationGracePeriodSeconds ??= 30;
	podSpec.dnsPolicy ??= 'ClusterFirst';
	podSpec.securityContext ??= {};
	podSpec.schedulerName ??= 'default-scheduler';
	for (const list of [podSpec.initContainers, podSpec.containers])
		if (Array.isArray(list)) for (const container of list) defaultContainer(container);
}

function defaultReplicaSet(spec: Spec): void {
	spec.replicas ??= 1;
	defaultPodSpec(spec.template?.spec);
}

function defaultDeployment(spec: Spec): void {
	spec.replicas ??= 1;
	spec.revisionHistoryLimit ??= 10;
	spec.progressDeadlineSeconds ??= 600;
	spec.strategy ??= {type: 'RollingUpdate'};
	if (spec.strategy.type === 'RollingUpdate') {
		spec.strategy.rollingUpdate ??= {};
		spec.strategy.rollingUpdate.maxSurge ??= '25%';
		spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
	}
	defaultPodSpec(spec.template?.spec);
}

function defaultService(spec: Spec): void {
	spec.type ??= 'ClusterIP';
	spec.sessionAffinity ??= 'None';
	if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
	if (spec.sessionAffinity === 'ClientIP' && !spec.sessionAffinityConfig?.clientIP?.timeoutSeconds)
		spec.sessionAffinityConfig = {clientIP: {timeoutSeconds: 10_800}};
	if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
	const external =
		spec.type === 'LoadBalancer' ||
		spec.type === 'NodePort' ||
		(spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
	if (external) spec.externalTrafficPolicy ||= 'Cluster';
	if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
	for (const port of spec.ports ?? []) {
		port.protocol ??= 'TCP';
		if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '')
			port.targetPort = port.port;
	}
}
