/**
 * Objects that are wrong the way users get them wrong, each in a namespace of its own beside the
 * seed's world: a weight and steps that do not parse, two canary Ingresses for one host and
 * path, Services whose selector lost its track label, Unicode and bidi controls where
 * Kubernetes allows them, and an empty namespace.
 */
import type {KubeObject} from '../../source/sim/store.js';

type Labels = Record<string, string>;

function namespace(name: string): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {name, labels: {'kubernetes.io/metadata.name': name}},
	};
}

function deployment(ns: string, name: string, labels: Labels, image: string): KubeObject {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, namespace: ns, labels},
		spec: {
			replicas: 1,
			selector: {matchLabels: labels},
			template: {metadata: {labels}, spec: {containers: [{name: 'app', image}]}},
		},
	};
}

function service(ns: string, name: string, selector: Labels, annotations?: Labels): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name, namespace: ns, ...(annotations ? {annotations} : {})},
		spec: {selector, ports: [{port: 80, targetPort: 8080}]},
	};
}

function ingress(ns: string, name: string, backend: string, annotations?: Labels): KubeObject {
	const path = {
		path: '/',
		pathType: 'Prefix',
		backend: {service: {name: backend, port: {number: 80}}},
	};
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'Ingress',
		metadata: {name, namespace: ns, ...(annotations ? {annotations} : {})},
		spec: {ingressClassName: 'nginx', rules: [{host: `${ns}.example.com`, http: {paths: [path]}}]},
	};
}

const canaryOn = {'nginx.ingress.kubernetes.io/canary': 'true'};

/** An nginx canary `APP-canary` beside its primary `APP`, its annotations as given. */
function canary(ns: string, app: string, annotations: Labels, rivals = 0): KubeObject[] {
	const objects = [
		namespace(ns),
		deployment(ns, `${app}-stable`, {app, track: 'stable'}, `${app}:1.0.0`),
		deployment(ns, `${app}-canary`, {app, track: 'canary'}, `${app}:1.1.0`),
		service(ns, `${app}-stable`, {app, track: 'stable'}),
		service(ns, `${app}-canary`, {app, track: 'canary'}),
		ingress(ns, app, `${app}-stable`),
		ingress(ns, `${app}-canary`, `${app}-canary`, {...canaryOn, ...annotations}),
	];
	for (let n = 2; n < rivals + 2; n++)
		objects.push(
			ingress(ns, `${app}-canary-${n}`, `${app}-canary`, {
				...canaryOn,
				'nginx.ingress.kubernetes.io/canary-weight': '50',
			}),
		);
	return objects;
}

/** Deployments APP-blue and APP-green (label version) and a Service APP with `selector`. */
function blueGreen(
	ns: string,
	app: string,
	selector: Labels,
	images = [`${app}:1.0.0`, `${app}:1.1.0`],
	annotations?: Labels,
): KubeObject[] {
	return [
		namespace(ns),
		deployment(ns, `${app}-blue`, {app, version: 'blue'}, images[0]!),
		deployment(ns, `${app}-green`, {app, version: 'green'}, images[1]!),
		service(ns, app, selector, annotations),
	];
}

/** What the Unicode row puts where Kubernetes allows it: an image, a health-path annotation. */
export const unicode = {
	bidiImage: 'uni:1.0.0\u202egnp.exe',
	wideImage: 'registry.example/café:☕-1.1',
	healthPath: '/health\u202e\u2066x',
};

export function badWorld(): KubeObject[] {
	return [
		...canary('weight', 'pay', {'nginx.ingress.kubernetes.io/canary-weight': 'ten'}),
		...canary('steps', 'cart', {
			'nginx.ingress.kubernetes.io/canary-weight': '10',
			'cutover.dev/steps': '5,twenty,50',
		}),
		...canary('dup', 'feed', {'nginx.ingress.kubernetes.io/canary-weight': '10'}, 1),
		...blueGreen('both', 'web', {app: 'web'}),
		...blueGreen('neither', 'api', {app: 'apii'}),
		...blueGreen(
			'uni',
			'uni',
			{app: 'uni', version: 'blue'},
			[unicode.bidiImage, unicode.wideImage],
			{
				'cutover.dev/health-path': unicode.healthPath,
			},
		),
		namespace('empty'),
	];
}

/** A Deployment with no containers: a real API server refuses it, and so does the sim. */
export function noContainers(): KubeObject {
	const object = deployment('uni', 'hollow', {app: 'hollow'}, 'x');
	object.spec.template.spec.containers = [];
	return object;
}
