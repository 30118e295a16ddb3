import {fileURLToPath} from 'node:url';
import * as pty from 'node-pty';
import {describe, expect, it} from 'vitest';
import {createEmulator, type Emulator, feed, screenText} from './emulator.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('fixtures/app.tsx', import.meta.url));

const LEAVE_FULLSCREEN = '\u001B[0m\u001B[?25h\u001B[?1049l';

type Run = {
	child: pty.IPty;
	term: Emulator;
	output: () => string;
	exited: Promise<{exitCode: number; signal?: number}>;
	settled: () => Promise<void>;
};

function start({args = [] as string[], ci = false} = {}): Run {
	const [columns, rows] = [80, 24];
	const env = {...process.env};
	// With CI set, Ink's normal renderer writes only its final frame; debug mode does not care,
	// which one test checks.
	delete env.CI;
	if (ci) {
		env.CI = 'true';
	}
	// One node process (no tsx wrapper) so a signal reaches the app itself.
	const child = pty.spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
		name: 'xterm-256color',
		cols: columns,
		rows,
		cwd: repoRoot,
		env,
	});
	const term = createEmulator(columns, rows);
	let bytes = '';
	let fed = Promise.resolve();
	child.onData((data) => {
		bytes += data;
		fed = fed.then(() => feed(term, data));
	});
	const exited = new Promise<{exitCode: number; signal?: number}>((resolve) => {
		child.onExit(resolve);
	});
	return {child, term, output: () => bytes, exited, settled: () => fed};
}

async function waitForScreen(run: Run, text: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		await run.settled();
		if (screenText(run.term).some((line) => line.includes(text))) {
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`"${text}" never appeared on screen:\n${screenText(run.term).join('\n')}`);
}

describe.concurrent('renderFullscreen in a real pseudo-terminal', () => {
	it('draws full screen, takes keys, and restores the terminal on q', async () => {
		const run = start();
		await waitForScreen(run, 'cutover fixture ready');
		expect(run.term.buffer.active.type).toBe('alternate');
		expect(screenText(run.term)[2]).toBe('size 80x24');
		await waitForScreen(run, 'ticks 10');

		run.child.write('q');
		const {exitCode} = await run.exited;
		await run.settled();

		expect(exitCode).toBe(0);
		expect(run.term.buffer.active.type).toBe('normal');
		const bytes = run.output();
		expect(bytes).toContain('\u001B[?1049h\u001B[?25l');
		// The restore sequence is the last thing before the app's own goodbye line.
		const restoredAt = bytes.lastIndexOf(LEAVE_FULLSCREEN);
		expect(restoredAt).toBeGreaterThan(0);
		expect(bytes.slice(restoredAt + LEAVE_FULLSCREEN.length)).toBe('fixture exited\r\n');
		expect(screenText(run.term).some((line) => line.includes('fixture exited'))).toBe(true);
		expect(screenText(run.term).some((line) => line.includes('ticks'))).toBe(false);
		run.term.dispose();
	});

	it('restores the terminal on SIGTERM and exits with 143', async () => {
		const run = start();
		await waitForScreen(run, 'cutover fixture ready');
		run.child.kill('SIGTERM');
		const {exitCode} = await run.exited;
		await run.settled();

		expect(exitCode).toBe(143);
		expect(run.term.buffer.active.type).toBe('normal');
		expect(run.output().endsWith(LEAVE_FULLSCREEN)).toBe(true);
		run.term.dispose();
	});

	it.each([{ci: false}, {ci: true}])(
		'lays out and redraws for the new size on resize (CI set: $ci)',
		async ({ci}) => {
			const run = start({ci});
			await waitForScreen(run, 'ticks 10');
			expect(screenText(run.term).slice(0, 5)).toEqual([
				'cutover fixture ready',
				'ticks 10',
				'size 80x24',
				'w'.repeat(70),
				'',
			]);
			run.child.resize(60, 20);
			run.term.resize(60, 20);
			await waitForScreen(run, 'size 60x20');
			const screen = screenText(run.term);
			expect(screen).toHaveLength(20);
			expect(screen.slice(0, 5)).toEqual([
				'cutover fixture ready',
				'ticks 10',
				'size 60x20',
				'w'.repeat(60),
				'w'.repeat(10),
			]);
			expect(screen.slice(5).every((line) => line === '')).toBe(true);
			run.child.write('q');
			expect((await run.exited).exitCode).toBe(0);
			run.term.dispose();
		},
	);

	it('restores the terminal on an uncaught error, prints it and exits with 1', async () => {
		const run = start({args: ['--crash']});
		const {exitCode} = await run.exited;
		await run.settled();

		expect(exitCode).toBe(1);
		expect(run.term.buffer.active.type).toBe('normal');
		const bytes = run.output();
		expect(bytes).toContain('cutover fixture ready');
		const restoredAt = bytes.lastIndexOf(LEAVE_FULLSCREEN);
		expect(bytes.indexOf('Error: fixture crash')).toBeGreaterThan(restoredAt);
		expect(screenText(run.term).some((line) => line.includes('Error: fixture crash'))).toBe(true);
		run.term.dispose();
	});
});
