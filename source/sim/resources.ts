/**
 * The resource types the simulated cluster serves, as data: discovery, routing, printing and
 * the store all read this one table, so adding a type is one entry here.
 */
import type {IncomingMessage} from 'node:http';
import {accessReview, rulesReview, userOf} from './access.js';
import type {KubeObject} from './objects.js';
import {
	analysisRunPrinter,
	canaryPrinter,
	defaultCrdPrinter,
	rolloutPrinter,
} from './printers/crd.js';
import {endpointSlicePrinter} from './printers/discovery.js';
import {eventPrinter} from './printers/events.js';
import type {Printer} from './printers/format.js';
import {ingressPrinter, servicePrinter} from './printers/network.js';
import {configMapPrinter, endpointsPrinter, namespacePrinter} from './printers/plain.js';
import {podPrinter} from './printers/pods.js';
import {deploymentPrinter, replicaSetPrinter} from './printers/workloads.js';

export type ResourceType = {
	group: string; // '' for the core group
	version: string;
	plural: string;
	singular: string;
	kind: string;
	namespaced: boolean;
	shortNames?: string[];
	categories?: string[];
	/** Has a `status` subresource: writes to the main resource keep status, writes to /status keep spec. */
	status?: boolean;
	/** A spec change bumps metadata.generation. */
	generation?: boolean;
	/** Has a `scale` subresource (autoscaling/v1 Scale over spec.replicas). */
	scale?: boolean;
	/** Has a `proxy` subresource; discovery names it by this kind. */
	proxy?: 'PodProxyOptions' | 'ServiceProxyOptions';
	/** A DELETE answers with the deleted object, not a Status, as a real server does for this type. */
	deleteAnswersObject?: boolean;
	/** A custom resource: no strategic merge patch, as on a real server. */
	custom?: boolean;
	/** The columns of the Table `kubectl get` asks for. */
	printer: Printer;
	verbs?: string[];
	/** Every request to it carries this deprecation Warning, as a real server's does. */
	deprecated?: string;
	/** A review (create-only): the answer to the object POSTed, which is never stored. */
	review?: (body: KubeObject, request: IncomingMessage) => KubeObject;
};

const allVerbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const resourceTypes: ResourceType[] = [
	{
		group: '',
		version: 'v1',
		plural: 'namespaces',
		singular: 'namespace',
		kind: 'Namespace',
		namespaced: false,
		shortNames: ['ns'],
		status: true,
		printer: namespacePrinter,
	},
	{
		group: '',
		version: 'v1',
		plural: 'pods',
		singular: 'pod',
		kind: 'Pod',
		namespaced: true,
		shortNames: ['po'],
		categories: ['all'],
		status: true,
		proxy: 'PodProxyOptions',
		deleteAnswersObject: true,
		printer: podPrinter,
	},
	{
		group: '',
		version: 'v1',
		plural: 'services',
		singular: 'service',
		kind: 'Service',
		namespaced: true,
		shortNames: ['svc'],
		categories: ['all'],
		status: true,
		proxy: 'ServiceProxyOptions',
		deleteAnswersObject: true,
		printer: servicePrinter,
	},
	{
		group: '',
		version: 'v1',
		plural: 'endpoints',
		singular: 'endpoints',
		kind: 'Endpoints',
		namespaced: true,
		shortNames: ['ep'],
		deprecated: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
		printer: endpointsPrinter,
	},
	{
		group: 'discovery.k8s.io',
		version: 'v1',
		plural: 'endpointslices',
		singular: 'endpointslice',
		kind: 'EndpointSlice',
		namespaced: true,
		printer: endpointSlicePrinter,
	},
	{
		group: '',
		version: 'v1',
		plural: 'events',
		singular: 'event',
		kind: 'Event',
		namespaced: true,
		shortNames: ['ev'],
		printer: eventPrinter,
	},
	{
		group: '',
		version: 'v1',
		plural: 'configmaps',
		singular: 'configmap',
		kind: 'ConfigMap',
		namespaced: true,
		shortNames: ['cm'],
		printer: configMapPrinter,
	},
	{
		group: 'apps',
		version: 'v1',
		plural: 'deployments',
		singular: 'deployment',
		kind: 'Deployment',
		namespaced: true,
		shortNames: ['deploy'],
		categories: ['all'],
		status: true,
		generation: true,
		scale: true,
		printer: deploymentPrinter,
	},
	{
		group: 'apps',
		version: 'v1',
		plural: 'replicasets',
		singular: 'replicaset',
		kind: 'ReplicaSet',
		namespaced: true,
		shortNames: ['rs'],
		categories: ['all'],
		status: true,
		generation: true,
		scale: true,
		printer: replicaSetPrinter,
	},
	{
		group: 'networking.k8s.io',
		version: 'v1',
		plural: 'ingresses',
		singular: 'ingress',
		kind: 'Ingress',
		namespaced: true,
		shortNames: ['ing'],
		status: true,
		generation: true,
		printer: ingressPrinter,
	},
	{
		group: 'flagger.app',
		version: 'v1beta1',
		plural: 'canaries',
		singular: 'canary',
		kind: 'Canary',
		namespaced: true,
		shortNames: ['canary'],
		categories: ['all'],
		status: true,
		generation: true,
		custom: true,
		printer: canaryPrinter,
	},
	{
		group: 'argoproj.io',
		version: 'v1alpha1',
		plural: 'rollouts',
		singular: 'rollout',
		kind: 'Rollout',
		namespaced: true,
		shortNames: ['ro'],
		categories: ['all'],
		status: true,
		generation: true,
		scale: true,
		custom: true,
		printer: rolloutPrinter,
	},
	{
		// Served so that clients (cutover, kubectl) can read them; the sim runs no analysis.
		group: 'argoproj.io',
		version: 'v1alpha1',
		plural: 'analysisruns',
		singular: 'analysisrun',
		kind: 'AnalysisRun',
		namespaced: true,
		categories: ['all'],
		status: true,
		generation: true,
		custom: true,
		printer: analysisRunPrinter,
	},
	{
		group: 'authorization.k8s.io',
		version: 'v1',
		plural: 'selfsubjectaccessreviews',
		singular: 'selfsubjectaccessreview',
		kind: 'SelfSubjectAccessReview',
		namespaced: false,
		verbs: ['create'],
		review: (body, request) => accessReview(body, userOf(request)),
		printer: defaultCrdPrinter,
	},
	{
		group: 'authorization.k8s.io',
		version: 'v1',
		plural: 'selfsubjectrulesreviews',
		singular: 'selfsubjectrulesreview',
		kind: 'SelfSubjectRulesReview',
		namespaced: false,
		verbs: ['create'],
		review: (body, request) => rulesReview(body, userOf(request)),
		printer: defaultCrdPrinter,
	},
];

for (const type of resourceTypes) type.verbs ??= allVerbs;

export function apiVersionOf(type: ResourceType): string {
	return type.group ? `${type.group}/${type.version}` : type.version;
}

export function findByPath(
	group: string,
	version: string,
	plural: string,
): ResourceType | undefined {
	return resourceTypes.find(
		(t) => t.group === group && t.version === version && t.plural === plural,
	);
}

export function findByKind(apiVersion: string, kind: string): ResourceType | undefined {
	return resourceTypes.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
}

export function typeKey(type: ResourceType): string {
	return `${type.group}/${type.plural}`;
}
