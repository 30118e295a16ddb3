/**
 * The sim's paged lists and its restart as the real kubectl (1.33 and 1.27) meets them:
 * `get --chunk-size` follows the continue tokens to the end, and a restarting sim refuses
 * connections a while, as a restarting API server does, then answers from its new history.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {findKubectl, kubectlVersions, requireBinary, runBinary} from '../helpers/binaries.js';
import {typeOf} from '../helpers/sim-cluster.js';

const kubectl = findKubectl();
const skip = requireBinary(
	'kubectl',
	kubectl,
	'install kubectl 1.27 or newer, or the machine image that ships kubectl.1.27 ... kubectl.1.33',
);
const binaries = [
	...(kubectl ? [{version: 'on PATH (1.33)', path: kubectl}] : []),
	...kubectlVersions([27]),
];

const tmp = mkdtempSync(join(tmpdir(), 'cutover-history-'));
const kubeconfig = join(tmp, 'kubeconfig');
const requests: string[] = [];
let sim: Sim;

beforeAll(async () => {
	sim = await startSim({port: 0, restartDownMs: 1500, log: (line) => requests.push(line)});
	writeFileSync(kubeconfig, sim.kubeconfig, {mode: 0o600});
});
afterAll(async () => {
	await sim?.stop();
	rmSync(tmp, {recursive: true, force: true});
});

type Result = {code: number; stdout: string; stderr: string};

function run(binary: string, args: string[]): Promise<Result> {
	return runBinary(binary, args, {kubeconfig, home: tmp});
}

describe.skipIf(skip)('kubectl against the sim', () => {
	for (const {version, path} of binaries) {
		it(`kubectl ${version} get pods -A --chunk-size=2 lists every pod, page by page`, async () => {
			requests.length = 0;
			const result = await run(path, ['get', 'pods', '-A', '--chunk-size=2', '--no-headers']);
			expect(result.stderr).toBe('');
			const listed = result.stdout
				.trim()
				.split('\n')
				.map((line) => line.split(/\s+/).slice(0, 2).join('/'))
				.sort();
			const pods = sim.store
				.peek(typeOf('pods'))
				.map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`)
				.sort();
			expect(pods.length).toBeGreaterThan(4);
			expect(listed).toEqual(pods);
			// It asked for pages of two and followed each token: one request a page.
			const pages = requests.filter(
				(line) => line.startsWith('GET /api/v1/pods?') && /[?&]limit=2\b/.test(line),
			);
			expect(pages).toHaveLength(Math.ceil(pods.length / 2));
			expect(pages.slice(1).every((line) => line.includes('continue='))).toBe(true);
		});
	}

	it('kubectl get svc --watch shows the Services and, when the sim restarts, ends as on a real API server (exit 0)', async () => {
		const watching = run(kubectl!, ['get', 'svc', '--watch']);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const started = Date.now();
		await sim.restart();
		const result = await watching;
		// Cut with the restart's connections, not left hanging until its 20 s timeout.
		expect(Date.now() - started).toBeLessThan(5000);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^myapp\s+ClusterIP/m);
		expect(result.stderr).toBe('');
	});

	it('a restarting sim refuses kubectl a while, as a restarting API server does, then lists its new world', async () => {
		await run(kubectl!, ['create', 'configmap', 'before-restart']);
		const restarted = sim.restart();
		const during = await run(kubectl!, ['get', 'svc']);
		expect(during.code).toBe(1);
		expect(during.stderr).toContain(
			`The connection to the server 127.0.0.1:${sim.port} was refused - did you specify the right host or port?`,
		);
		await restarted;
		const after = await run(kubectl!, ['get', 'svc', 'myapp', '--no-headers']);
		expect(after.code).toBe(0);
		expect(after.stdout).toMatch(/^myapp\s+ClusterIP/);
		const gone = await run(kubectl!, ['get', 'configmap', 'before-restart']);
		expect(gone.stderr).toContain('configmaps "before-restart" not found');
	});
});
