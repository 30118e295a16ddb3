import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {resourceTypes} from '../../source/sim/resources.js';
import {findKubectl, kubectlVersions, requireBinary, runBinary} from '../helpers/binaries.js';

const kubectl = findKubectl();
const skip = requireBinary(
	'kubectl',
	kubectl,
	'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/), or the machine image that ships kubectl.1.27 ... kubectl.1.33',
);
// 1.33 validates with the v3 documents' paths and the v2 schemas in protobuf and explains from
// v3; 1.27 asks the same documents in its own way. Each one found is tested.
const versions = kubectlVersions([27, 33]);
if (versions.length === 0 && kubectl) versions.push({version: 'on PATH', path: kubectl});

const tmp = mkdtempSync(join(tmpdir(), 'cutover-openapi-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

type Result = {code: number; stdout: string; stderr: string};
type Gvk = {group: string; version: string; kind: string};

let sim: Sim;
let kubeconfig: string;

function k(binary: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
	return runBinary(binary, args, {kubeconfig, home: tmp, env});
}

function file(name: string, text: string): string {
	const path = join(tmp, name);
	writeFileSync(path, text, {mode: 0o755});
	return path;
}

// The seed's manifests (shared/seed/deployment-strategies.txt), as users apply them.
const seedManifests = (namespace: string, image: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-blue
  labels:
    app: myapp
    version: blue
spec:
  replicas: 3
  selector:
    matchLabels:
      app: myapp
      version: blue
  template:
    metadata:
      labels:
        app: myapp
        version: blue
    spec:
      containers:
      - name: app
        image: ${image}
        ports:
        - containerPort: 8080
---
# service.yaml - switch by changing selector
apiVersion: v1
kind: Service
metadata:
  name: myapp
spec:
  selector:
    app: myapp
    version: blue  # Change to 'green' to switch
  ports:
  - port: 80
    targetPort: 8080
---
# Using nginx ingress annotations for traffic splitting
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: myapp-canary
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-weight: "10"  # 10% to canary
spec:
  rules:
  - host: myapp.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: myapp-canary
            port:
              number: 80
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: myapp
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: myapp
  service:
    port: 80
    targetPort: 8080
  analysis:
    interval: 1m
    threshold: 5
`;

const withUnknownField = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: typo
spec:
  replicas: 1
  foo: bar
  selector:
    matchLabels: {app: typo}
  template:
    metadata:
      labels: {app: typo}
    spec:
      containers:
      - name: app
        image: myapp:1.0.0
`;

const deployments = resourceTypes.find((t) => t.plural === 'deployments')!;

describe.skipIf(skip)('OpenAPI served to kubectl', () => {
	beforeAll(async () => {
		sim = await startSim({port: 0, rolloutSeconds: 1, podStartSeconds: 0.2});
		kubeconfig = file('kubeconfig', sim.kubeconfig);
	});
	afterAll(async () => {
		await sim?.stop();
	});

	describe.each(versions)('kubectl $version', ({version, path}) => {
		const namespace = `drill-${version.replace(/\W/g, '')}`;

		it('applies the seed Deployment, Service, Ingress and Canary with validation on', async () => {
			const manifests = file(`seed-${namespace}.yaml`, seedManifests(namespace, 'myapp:1.0.0'));
			const created = await k(path, [
				'apply',
				'--validate=strict',
				'-n',
				namespace,
				'-f',
				manifests,
			]);
			expect(created.stderr).toBe('');
			expect(created.stdout.trim().split('\n')).toEqual([
				`namespace/${namespace} created`,
				'deployment.apps/app-blue created',
				'service/myapp created',
				'ingress.networking.k8s.io/myapp-canary created',
				'canary.flagger.app/myapp created',
			]);
			// Applied again with a new image: a strategic merge patch kubectl works out from the schemas.
			const changed = file(`seed-${namespace}-2.yaml`, seedManifests(namespace, 'myapp:1.1.0'));
			const configured = await k(path, ['apply', '-n', namespace, '-f', changed]);
			expect(configured.stdout).toContain('deployment.apps/app-blue configured');
			expect(configured.stdout).toContain('service/myapp unchanged');
			const blue = sim.store.find(deployments, namespace, 'app-blue');
			expect(blue?.spec.template.spec.containers[0].image).toBe('myapp:1.1.0');
		});

		it('refuses a manifest with an unknown field before sending it, naming the field', async () => {
			const manifest = file(`typo-${namespace}.yaml`, withUnknownField);
			const result = await k(path, ['apply', '-n', 'default', '-f', manifest]);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				'ValidationError(Deployment.spec): unknown field "foo" in io.k8s.api.apps.v1.DeploymentSpec',
			);
			expect(sim.store.find(deployments, 'default', 'typo')).toBeUndefined();
		});

		it('refuses an unknown field deep in the pod template, which the server alone would miss', async () => {
			const typo = withUnknownField.replace(
				'image: myapp:1.0.0',
				'image: myapp:1.0.0\n        imagee: x',
			);
			const result = await k(path, [
				'apply',
				'-n',
				'default',
				'-f',
				file(`deep-${namespace}.yaml`, typo),
			]);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				'ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "imagee" in io.k8s.api.core.v1.Container',
			);
		});

		it('explains deployment.spec.strategy with the real descriptions', async () => {
			const result = await k(path, ['explain', 'deployment.spec.strategy']);
			expect(result.stderr).toBe('');
			expect(result.stdout).toContain('FIELD: strategy <DeploymentStrategy>');
			expect(result.stdout).toContain(
				'DeploymentStrategy describes how to replace existing pods with new ones.',
			);
			expect(result.stdout).toContain(
				'- `"Recreate"` Kill all existing pods before creating new ones.',
			);
		});

		it('edits a Deployment through $EDITOR', async () => {
			const editor = file(
				`editor-${namespace}.sh`,
				'#!/bin/sh\nsed -i "s/^  replicas: 3$/  replicas: 4/" "$1"\n',
			);
			const result = await k(path, ['edit', '-n', namespace, 'deployment/app-blue'], {
				EDITOR: editor,
				KUBE_EDITOR: editor,
			});
			expect(result.stderr).toBe('');
			expect(result.stdout).toContain('deployment.apps/app-blue edited');
			expect(sim.store.find(deployments, namespace, 'app-blue')?.spec.replicas).toBe(4);
		});
	});

	it('explains from the v2 document too (protobuf, as client-go asks for it)', async () => {
		const result = await k(kubectl!, [
			'explain',
			'--output=plaintext-openapiv2',
			'ingress.spec.rules.http.paths.pathType',
		]);
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('FIELD:    pathType <string>');
		expect(result.stdout).toContain('pathType determines the interpretation of the path matching.');
	});

	it('explains a custom resource as an object whose spec takes any fields', async () => {
		const result = await k(kubectl!, ['explain', 'rollouts.spec']);
		expect(result.stdout).toContain('GROUP:      argoproj.io');
		expect(result.stdout).toContain('The desired state of the Rollout.');
	});

	it('indexes v3 by group-version with hashes, and sends an old hash to the current one', async () => {
		const index = (await (await fetch(`${sim.url}/openapi/v3`)).json()) as {
			paths: Record<string, {serverRelativeURL: string}>;
		};
		expect(Object.keys(index.paths).sort()).toEqual([
			'api/v1',
			'apis/apps/v1',
			'apis/argoproj.io/v1alpha1',
			'apis/authorization.k8s.io/v1',
			'apis/discovery.k8s.io/v1',
			'apis/flagger.app/v1beta1',
			'apis/networking.k8s.io/v1',
		]);
		const apps = index.paths['apis/apps/v1']!.serverRelativeURL;
		expect(apps).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
		const current = await fetch(`${sim.url}${apps}`);
		expect(current.headers.get('cache-control')).toBe('public, immutable');
		const doc = (await current.json()) as {components: {schemas: Record<string, object>}};
		expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']).toMatchObject({
			'x-kubernetes-group-version-kind': [{group: 'apps', version: 'v1', kind: 'Deployment'}],
		});
		const stale = await fetch(`${sim.url}/openapi/v3/apis/apps/v1?hash=0`, {redirect: 'manual'});
		expect(stale.status).toBe(301);
		expect(stale.headers.get('location')).toBe(apps);
	});

	it('has a real schema for every built-in kind the sim serves, by its group, version and kind', async () => {
		const index = (await (await fetch(`${sim.url}/openapi/v3`)).json()) as {
			paths: Record<string, {serverRelativeURL: string}>;
		};
		for (const type of resourceTypes.filter((t) => !t.custom)) {
			const key = type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`;
			const doc = (await (
				await fetch(`${sim.url}${index.paths[key]!.serverRelativeURL}`)
			).json()) as {
				components: {schemas: Record<string, {'x-kubernetes-group-version-kind'?: Gvk[]}>};
			};
			const names = Object.keys(doc.components.schemas).filter((name) =>
				doc.components.schemas[name]!['x-kubernetes-group-version-kind']?.some(
					(gvk) =>
						gvk.group === type.group && gvk.version === type.version && gvk.kind === type.kind,
				),
			);
			expect(names, type.kind).toEqual([expect.stringMatching(/^io\.k8s\.api\./)]);
		}
	});
});
