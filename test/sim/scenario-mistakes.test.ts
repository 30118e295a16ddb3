import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadScenario} from '../../source/sim/scenario.js';
import {errorOf, tmp, writeScenario} from './scenario-helpers.js';

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
