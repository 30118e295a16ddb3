import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {findKubectl, kubectlVersions, requireBinary} from '../helpers/binaries.js';

const kubectl = findKubectl();
const skip = requireBinary(
	'kubectl',
	kubectl,
	'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/), or the machine image that ships kubectl.1.27 ... kubectl.1.33',
);
// 1.33 explains from the v3 documents (1.27 needs the v2 one in protobuf as well).
const versions = kubectlVersions([33]);
if (versions.length === 0 && kubectl) versions.push({version: 'on PATH', path: kubectl});

const tmp = mkdtempSync(join(tmpdir(), 'cutover-openapi-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

type Result = {code: number; stdout: string; stderr: string};

let sim: Sim;
let kubeconfig: string;

function k(binary: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
	return new Promise((resolve) => {
		execFile(
			binary,
			args,
			// kubectl caches discovery and OpenAPI under $HOME/.kube: keep them out of the real home.
			{timeout: 20_000, env: {...process.env, KUBECONFIG: kubeconfig, HOME: tmp, ...env}},
			(error, stdout, stderr) => {
				const code =
					error === null ? 0 : typeof error.code === 'number' ? error.code : error.killed ? 124 : 1;
				resolve({code, stdout, stderr});
			},
		);
	});
}

function file(name: string, text: string): string {
	const path = join(tmp, name);
	writeFileSync(path, text, {mode: 0o755});
	return path;
}

describe.skipIf(skip)('OpenAPI served to kubectl', () => {
	beforeAll(async () => {
		sim = await startSim({port: 0, rolloutSeconds: 1, podStartSeconds: 0.2});
		kubeconfig = file('kubeconfig', sim.kubeconfig);
	});
	afterAll(async () => {
		await sim?.stop();
	});

	describe.each(versions)('kubectl $version', ({path}) => {
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
});
