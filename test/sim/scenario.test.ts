import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {
	behaviourFor,
	builtinScenarioNames,
	loadScenario,
	parseScenario,
} from '../../source/sim/scenario.js';
import {type Any, find, ofKind, seed, tmp, writeScenario} from './scenario-helpers.js';

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
		let references = 0;
		for (const name of builtinScenarioNames()) {
			const scenario = loadScenario(name);
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
		}
		expect(references, 'no scenario has an ownerReference to check').toBeGreaterThan(0);
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
		expect(scenario.settings).toEqual({
			rolloutSeconds: 4,
			podStartSeconds: 1,
			flaggerIntervalSeconds: 5,
		});
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
		expect(scenario.settings).toEqual({
			rolloutSeconds: 10,
			podStartSeconds: 1,
			flaggerIntervalSeconds: 5,
		});
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
