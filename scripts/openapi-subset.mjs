// Cuts a Kubernetes release's OpenAPI v2 (swagger.json) down to the definitions the simulated
// cluster serves: every kind in source/sim/resources.ts that Kubernetes defines, what they
// reference, and the few the API itself answers with (Scale, Status, DeleteOptions).
//   node scripts/openapi-subset.mjs swagger.json > source/sim/openapi/kubernetes.json
import {readFileSync} from 'node:fs';

const [source] = process.argv.slice(2);
if (!source) throw new Error('usage: openapi-subset.mjs SWAGGER.json');
const swagger = JSON.parse(readFileSync(source, 'utf8'));

const served = [
	['', 'v1', ['Namespace', 'Pod', 'Service', 'Endpoints', 'Event', 'ConfigMap']],
	['apps', 'v1', ['Deployment', 'ReplicaSet']],
	['networking.k8s.io', 'v1', ['Ingress']],
	['discovery.k8s.io', 'v1', ['EndpointSlice']],
	['authorization.k8s.io', 'v1', ['SelfSubjectAccessReview', 'SelfSubjectRulesReview']],
	['autoscaling', 'v1', ['Scale']],
	['', 'v1', ['Status', 'DeleteOptions']],
];
const gvkOf = (definition) => definition['x-kubernetes-group-version-kind'] ?? [];
const roots = Object.keys(swagger.definitions).filter((name) =>
	gvkOf(swagger.definitions[name]).some((gvk) =>
		served.some(
			([group, version, kinds]) =>
				gvk.group === group &&
				gvk.version === version &&
				(kinds.includes(gvk.kind) || kinds.some((kind) => gvk.kind === `${kind}List`)),
		),
	),
);

const kept = new Set();
function visit(name) {
	if (kept.has(name)) return;
	const definition = swagger.definitions[name];
	if (!definition) throw new Error(`no definition ${name}`);
	kept.add(name);
	JSON.stringify(definition, (key, value) => {
		if (key === '$ref') visit(value.replace('#/definitions/', ''));
		return value;
	});
}
for (const name of roots) visit(name);

const definitions = Object.fromEntries(
	[...kept].sort().map((name) => [name, swagger.definitions[name]]),
);
process.stdout.write(
	`${JSON.stringify({swagger: swagger.swagger, info: swagger.info, definitions})}\n`,
);
