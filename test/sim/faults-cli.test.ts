/**
 * `cutover sim --faults SPEC` as a person runs it: the package's bin in its own process, judged
 * by the real kubectl; and a bad spec refused with exit 2 before anything listens.
 */
import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {findKubectl, requireBinary} from '../helpers/binaries.js';
import {until} from '../helpers/sim-cluster.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'cutover.js');
const tmp = mkdtempSync(join(tmpdir(), 'cutover-sim-faults-'));
const children = new Set<ChildProcess>();
afterAll(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	rmSync(tmp, {recursive: true, force: true});
});

type Run = {
	child: ChildProcess;
	out(): {stdout: string; stderr: string};
	exited: Promise<number | null>;
};

function sim(args: string[]): Run {
	const child = spawn(process.execPath, [bin, 'sim', ...args], {
		cwd: root,
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>((resolve) =>
		child.on('exit', (code) => setImmediate(() => resolve(code))),
	);
	return {child, out: () => ({stdout, stderr}), exited};
}

const kubectl = findKubectl();

describe('cutover sim --faults', {timeout: 90_000}, () => {
	it('refuses a bad spec with exit 2 and one message naming the rule, before it listens', async () => {
		const run = sim(['--port', '0', '--faults', 'error 700']);
		const timer = setTimeout(() => run.child.kill('SIGKILL'), 60_000);
		const code = await run.exited;
		clearTimeout(timer);
		expect(code).toBe(2);
		expect(run.out().stderr).toBe(
			'cutover: --faults: "error 700": 700 is not an HTTP error status; give 400-599\n',
		);
		expect(run.out().stdout).not.toContain('listening');
	});

	describe.skipIf(
		requireBinary('kubectl', kubectl, 'install kubectl (https://kubernetes.io/docs/tasks/tools/)'),
	)('with kubectl', () => {
		it("answers the real kubectl's get ns with the injected 503, other requests as usual", async () => {
			const kubeconfig = join(tmp, 'kubeconfig');
			const spec = 'error 503 100% GET /api/v1/namespaces';
			const run = sim(['--port', '0', '--write-kubeconfig', kubeconfig, '--faults', spec]);
			await until(
				'the sim to say its faults',
				() => run.out().stdout.includes('sim: faults:'),
				60_000,
			);
			expect(run.out().stdout).toContain(`sim: faults: ${spec}\n`);
			const kubectlRun = (args: string[]) =>
				new Promise<{code: number; stdout: string; stderr: string}>((resolve) =>
					execFile(
						kubectl!,
						[...args, '--kubeconfig', kubeconfig],
						{timeout: 20_000, env: {...process.env, HOME: tmp}},
						(error, stdout, stderr) =>
							resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr}),
					),
				);
			const namespaces = await kubectlRun(['get', 'ns']);
			expect(namespaces.code).toBe(1);
			expect(namespaces.stderr).toContain(
				'Error from server (ServiceUnavailable): injected fault: ServiceUnavailable',
			);
			const deployments = await kubectlRun(['get', 'deploy', '-A', '-o', 'name']);
			expect(deployments).toMatchObject({code: 0, stderr: ''});
			expect(deployments.stdout).toContain('deployment.apps/app-green');
			run.child.kill('SIGINT');
			expect(await run.exited).toBe(0);
		});
	});
});
