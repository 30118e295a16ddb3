import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {registry} from '../../source/core/strategies/index.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'cutover.js');

describe('--help', () => {
	// `sim --help` used to start a simulated cluster and wait for Ctrl-C.
	it.for(['sim', 'demo', 'status', 'step', 'rollback myapp', ''])(
		'cutover %s --help prints the usage and exits 0 without doing anything',
		async (command) => {
			const args = command.split(' ').filter(Boolean);
			const {stdout, stderr} = await run(process.execPath, [bin, ...args, '--help'], {
				timeout: 15_000,
				env: {...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent'},
			});
			expect(stdout).toContain('Usage');
			expect(stdout).toContain('$ cutover sim [--port N]');
			expect(stdout).not.toContain('listening');
			expect(stderr).toBe('');
		},
	);

	it('lists every action the strategies offer as a subcommand', async () => {
		const {stdout} = await run(process.execPath, [bin, '--help'], {timeout: 15_000});
		expect(stdout).toContain(`ACTION: ${registry.actions.map((a) => a.name).join(', ')}`);
		for (const name of ['switch', 'promote', 'rollback', 'deploy', 'smoke', 'step', 'finalize'])
			expect(stdout).toMatch(new RegExp(`ACTION: .*\\b${name}\\b`));
	});
});
