/**
 * A generated world for the bench: N blue/green rollouts, each the seed's myapp (Service myapp
 * switching on `version` between Deployments app-blue and app-green, one replica each) in a
 * namespace of its own, live on blue.
 */
import {parseScenario, type Scenario} from '../../source/sim/scenario.js';

/** The namespace of the rollout at `index` (0-based); the list shows them in this order. */
export function namespaceOf(index: number): string {
	return `bench-${String(index).padStart(5, '0')}`;
}

function deployment(namespace: string, version: 'blue' | 'green', image: string) {
	const labels = {app: 'myapp', version};
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: `app-${version}`, namespace, labels},
		spec: {
			replicas: 1,
			selector: {matchLabels: labels},
			template: {
				metadata: {labels},
				spec: {containers: [{name: 'app', image, ports: [{containerPort: 8080}]}]},
			},
		},
	};
}

function service(namespace: string) {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: 'myapp', namespace},
		spec: {
			type: 'ClusterIP',
			selector: {app: 'myapp', version: 'blue'},
			ports: [{port: 80, targetPort: 8080, protocol: 'TCP'}],
		},
	};
}

/** The objects of `rollouts` blue/green rollouts, as the scenario holds them. */
export function benchObjects(rollouts: number): Array<Record<string, unknown>> {
	const objects: Array<Record<string, unknown>> = [];
	for (let index = 0; index < rollouts; index++) {
		const namespace = namespaceOf(index);
		objects.push(
			{
				apiVersion: 'v1',
				kind: 'Namespace',
				metadata: {name: namespace, labels: {'kubernetes.io/metadata.name': namespace}},
			},
			deployment(namespace, 'blue', 'myapp:1.0.0'),
			deployment(namespace, 'green', 'myapp:1.1.0'),
			service(namespace),
		);
	}
	return objects;
}

/** The scenario of `rollouts` blue/green rollouts, through the sim's own parser. */
export function benchScenario(rollouts: number): Scenario {
	const objects = benchObjects(rollouts);
	// JSON is YAML: the parser checks the generated objects as it checks a user's file.
	const text = JSON.stringify({
		name: `bench-${rollouts}`,
		description: `${rollouts} blue/green rollouts for npm run bench`,
		behaviours: {'*': {healthy: true, errorRatio: 0.002, p99Ms: 120, rps: 20}},
		objects,
	});
	return parseScenario(text, `bench-${rollouts}.yaml`);
}
