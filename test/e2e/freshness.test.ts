/**
 * The header tells the truth about how current the screen is, with the sim in its own process
 * so the faults are real ones: SIGSTOP (a hung API server: connections open, nothing answered)
 * and SIGKILL then a new sim on the same port (its history reset, as after an etcd restore).
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {blueLive, rowWith, startConsole, startupMs} from './harness.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'cutover.js');

/** `cutover sim` as a person runs it; resolves with its URL once it listens. */
async function sim(args: string[]): Promise<{child: ChildProcess; url: string}> {
	const child = spawn(process.execPath, [bin, 'sim', ...args], {
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
			out += chunk;
			const match = /^sim: listening on (http:\/\/127\.0\.0\.1:\d+)\n/m.exec(out);
			if (match) resolve(match[1]!);
		});
		child.on('exit', (code) =>
			reject(new Error(`the sim exited (${code}) before listening: ${out}`)),
		);
	});
	return {child, url};
}

const header = (screen: string) => screen.split('\n')[0] ?? '';

describe('freshness under real faults', () => {
	it('a hung API server turns live into stale with actions off; a reset history is listed again', {
		timeout: 150_000,
	}, async (context) => {
		const dir = mkdtempSync(join(tmpdir(), 'cutover-freshness-'));
		const kubeconfig = join(dir, 'kubeconfig');
		let current = await sim(['--port', '0', '--write-kubeconfig', kubeconfig]);
		const port = new URL(current.url).port;
		const console = startConsole({args: ['--kubeconfig', kubeconfig], columns: 100, rows: 30});
		context.onTestFinished(async () => {
			current.child.kill('SIGCONT');
			current.child.kill('SIGKILL');
			await console.close();
			rmSync(dir, {recursive: true, force: true});
		});
		await console.waitFor((s) => blueLive(s) && header(s).includes('live'), startupMs);

		// Hung: the process holds its sockets and answers nothing.
		current.child.kill('SIGSTOP');
		const stale = await console.waitFor(
			(s) => /stale: data \d+s old, actions off/.test(header(s)),
			40_000,
		);
		expect(header(stale)).not.toMatch(/● live|\* live/);
		// What was last known stays on screen, and nothing is planned on it.
		expect(blueLive(stale)).toBe(true);
		console.press('p');
		await console.waitFor('the data is');
		expect((await console.screen()).join('\n')).not.toContain('y to confirm');
		current.child.kill('SIGCONT');
		await console.waitFor((s) => / live/.test(header(s)) && !header(s).includes('stale'), 30_000);

		// Switched to green by someone else; then the API server comes back with another history.
		const patched = await fetch(`${current.url}/api/v1/namespaces/default/services/myapp`, {
			method: 'PATCH',
			headers: {'content-type': 'application/merge-patch+json'},
			body: JSON.stringify({spec: {selector: {version: 'green'}}}),
		});
		expect(patched.status).toBe(200);
		await console.waitFor(
			(s) => (rowWith(s, 'default/myapp') ?? '').includes('GREEN live'),
			15_000,
		);
		current.child.kill('SIGKILL');
		await new Promise((resolve) => current.child.once('exit', resolve));
		current = await sim(['--port', port]);
		// The new cluster says blue (the seed's); the screen follows it, live.
		await console.waitFor(
			(s) => blueLive(s) && / live/.test(header(s)) && !header(s).includes('stale'),
			60_000,
		);
	});
});
