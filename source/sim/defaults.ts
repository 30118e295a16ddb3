import type {ResourceType} from './resources.js';
import type {KubeObject} from './store.js';

/**
 * The defaults a real API server fills in on every write, for the fields clients read back
 * (`kubectl describe` shows StrategyType and Port protocols; a spec sent without them must not
 * read as changed). Only what is visible to the console and to kubectl is defaulted.
 */
export function applyDefaults(type: ResourceType, object: KubeObject): void {
	if (type.kind === 'Deployment') defaultDeployment(object);
	if (type.kind === 'Service') defaultService(object);
}

// biome-ignore lint/suspicious/noExplicitAny: specs as clients send them
function defaultContainers(podSpec: any): void {
	for (const container of podSpec?.containers ?? []) {
		for (const port of container.ports ?? []) port.protocol ??= 'TCP';
	}
}

function defaultDeployment(object: KubeObject): void {
	const spec = object.spec;
	if (!spec || typeof spec !== 'object') return;
	spec.replicas ??= 1;
	spec.revisionHistoryLimit ??= 10;
	spec.progressDeadlineSeconds ??= 600;
	spec.strategy ??= {type: 'RollingUpdate'};
	if (spec.strategy.type === 'RollingUpdate')
		spec.strategy.rollingUpdate ??= {maxSurge: '25%', maxUnavailable: '25%'};
	defaultContainers(spec.template?.spec);
}

function defaultService(object: KubeObject): void {
	const spec = object.spec;
	if (!spec || typeof spec !== 'object') return;
	spec.type ??= 'ClusterIP';
	spec.sessionAffinity ??= 'None';
	for (const port of spec.ports ?? []) {
		port.protocol ??= 'TCP';
		port.targetPort ??= port.port;
	}
}
