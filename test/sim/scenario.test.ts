import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {
	behaviourFor,
	builtinScenarioNames,
	loadScenario,
	parseScenario,
	type Scenario,
	ScenarioError,
} from '../../source/sim/scenario.js';

// Loose accessors: the objects are plain Kubernetes JSON and the tests read them like a client would.
// biome-ignore lint/suspicious/noExplicitAny: test access to arbitrary Kubernetes fields
type Any = any;

function find(scenario: Scenario, kind: string, namespace: string, name: string): Any {
	const object = scenario.objects.find(
		(o: Any) =>
			o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? '') === namespace,
	);
	if (!object) throw new Error(`no ${kind} ${namespace}/${name} in ${scenario.name}`);
	return object;
}

function ofKind(scenario: Scenario, kind: string, namespace?: string): Any[] {
	return scenario.objects.filter(
		(o: Any) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
	);
}

const tmp = mkdtempSync(join(tmpdir(), 'cutover-scenario-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

function writeScenario(file: string, text: string): string {
	const path = join(tmp, file);
	writeFileSync(path, text);
	return path;
}

/** Loads a scenario file expected to be wrong, and returns the ScenarioError's message. */
function errorOf(load: () => unknown): string {
	try {
		load();
	} catch (error) {
		expect(error).toBeInstanceOf(ScenarioError);
		return (error as Error).message;
	}
	throw new Error('expected a ScenarioError');
}

const seed = loadScenario('seed');

describe('built-in scenarios', () => {
	it('lists the files in source/sim/scenarios by name', () => {
		expect(builtinScenarioNames()).toEqual(expect.arrayContaining(['seed', 'bad-canary']));
	});

	it('loads every built-in by name, with settings and a filled "*" behaviour', () => {
		for (const name of builtinScenarioNames()) {
			const scenario = loadScenario(name);
			expect(scenario.name).toBe(name);
			expect(scenario.description).not.toBe('');
			expect(scenario.source).toMatch(new RegExp(`${name}\\.yaml$`));
			expect(scenario.settings.rolloutSeconds).toBeGreaterThan(0);
			expect(Object.keys(scenario.behaviours['*']!).sort()).toEqual([
				'errorRatio',
				'healthy',
				'p99Ms',
				'rps',
			]);
		}
	});

	it('gives every ownerReference a uid that is the metadata.uid of its owner in the same scenario', () => {
		for (const name of builtinScenarioNames()) {
			const scenario = loadScenario(name);
			let references = 0;
			for (const object of scenario.objects as Any[]) {
				for (const reference of object.metadata.ownerReferences ?? []) {
					references++;
					const owner: Any = scenario.objects.find((o: Any) => o.metadata.uid === reference.uid);
					expect(owner, `${object.kind} ${object.metadata.name} -> ${reference.uid}`).toBeDefined();
					expect([owner.kind, owner.metadata.name, owner.apiVersion]).toEqual([
						reference.kind,
						reference.name,
						reference.apiVersion,
					]);
					expect(owner.metadata.namespace).toBe(object.metadata.namespace);
				}
			}
			expect(references).toBeGreaterThan(0);
		}
	});

	it('puts every namespaced object in a declared namespace and leaves uid/resourceVersion to the store', () => {
		const declared = new Set([
			'default',
			...ofKind(seed, 'Namespace').map((ns) => ns.metadata.name),
		]);
		expect([...declared].sort()).toEqual(['argo', 'default', 'shop', 'test']);
		for (const object of seed.objects as Any[]) {
			expect(object.metadata.resourceVersion).toBeUndefined();
			if (object.kind === 'Namespace') continue;
			expect(
				declared.has(object.metadata.namespace),
				`${object.kind} ${object.metadata.name}`,
			).toBe(true);
		}
		expect(find(seed, 'Deployment', 'default', 'app-blue').metadata.uid).toBeUndefined();
	});

	it('gives every Service a ClusterIP in 10.96.0.0/12', () => {
		for (const service of ofKind(seed, 'Service')) {
			expect(service.spec.type).toBe('ClusterIP');
			expect(service.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
		}
	});
});

describe('seed: the blue/green from the seed manifests (namespace default)', () => {
	it('has app-blue on myapp:1.0.0 and app-green on myapp:1.1.0, 3 replicas each, container app on 8080', () => {
		for (const [color, image] of [
			['blue', 'myapp:1.0.0'],
			['green', 'myapp:1.1.0'],
		] as const) {
			const deployment = find(seed, 'Deployment', 'default', `app-${color}`);
			expect(deployment.metadata.labels).toEqual({app: 'myapp', version: color});
			expect(deployment.spec.replicas).toBe(3);
			expect(deployment.spec.selector.matchLabels).toEqual({app: 'myapp', version: color});
			expect(deployment.spec.template.metadata.labels).toEqual({app: 'myapp', version: color});
			expect(deployment.spec.template.spec.containers).toEqual([
				{name: 'app', image, ports: [{containerPort: 8080}]},
			]);
			// The simulator's Deployment controller writes status and makes the ReplicaSets and Pods.
			expect(deployment.status).toBeUndefined();
		}
		expect(ofKind(seed, 'ReplicaSet', 'default')).toEqual([]);
		expect(ofKind(seed, 'Pod', 'default')).toEqual([]);
	});

	it('has Service myapp selecting blue on 80 -> 8080, and one Service per color on 8080 for the smoke test', () => {
		const myapp = find(seed, 'Service', 'default', 'myapp');
		expect(myapp.spec.selector).toEqual({app: 'myapp', version: 'blue'});
		expect(myapp.spec.ports).toEqual([expect.objectContaining({port: 80, targetPort: 8080})]);
		for (const color of ['blue', 'green']) {
			const service = find(seed, 'Service', 'default', `app-${color}`);
			expect(service.spec.selector).toEqual({app: 'myapp', version: color});
			expect(service.spec.ports).toEqual([expect.objectContaining({port: 8080, targetPort: 8080})]);
		}
	});
});

describe('seed: the nginx canary (namespace shop)', () => {
	it('has shop-stable (shop:2.3.0, 3 replicas) and shop-canary (shop:2.4.0, 1 replica)', () => {
		for (const [track, image, replicas] of [
			['stable', 'shop:2.3.0', 3],
			['canary', 'shop:2.4.0', 1],
		] as const) {
			const deployment = find(seed, 'Deployment', 'shop', `shop-${track}`);
			expect(deployment.spec.replicas).toBe(replicas);
			expect(deployment.spec.selector.matchLabels).toEqual({app: 'shop', track});
			expect(deployment.spec.template.spec.containers[0].image).toBe(image);
			expect(find(seed, 'Service', 'shop', `shop-${track}`).spec.selector).toEqual({
				app: 'shop',
				track,
			});
		}
	});

	it('has a primary and a canary Ingress on shop.example.com / at weight 10, with a load-balancer address', () => {
		const primary = find(seed, 'Ingress', 'shop', 'shop');
		const canary = find(seed, 'Ingress', 'shop', 'shop-canary');
		expect(primary.metadata.annotations?.['nginx.ingress.kubernetes.io/canary']).toBeUndefined();
		expect(canary.metadata.annotations).toEqual({
			'nginx.ingress.kubernetes.io/canary': 'true',
			'nginx.ingress.kubernetes.io/canary-weight': '10',
		});
		for (const [ingress, backend] of [
			[primary, 'shop-stable'],
			[canary, 'shop-canary'],
		] as const) {
			expect(ingress.spec.ingressClassName).toBe('nginx');
			const [rule] = ingress.spec.rules;
			expect(rule.host).toBe('shop.example.com');
			expect(rule.http.paths).toEqual([
				{path: '/', pathType: 'Prefix', backend: {service: {name: backend, port: {number: 80}}}},
			]);
			expect(ingress.status.loadBalancer.ingress[0].ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
		}
	});
});

describe('seed: Flagger podinfo mid-analysis (namespace test)', () => {
	const canary = find(seed, 'Canary', 'test', 'podinfo');

	it('is a flagger.app/v1beta1 Canary targeting Deployment podinfo through Ingress podinfo', () => {
		expect(canary.apiVersion).toBe('flagger.app/v1beta1');
		expect(canary.spec.targetRef).toEqual({
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			name: 'podinfo',
		});
		expect(canary.spec.ingressRef).toEqual({
			apiVersion: 'networking.k8s.io/v1',
			kind: 'Ingress',
			name: 'podinfo',
		});
		expect(canary.spec.service.port).toBe(80);
	});

	it('has the analysis settings, metrics and webhooks (with gates) the console reads', () => {
		const {analysis} = canary.spec;
		expect(analysis).toMatchObject({interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10});
		expect(analysis.metrics).toEqual([
			{name: 'request-success-rate', thresholdRange: {min: 99}, interval: '1m'},
			{name: 'request-duration', thresholdRange: {max: 500}, interval: '1m'},
		]);
		const hooks = Object.fromEntries(analysis.webhooks.map((hook: Any) => [hook.type, hook.url]));
		expect(hooks).toEqual({
			'pre-rollout': 'http://flagger-loadtester.test/',
			rollout: 'http://flagger-loadtester.test/',
			'confirm-traffic-increase': 'http://flagger-loadtester.test/gate/check',
			'confirm-promotion': 'http://flagger-loadtester.test/gate/check',
			rollback: 'http://flagger-loadtester.test/rollback/check',
		});
		expect(analysis.webhooks.map((hook: Any) => hook.name)).toEqual(
			expect.arrayContaining(['acceptance-test', 'load-test']),
		);
	});

	it('has a status block with Flagger field names, progressing at weight 20 with one failed check', () => {
		const {status} = canary;
		expect(status).toMatchObject({
			phase: 'Progressing',
			canaryWeight: 20,
			failedChecks: 1,
			iterations: 0,
		});
		expect(typeof status.lastAppliedSpec).toBe('string');
		expect(typeof status.lastPromotedSpec).toBe('string');
		expect(status.lastAppliedSpec).not.toBe(status.lastPromotedSpec);
		expect(Date.parse(status.lastTransitionTime)).not.toBeNaN();
		expect(status.conditions).toHaveLength(1);
		expect(status.conditions[0]).toMatchObject({
			type: 'Promoted',
			status: 'Unknown',
			reason: 'Progressing',
			message: 'New revision detected, progressing canary analysis.',
		});
		expect(Date.parse(status.conditions[0].lastTransitionTime)).not.toBeNaN();
		expect(Date.parse(status.conditions[0].lastUpdateTime)).not.toBeNaN();
	});

	it('has the canary target on 6.0.1 and the generated primary on 6.0.0', () => {
		const target = find(seed, 'Deployment', 'test', 'podinfo');
		const primary = find(seed, 'Deployment', 'test', 'podinfo-primary');
		expect(target.spec.template.spec.containers[0].image).toBe(
			'ghcr.io/stefanprodan/podinfo:6.0.1',
		);
		expect(primary.spec.template.spec.containers[0].image).toBe(
			'ghcr.io/stefanprodan/podinfo:6.0.0',
		);
		expect(target.spec.selector.matchLabels).toEqual({app: 'podinfo'});
		expect(primary.spec.selector.matchLabels).toEqual({app: 'podinfo-primary'});
		expect(primary.metadata.labels).toEqual({app: 'podinfo-primary'});
		expect(primary.metadata.ownerReferences[0]).toMatchObject({
			kind: 'Canary',
			name: 'podinfo',
			uid: canary.metadata.uid,
		});
	});

	it('has the Services Flagger generates, owned by the Canary', () => {
		const selectors = Object.fromEntries(
			['podinfo', 'podinfo-canary', 'podinfo-primary'].map((name) => {
				const service = find(seed, 'Service', 'test', name);
				expect(service.metadata.ownerReferences).toEqual([
					expect.objectContaining({
						apiVersion: 'flagger.app/v1beta1',
						kind: 'Canary',
						name: 'podinfo',
						uid: canary.metadata.uid,
						controller: true,
					}),
				]);
				return [name, service.spec.selector];
			}),
		);
		expect(selectors).toEqual({
			podinfo: {app: 'podinfo-primary'},
			'podinfo-canary': {app: 'podinfo'},
			'podinfo-primary': {app: 'podinfo-primary'},
		});
	});

	it('has a canary Ingress owned by the Canary whose weight matches status.canaryWeight', () => {
		const primary = find(seed, 'Ingress', 'test', 'podinfo');
		const canaryIngress = find(seed, 'Ingress', 'test', 'podinfo-canary');
		expect(primary.spec.rules[0].http.paths[0].backend.service).toEqual({
			name: 'podinfo',
			port: {number: 80},
		});
		expect(canaryIngress.spec.rules[0].http.paths[0].backend.service).toEqual({
			name: 'podinfo-canary',
			port: {number: 80},
		});
		expect(canaryIngress.spec.rules[0].host).toBe(primary.spec.rules[0].host);
		expect(canaryIngress.metadata.annotations['nginx.ingress.kubernetes.io/canary']).toBe('true');
		expect(canaryIngress.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight']).toBe(
			String(canary.status.canaryWeight),
		);
		expect(canaryIngress.metadata.ownerReferences[0]).toMatchObject({
			kind: 'Canary',
			uid: canary.metadata.uid,
			controller: true,
		});
	});

	it('has the flagger-loadtester Deployment and Service (80 -> 8080)', () => {
		const loadtester = find(seed, 'Deployment', 'test', 'flagger-loadtester');
		expect(loadtester.spec.template.spec.containers[0].image).toBe(
			'ghcr.io/fluxcd/flagger-loadtester:0.29.0',
		);
		const service = find(seed, 'Service', 'test', 'flagger-loadtester');
		expect(service.spec.selector).toEqual({app: 'flagger-loadtester'});
		expect(service.spec.ports[0]).toMatchObject({port: 80, targetPort: 8080});
	});
});

describe('seed: Argo Rollout paused at its first pause step (namespace argo)', () => {
	const rollout = find(seed, 'Rollout', 'argo', 'rollouts-demo');
	const replicaSets = ofKind(seed, 'ReplicaSet', 'argo');
	const byRevision = (revision: string) =>
		replicaSets.find((rs) => rs.metadata.annotations['rollout.argoproj.io/revision'] === revision);
	const stable = byRevision('1');
	const canary = byRevision('2');

	it('is an argoproj.io/v1alpha1 canary with the fixture steps and its two Services', () => {
		expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
		const strategy = rollout.spec.strategy.canary;
		expect(strategy.steps.slice(0, 4)).toEqual([
			{setWeight: 20},
			{pause: {}},
			{setWeight: 40},
			{pause: {duration: '10s'}},
		]);
		expect(strategy.canaryService).toBe('rollouts-demo-canary');
		expect(strategy.stableService).toBe('rollouts-demo-stable');
		expect(rollout.spec.template.spec.containers[0].image).toBe('argoproj/rollouts-demo:yellow');
	});

	it('has a Paused status at step 1 with a CanaryPauseStep pause condition and weights 20/80', () => {
		const {status} = rollout;
		expect(status).toMatchObject({
			phase: 'Paused',
			message: 'CanaryPauseStep',
			currentStepIndex: 1,
			controllerPause: true,
		});
		expect(status.pauseConditions).toEqual([
			{reason: 'CanaryPauseStep', startTime: expect.any(String)},
		]);
		// The store creates every object at generation 1; the status must be current for it.
		expect(status.observedGeneration).toBe(String(rollout.metadata.generation ?? 1));
		expect(status.stableRS).toBe(stable.metadata.labels['rollouts-pod-template-hash']);
		expect(status.currentPodHash).toBe(canary.metadata.labels['rollouts-pod-template-hash']);
		expect(status.stableRS).not.toBe(status.currentPodHash);
		expect(status.canary.weights).toEqual({
			canary: {
				weight: 20,
				serviceName: 'rollouts-demo-canary',
				podTemplateHash: status.currentPodHash,
			},
			stable: {weight: 80, serviceName: 'rollouts-demo-stable', podTemplateHash: status.stableRS},
		});
		expect(status).toMatchObject({
			replicas: 4,
			updatedReplicas: 1,
			readyReplicas: 4,
			availableReplicas: 4,
		});
		expect(status.conditions.map((c: Any) => c.type)).toEqual(
			expect.arrayContaining(['Available', 'Progressing']),
		);
	});

	it('has a ReplicaSet per revision, owned by the Rollout, with Running and Ready Pods owned by them', () => {
		expect(replicaSets).toHaveLength(2);
		for (const [rs, image, replicas] of [
			[stable, 'argoproj/rollouts-demo:blue', 3],
			[canary, 'argoproj/rollouts-demo:yellow', 1],
		] as const) {
			expect(rs.metadata.ownerReferences[0]).toMatchObject({
				kind: 'Rollout',
				name: 'rollouts-demo',
				uid: rollout.metadata.uid,
				controller: true,
			});
			expect(rs.spec.template.spec.containers[0].image).toBe(image);
			expect(rs.status.replicas).toBe(replicas);
			const hash = rs.metadata.labels['rollouts-pod-template-hash'];
			const pods = ofKind(seed, 'Pod', 'argo').filter(
				(pod) => pod.metadata.ownerReferences[0].uid === rs.metadata.uid,
			);
			expect(pods).toHaveLength(replicas);
			for (const pod of pods) {
				expect(pod.metadata.labels['rollouts-pod-template-hash']).toBe(hash);
				expect(pod.spec.containers[0].image).toBe(image);
				expect(pod.status.phase).toBe('Running');
				expect(pod.status.conditions).toEqual(
					expect.arrayContaining([expect.objectContaining({type: 'Ready', status: 'True'})]),
				);
			}
		}
	});

	it('has stable and canary Services selecting by rollouts-pod-template-hash', () => {
		expect(find(seed, 'Service', 'argo', 'rollouts-demo-stable').spec.selector).toEqual({
			app: 'rollouts-demo',
			'rollouts-pod-template-hash': rollout.status.stableRS,
		});
		expect(find(seed, 'Service', 'argo', 'rollouts-demo-canary').spec.selector).toEqual({
			app: 'rollouts-demo',
			'rollouts-pod-template-hash': rollout.status.currentPodHash,
		});
	});
});

describe('bad-canary', () => {
	const bad = loadScenario('bad-canary');

	it('is the seed world with the shop canary and myapp green misbehaving', () => {
		expect(bad.objects).toEqual(seed.objects);
		expect(bad.settings).toEqual(seed.settings);
		expect(behaviourFor(bad, 'shop:2.4.0')).toEqual({
			healthy: true,
			errorRatio: 0.04,
			p99Ms: 900,
			rps: 20,
		});
		expect(behaviourFor(bad, 'myapp:1.1.0')).toMatchObject({errorRatio: 0.04, p99Ms: 900});
		expect(behaviourFor(bad, 'shop:2.3.0')).toMatchObject({errorRatio: 0.002, p99Ms: 120});
		expect(behaviourFor(bad, 'myapp:1.0.0')).toMatchObject({errorRatio: 0.002, p99Ms: 120});
	});
});

describe('behaviourFor', () => {
	const scenario = parseScenario(
		[
			'behaviours:',
			'  "*": {errorRatio: 0.01}',
			'  "myapp:2.0.0-broken": {healthy: false}',
			'  shop: {p99Ms: 300}',
		].join('\n'),
		join(tmp, 'behaviours.yaml'),
	);

	it('fills each entry from "*", and "*" from the defaults', () => {
		expect(scenario.behaviours['*']).toEqual({
			healthy: true,
			errorRatio: 0.01,
			p99Ms: 120,
			rps: 20,
		});
		expect(behaviourFor(scenario, 'myapp:2.0.0-broken')).toEqual({
			healthy: false,
			errorRatio: 0.01,
			p99Ms: 120,
			rps: 20,
		});
	});

	it('falls back to the repository without its tag, then to "*"', () => {
		expect(behaviourFor(scenario, 'shop:9.9.9').p99Ms).toBe(300);
		expect(behaviourFor(scenario, 'shop@sha256:abc').p99Ms).toBe(300);
		expect(behaviourFor(scenario, 'unknown:1.0')).toEqual(scenario.behaviours['*']);
		expect(behaviourFor(seed, 'myapp:1.0.0')).toEqual({
			healthy: true,
			errorRatio: 0.002,
			p99Ms: 120,
			rps: 20,
		});
	});
});

describe('user scenario files', () => {
	const ingress = (name: string, weight: string) =>
		[
			'  - apiVersion: networking.k8s.io/v1',
			'    kind: Ingress',
			'    metadata:',
			`      name: ${name}`,
			'      creationTimestamp: "2024-01-02T03:04:05Z"',
			'      annotations:',
			'        nginx.ingress.kubernetes.io/canary: "true"',
			`        nginx.ingress.kubernetes.io/canary-weight: "${weight}"`,
			'    spec: {rules: [{host: a.example.com}]}',
		].join('\n');

	it('loads from a path, puts objects without a namespace in default and keeps a given creationTimestamp', () => {
		const file = writeScenario(
			'mine.yaml',
			`objects:\n${ingress('broken-weight', 'abc')}\n${ingress('too-heavy', '150')}\n`,
		);
		const scenario = loadScenario(file);
		expect(scenario.name).toBe('mine');
		expect(scenario.source).toBe(file);
		expect(scenario.settings).toEqual({rolloutSeconds: 4, podStartSeconds: 1});
		// Real clusters hold such annotations: the console must show them, so the scenario must allow them.
		const weights = scenario.objects.map(
			(o: Any) => o.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight'],
		);
		expect(weights).toEqual(['abc', '150']);
		for (const object of scenario.objects as Any[]) {
			expect(object.metadata.namespace).toBe('default');
			expect(object.metadata.creationTimestamp).toBe('2024-01-02T03:04:05Z');
			expect(object.metadata.uid).toBeUndefined();
		}
	});

	it('extends a built-in: base objects kept, same-named objects replaced, behaviours and settings overridden', () => {
		const file = writeScenario(
			'extends-seed.yaml',
			[
				'name: green-live',
				'extends: seed',
				'settings: {rolloutSeconds: 10}',
				'behaviours:',
				'  "myapp:1.1.0": {healthy: false}',
				'objects:',
				'  - apiVersion: v1',
				'    kind: Service',
				'    metadata: {name: myapp}',
				'    spec: {selector: {app: myapp, version: green}, ports: [{port: 80, targetPort: 8080}]}',
			].join('\n'),
		);
		const scenario = loadScenario(file);
		expect(scenario.name).toBe('green-live');
		expect(scenario.objects).toHaveLength(seed.objects.length);
		expect(find(scenario, 'Service', 'default', 'myapp').spec.selector.version).toBe('green');
		expect(scenario.settings).toEqual({rolloutSeconds: 10, podStartSeconds: 1});
		expect(behaviourFor(scenario, 'myapp:1.1.0').healthy).toBe(false);
		expect(behaviourFor(scenario, 'myapp:1.0.0').healthy).toBe(true);
	});

	it('extends another file by a path relative to the extending file', () => {
		writeScenario(
			'base.yaml',
			'objects:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: team}}\n',
		);
		const file = writeScenario(
			'child.yaml',
			'extends: ./base.yaml\nobjects:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: team}}\n',
		);
		expect(loadScenario(file).objects.map((o: Any) => o.metadata.name)).toEqual(['team', 'c']);
	});
});

describe('mistakes in a scenario file', () => {
	it('reports a YAML syntax error with its line', () => {
		const file = writeScenario(
			'syntax.yaml',
			'name: x\nobjects:\n  - apiVersion: v1\n    kind: [Namespace\n',
		);
		const message = errorOf(() => loadScenario(file));
		expect(message).toContain(`scenario file ${file}: YAML syntax error`);
		expect(message).toMatch(/line \d+/);
	});

	it('reports an unknown scenario name with the built-in names', () => {
		const message = errorOf(() => loadScenario('no-such-scenario'));
		expect(message).toContain('unknown scenario "no-such-scenario"');
		expect(message).toContain('seed');
		expect(message).toContain('bad-canary');
	});

	it('reports a missing file', () => {
		const file = join(tmp, 'missing.yaml');
		expect(errorOf(() => loadScenario(file))).toBe(
			`scenario file ${file}: cannot read it: no such file`,
		);
	});

	it('reports an object without apiVersion, kind or metadata.name by its index', () => {
		const file = writeScenario(
			'incomplete.yaml',
			[
				'objects:',
				'  - {apiVersion: v1, kind: Namespace, metadata: {name: a}}',
				'  - {kind: Service, metadata: {name: b}}',
				'  - {apiVersion: v1, metadata: {name: c}}',
				'  - {apiVersion: v1, kind: Service, metadata: {namespace: a}}',
			].join('\n'),
		);
		const message = errorOf(() => loadScenario(file));
		expect(message).toContain(
			`scenario file ${file}: objects[1] (Service b): apiVersion is missing`,
		);
		expect(message).toContain(`scenario file ${file}: objects[2] (c): kind is missing`);
		expect(message).toContain(
			`scenario file ${file}: objects[3] (Service): metadata.name is missing`,
		);
	});

	it('reports a namespace that no Namespace object declares', () => {
		const file = writeScenario(
			'namespace.yaml',
			'objects:\n  - {apiVersion: v1, kind: Service, metadata: {name: s, namespace: shop}}\n',
		);
		const message = errorOf(() => loadScenario(file));
		expect(message).toContain(
			`scenario file ${file}: objects[0] (Service shop/s): namespace "shop" is not declared`,
		);
	});

	it('reports negative settings', () => {
		const file = writeScenario(
			'settings.yaml',
			'settings: {rolloutSeconds: 0, podStartSeconds: -1}\n',
		);
		const message = errorOf(() => loadScenario(file));
		expect(message).toContain(
			`scenario file ${file}: settings: rolloutSeconds must be greater than 0 (got 0)`,
		);
		expect(message).toContain(
			`scenario file ${file}: settings: podStartSeconds must be >= 0 (got -1)`,
		);
	});

	it('reports an errorRatio outside 0..1', () => {
		const file = writeScenario('ratio.yaml', 'behaviours:\n  "myapp:1.1.0": {errorRatio: 4}\n');
		expect(errorOf(() => loadScenario(file))).toContain(
			`scenario file ${file}: behaviours["myapp:1.1.0"]: errorRatio must be a fraction between 0 and 1`,
		);
	});

	it('reports unknown keys with the allowed ones', () => {
		const file = writeScenario(
			'keys.yaml',
			'name: x\nobject: []\nbehaviours:\n  "*": {errorRate: 0.1}\n',
		);
		const message = errorOf(() => loadScenario(file));
		expect(message).toContain(
			`scenario file ${file}: unknown key "object" (allowed: name, description, extends`,
		);
		expect(message).toContain(
			`scenario file ${file}: behaviours["*"]: unknown key "errorRate" (allowed: healthy, errorRatio`,
		);
	});

	it('reports an extends cycle', () => {
		writeScenario('cycle-a.yaml', 'extends: ./cycle-b.yaml\n');
		const b = writeScenario('cycle-b.yaml', 'extends: ./cycle-a.yaml\n');
		const message = errorOf(() => loadScenario(join(tmp, 'cycle-a.yaml')));
		expect(message).toBe(
			`scenario file ${b}: extends: "./cycle-a.yaml" makes a cycle: cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml`,
		);
	});

	it('reports an unquoted number where Kubernetes wants a string', () => {
		const file = writeScenario(
			'number.yaml',
			'objects:\n  - apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    metadata:\n      name: i\n      annotations: {nginx.ingress.kubernetes.io/canary-weight: 10}\n',
		);
		expect(errorOf(() => loadScenario(file))).toContain(
			`objects[0] (Ingress i): metadata.annotations["nginx.ingress.kubernetes.io/canary-weight"] must be a string (quote it in YAML) (got 10)`,
		);
	});

	it('reports a kind the simulator does not serve, and an old apiVersion', () => {
		const file = writeScenario(
			'kind.yaml',
			'objects:\n  - {apiVersion: extensions/v1beta1, kind: Ingress, metadata: {name: i}}\n',
		);
		expect(errorOf(() => loadScenario(file))).toContain(
			'apiVersion extensions/v1beta1 is not served for Ingress; use networking.k8s.io/v1',
		);
		const other = writeScenario(
			'kind2.yaml',
			'objects:\n  - {apiVersion: v1, kind: Secret, metadata: {name: s}}\n',
		);
		expect(errorOf(() => loadScenario(other))).toContain(
			'objects[0] (Secret s): kind Secret is not served by the simulator',
		);
	});

	it('reports an ownerReference whose uid is no object in the scenario', () => {
		const file = writeScenario(
			'owner.yaml',
			'objects:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c\n      ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: d, uid: 1234}]\n',
		);
		// An unquoted 1234 is a number: that is reported first.
		expect(errorOf(() => loadScenario(file))).toContain(
			'metadata.ownerReferences[0].uid must be a string',
		);
		writeFileSync(file, readFileSync(file, 'utf8').replace('uid: 1234', 'uid: "1234"'));
		expect(errorOf(() => loadScenario(file))).toContain(
			'objects[0] (ConfigMap default/c): metadata.ownerReferences[0]: uid 1234 is the metadata.uid of no object in the scenario',
		);
	});

	it('reports the same object declared twice', () => {
		const file = writeScenario(
			'twice.yaml',
			'objects:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default}}\n',
		);
		expect(errorOf(() => loadScenario(file))).toContain(
			'objects[1] (ConfigMap default/c): declared twice (also objects[0])',
		);
	});
});
