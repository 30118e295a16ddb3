/**
 * Bad input gets one clear line naming what is wrong and what to do, and the exit code says
 * which kind: kubeconfigs that are missing, empty, malformed or a directory; a context the
 * kubeconfig does not have; a flag without its value; a Prometheus that is not a URL; an API
 * server that refuses or rejects the credentials.
 */
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'cutover.js');
const dir = mkdtempSync(join(tmpdir(), 'cutover-bad-input-'));
const home = join(dir, 'home');
mkdirSync(home);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function file(name: string, text: string): string {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
}

function kubeconfig(server: string, plain = true): string {
	return [
		'apiVersion: v1',
		'kind: Config',
		`clusters: [{name: c, cluster: {server: "${server}"${plain ? ', insecure-skip-tls-verify: true' : ''}}}]`,
		'users: [{name: oncall, user: {token: not-a-real-token}}]',
		'contexts: [{name: prod, context: {cluster: c, user: oncall}}]',
		'current-context: prod',
	].join('\n');
}

type Run = {code: number; stderr: string; stdout: string};

function cutover(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			[bin, ...args],
			{
				timeout: 20_000,
				env: {...process.env, HOME: home, KUBECONFIG: undefined, NO_COLOR: '1', ...env},
			},
			(error, stdout, stderr) =>
				resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr}),
		);
	});
}

/** One line on stderr, no stack trace. */
function said(run: Run): string {
	expect(run.stderr).not.toMatch(/^\s+at /m);
	return run.stderr.trim();
}

let unauthorized: Server;
let rejecting: string;
beforeAll(async () => {
	unauthorized = createServer((_request, response) => {
		response.writeHead(401, {'content-type': 'application/json'});
		response.end(
			JSON.stringify({kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401}),
		);
	});
	await new Promise<void>((resolve) => unauthorized.listen(0, '127.0.0.1', resolve));
	rejecting = `http://127.0.0.1:${(unauthorized.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => unauthorized.close(() => resolve())));

describe('bad input', () => {
	it('no kubeconfig anywhere: the places looked at and how to point cutover at one', async () => {
		const run = await cutover(['status']);
		expect(run.code).toBe(2);
		expect(said(run)).toBe(
			`cutover: no kubeconfig: KUBECONFIG is not set, ${home}/.kube/config does not exist, and this is not a pod with a service account; pass --kubeconfig FILE, set KUBECONFIG, or try \`cutover demo\` for a simulated cluster`,
		);
		// Never a made-up context: client-node's stand-in is called "loaded-context".
		expect(run.stderr).not.toContain('loaded-context');
	});

	it.for([
		{name: 'missing', path: () => join(dir, 'nope'), says: 'does not exist: check --kubeconfig'},
		{name: 'empty', path: () => file('empty', '\n'), says: 'is empty: check --kubeconfig'},
		{name: 'a directory', path: () => dir, says: 'is a directory, not a file: check --kubeconfig'},
		{name: 'malformed', path: () => file('bad', 'clusters: ['), says: 'does not parse: '},
	])('a kubeconfig that is $name', async ({path, says}) => {
		const where = path();
		const run = await cutover(['status', '--kubeconfig', where]);
		expect(run.code).toBe(2);
		expect(said(run)).toContain(`kubeconfig ${where}`);
		expect(run.stderr).toContain(says);
	});

	it('KUBECONFIG naming files that are not there says each', async () => {
		const run = await cutover(['status'], {KUBECONFIG: `${dir}/a:${dir}/b`});
		expect(run.code).toBe(2);
		expect(said(run)).toContain(
			`kubeconfig ${dir}/a (in KUBECONFIG) does not exist; kubeconfig ${dir}/b (in KUBECONFIG) does not exist`,
		);
	});

	it.for([
		['status', '--context', 'nope'],
		['status', '--context', 'nope', '--json'],
		['switch', 'myapp', '--context', 'nope', '--dry-run'],
	])('an unknown context is named with the ones the kubeconfig has, exit 2: %s', async (args) => {
		const two = kubeconfig('http://127.0.0.1:1').replace(
			'contexts: [',
			'contexts: [{name: staging, context: {cluster: c, user: oncall}}, ',
		);
		const run = await cutover(args, {KUBECONFIG: file('contexts', two)});
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(said(run)).toBe('cutover: no context "nope" in the kubeconfig; known: staging, prod');
	});

	it.for([
		['switch', 'myapp', '-n', '--dry-run'],
		['status', '-n'],
		['status', '--kubeconfig'],
		['status', '--context', '--json'],
		['deploy', 'myapp', '--image'],
	])('a flag without its value is refused, exit 2: %s', async (args) => {
		const run = await cutover(args, {KUBECONFIG: file('ok', kubeconfig('http://127.0.0.1:1'))});
		expect(run.code).toBe(2);
		expect(said(run)).toMatch(
			/^cutover: (-n\/--namespace|--kubeconfig|--context|--image) needs a value; see cutover --help$/,
		);
	});

	it('--prometheus that is not a URL is named as typed, credentials masked', async () => {
		const config = file('prom', kubeconfig('http://127.0.0.1:1'));
		const run = await cutover(['status', '--kubeconfig', config, '--prometheus', 'notaurl']);
		expect(run.code).toBe(2);
		expect(said(run)).toBe(
			'cutover: --prometheus "notaurl" is not a URL: give http(s)://HOST:PORT, like http://prometheus.monitoring:9090',
		);
		const secret = await cutover([
			'status',
			'--kubeconfig',
			config,
			'--prometheus',
			'user:s3cret@host',
		]);
		expect(secret.stderr).not.toContain('s3cret');
		expect(secret.stderr).toContain('***@host');
	});

	it('nothing listening: connection refused, with the address', async () => {
		const run = await cutover([
			'status',
			'--kubeconfig',
			file('refused', kubeconfig('http://127.0.0.1:1')),
		]);
		expect(run.code).toBe(1);
		expect(said(run)).toBe(
			'cutover: cannot reach the API server at http://127.0.0.1:1: connection refused: nothing listens there (is the cluster up, is this the right context?) (ECONNREFUSED)',
		);
	});

	it('a plain http:// server without insecure-skip-tls-verify: what to add', async () => {
		const run = await cutover([
			'status',
			'--kubeconfig',
			file('http', kubeconfig(rejecting, false)),
		]);
		expect(run.code).toBe(1);
		expect(said(run)).toMatch(
			/^cutover: cannot use the API server at http:\/\/127\.0\.0\.1:\d+: a plain http:\/\/ server needs insecure-skip-tls-verify: true in the kubeconfig's cluster \(context prod/,
		);
	});

	it('credentials rejected (401): which context and user, and to log in again', async () => {
		const run = await cutover(['status', '--kubeconfig', file('rejected', kubeconfig(rejecting))]);
		expect(run.code).toBe(1);
		expect(said(run)).toMatch(
			/^cutover: unauthorized: the API server did not accept your credentials \(context prod, user oncall, at http:\/\/127\.0\.0\.1:\d+; asked to get \w+ in namespace default\): log in again/,
		);
		expect(run.stderr).not.toContain('not-a-real-token');
	});
});
