import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {builtinScenarioNames} from '../../source/sim/scenario.js';
import {findKubectl} from '../helpers/binaries.js';

// `cutover sim` as a person runs it: the package's bin, in its own process.
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'cutover.js');
const tmp = mkdtempSync(join(tmpdir(), 'cutover-sim-command-'));
const children = new Set<ChildProcess>();
afterAll(() => {
	// A test that failed half-way must not leave a sim running.
	for (const child of children) {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	}
	rmSync(tmp, {recursive: true, force: true});
});

type Exit = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** Starts `cutover sim ARGS`; `waitFor` resolves once stdout matches, `exited` when it ends. */
function sim(args: string[]) {
	const child = spawn(process.execPath, [bin, 'sim', ...args], {
		cwd: root,
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<Exit>((resolve) => {
		child.on('exit', (code, signal) => {
			// Let the pipes drain before reporting what was printed.
			setImmediate(() => resolve({code, signal, stdout, stderr}));
		});
	});
	const waitFor = async (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> => {
		const started = Date.now();
		for (;;) {
			const match = stdout.match(pattern);
			if (match) return match;
			if (child.exitCode !== null || Date.now() - started > timeoutMs) {
				child.kill('SIGKILL');
				throw new Error(
					`cutover sim never printed ${pattern} (exit ${child.exitCode}):\n${stdout}${stderr}`,
				);
			}
			await new Promise((done) => setTimeout(done, 50));
		}
	};
	children.add(child);
	return {child, waitFor, exited, output: () => ({stdout, stderr})};
}

/** Runs `cutover sim ARGS` expecting it to stop by itself (bad input), with a timeout. */
async function simFails(args: string[]): Promise<Exit> {
	const run = sim(args);
	const timer = setTimeout(() => run.child.kill('SIGKILL'), 60_000);
	const exit = await run.exited;
	clearTimeout(timer);
	return exit;
}

const listening = /^sim: listening on (http:\/\/127\.0\.0\.1:(\d+))\n/m;

// Each test starts its own process (node + tsx: about a second, far more on a loaded machine).
describe.concurrent('cutover sim', {timeout: 90_000}, () => {
	it('--port 0 listens on a free port, serves the API, and stops on SIGINT with exit 0', async () => {
		const run = sim(['--port', '0']);
		const [, url, port] = await run.waitFor(listening);
		expect(Number(port)).toBeGreaterThan(0);
		// The scenario line follows the listening one, maybe in a later chunk of the pipe.
		await run.waitFor(/^sim: scenario seed \(.*seed\.yaml\)\n/m);
		const version = (await (await fetch(`${url}/version`)).json()) as {major: string};
		expect(version.major).toBe('1');
		const list = (await (
			await fetch(`${url}/apis/apps/v1/namespaces/default/deployments`)
		).json()) as {
			items: Array<{metadata: {name: string}}>;
		};
		expect(list.items.map((d) => d.metadata.name).sort()).toEqual(['app-blue', 'app-green']);

		run.child.kill('SIGINT');
		const exit = await run.exited;
		expect(exit).toMatchObject({code: 0, signal: null});
		expect(exit.stdout).toMatch(/sim: stopped\n$/);
		await expect(fetch(`${url}/version`)).rejects.toThrow();
	});

	it('--write-kubeconfig writes a 0600 kubeconfig for context cutover-sim; SIGTERM stops it with exit 0', async () => {
		const file = join(tmp, 'sim.kubeconfig');
		const run = sim(['--port', '0', '--write-kubeconfig', file]);
		const [, url] = await run
			.waitFor(/^sim: kubeconfig written to .*\n/m)
			.then(() => run.waitFor(listening));
		expect(run.output().stdout).toContain(
			`sim: kubeconfig written to ${file} (context cutover-sim); try: KUBECONFIG=${file} kubectl get deploy -A`,
		);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const config = parse(readFileSync(file, 'utf8'));
		expect(config['current-context']).toBe('cutover-sim');
		expect(config.contexts).toEqual([
			{
				name: 'cutover-sim',
				context: {cluster: 'cutover-sim', namespace: 'default', user: 'cutover-sim'},
			},
		]);
		expect(config.clusters).toEqual([
			{name: 'cutover-sim', cluster: {server: url, 'insecure-skip-tls-verify': true}},
		]);

		// The file works as written, for a person's kubectl.
		const kubectl = findKubectl();
		if (kubectl) {
			const namespaces = await new Promise<string>((resolve, reject) =>
				execFile(
					kubectl,
					['get', 'ns', '-o', 'name'],
					{timeout: 20_000, env: {...process.env, KUBECONFIG: file, HOME: tmp}},
					(error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
				),
			);
			expect(namespaces.trim().split('\n')).toEqual([
				'namespace/argo',
				'namespace/default',
				'namespace/shop',
				'namespace/test',
			]);
		}

		run.child.kill('SIGTERM');
		const exit = await run.exited;
		expect(exit).toMatchObject({code: 0, signal: null});
		expect(exit.stdout).toMatch(/sim: stopped\n$/);
	});

	it('an unknown scenario exits 2 and names the built-in ones', async () => {
		const exit = await simFails(['--port', '0', '--scenario', 'nope']);
		expect(exit.code).toBe(2);
		expect(exit.stdout).not.toContain('listening');
		expect(exit.stderr).toContain('cutover: unknown scenario "nope"');
		const names = builtinScenarioNames();
		expect(names).toContain('seed');
		expect(exit.stderr).toContain(`the built-in scenarios are ${names.join(', ')}`);
	});

	it('an invalid scenario file exits 2, naming the file and the problem', async () => {
		const file = join(tmp, 'broken.yaml');
		writeFileSync(file, 'name: broken\nobjects:\n  - kind: Deployment\n    metadata: {name: x}\n');
		const exit = await simFails(['--port', '0', '--scenario', file]);
		expect(exit.code).toBe(2);
		expect(exit.stdout).not.toContain('listening');
		expect(exit.stderr).toContain(
			`cutover: scenario file ${file}: objects[0] (Deployment x): apiVersion is missing`,
		);
	});

	it('a scenario file that is not YAML exits 2, naming the file and the line', async () => {
		const file = join(tmp, 'not-yaml.yaml');
		writeFileSync(file, 'name: [broken\n');
		const exit = await simFails(['--port', '0', '--scenario', file]);
		expect(exit.code).toBe(2);
		expect(exit.stderr).toContain(`cutover: scenario file ${file}: YAML syntax error`);
		expect(exit.stderr).toMatch(/line \d+, column \d+/);
	});

	it('a missing scenario file exits 2, naming it', async () => {
		const file = join(tmp, 'missing.yaml');
		const exit = await simFails(['--port', '0', '--scenario', file]);
		expect(exit.code).toBe(2);
		expect(exit.stderr).toContain(`cutover: scenario file ${file}: cannot read it`);
	});

	it('a port in use exits 1 and says so', async () => {
		const blocker: Server = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const {port} = blocker.address() as {port: number};
		try {
			const exit = await simFails(['--port', String(port)]);
			expect(exit.code).toBe(1);
			expect(exit.stdout).not.toContain('listening');
			expect(exit.stderr).toContain(`cutover: port ${port} on 127.0.0.1 is in use`);
		} finally {
			await new Promise((resolve) => blocker.close(resolve));
		}
	});

	it.each([
		[['--port', 'abc'], '--port "abc" is not a port'],
		[['--port', '70000'], '--port 70000 is not a port'],
		[['--port', '80.5'], '--port "80.5" is not a port'],
	])('%j is a usage error: exit 2', async (args, message) => {
		const exit = await simFails(args);
		expect(exit.code).toBe(2);
		expect(exit.stdout).not.toContain('listening');
		expect(exit.stderr).toContain(`cutover: ${message}`);
		expect(exit.stderr).toContain('give 0..65535 (0 picks any free port)');
	});

	it('--port without its value is a usage error: exit 2', async () => {
		const exit = await simFails(['--port']);
		expect(exit.code).toBe(2);
		expect(exit.stdout).not.toContain('listening');
		expect(exit.stderr).toContain('cutover: --port needs a value; see cutover --help');
	});

	it('an extra argument is a usage error: exit 2', async () => {
		const exit = await simFails(['extra']);
		expect(exit.code).toBe(2);
		expect(exit.stderr).toContain('cutover: unexpected argument extra');
	});
});
