/**
 * The console (`node dist/cli.js`) in a pseudo-terminal, read through @xterm/headless, for the
 * bench. Unlike the e2e harness it does not poll: every chunk of output is timed when it arrives
 * and the waits are checked as soon as the emulator has taken it in, so a wait resolves with the
 * moment the console wrote the screen that satisfied it.
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import * as pty from 'node-pty';
import {createEmulator, screenText} from '../ui/terminal/emulator.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Every child still running, killed on any way out of the bench. */
const running = new Set<pty.IPty>();

export function killAll(): void {
	for (const child of running) {
		try {
			child.kill('SIGKILL');
		} catch {
			// already gone
		}
	}
	running.clear();
}

function childEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env))
		if (value !== undefined) env[name] = value;
	// With CI set, Ink writes only its final frame: the console must run as on a person's terminal.
	delete env.CI;
	delete env.NO_COLOR;
	env.TERM = 'xterm-256color';
	return env;
}

type Waiter = {
	test: (screen: string[]) => boolean;
	resolve: (at: number) => void;
};

export type BenchConsole = {
	pid: number;
	/** performance.now() just before the spawn. */
	startedAt: number;
	/** Bytes (UTF-8) the child has written to the terminal so far. */
	bytes(): number;
	/** The last 600 characters it wrote (how it left the terminal). */
	tail(): string;
	screen(): string[];
	/**
	 * Resolves with the arrival time (performance.now()) of the output that made `test` hold;
	 * rejects after `timeoutMs` with the screen.
	 */
	waitFor(what: string, test: (screen: string[]) => boolean, timeoutMs: number): Promise<number>;
	press(keys: string): void;
	/** The child's resident memory (VmRSS) in bytes. */
	rss(): number;
	close(): Promise<void>;
};

/** Starts `node dist/cli.js ARGS` at columns x rows. */
export function startConsole(args: string[], columns: number, rows: number): BenchConsole {
	const term = createEmulator(columns, rows);
	const startedAt = performance.now();
	const child = pty.spawn(process.execPath, [cli, ...args], {
		name: 'xterm-256color',
		cols: columns,
		rows,
		cwd: repoRoot,
		env: childEnv(),
	});
	running.add(child);
	let bytes = 0;
	let done = false;
	let tail = '';
	const waiters = new Set<Waiter>();
	const check = (at: number) => {
		if (waiters.size === 0) return;
		const screen = screenText(term);
		for (const waiter of waiters) {
			if (waiter.test(screen)) {
				waiters.delete(waiter);
				waiter.resolve(at);
			}
		}
	};
	child.onData((data) => {
		const at = performance.now();
		bytes += Buffer.byteLength(data);
		tail = (tail + data).slice(-600);
		term.write(data, () => check(at));
	});
	const exited = new Promise<void>((resolve) => {
		child.onExit(() => {
			done = true;
			running.delete(child);
			resolve();
		});
	});
	return {
		pid: child.pid,
		startedAt,
		bytes: () => bytes,
		tail: () => tail,
		screen: () => screenText(term),
		waitFor(what, test, timeoutMs) {
			return new Promise<number>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(
						new Error(
							`${what} never appeared within ${timeoutMs} ms${done ? ` (the console exited; its last output: ${JSON.stringify(tail)})` : ''}:\n${screenText(term).join('\n')}`,
						),
					);
				}, timeoutMs);
				const waiter: Waiter = {
					test,
					resolve: (at) => {
						clearTimeout(timer);
						resolve(at);
					},
				};
				waiters.add(waiter);
				// It may hold already; output still being parsed is checked when it is done.
				check(performance.now());
			});
		},
		press(keys) {
			child.write(keys);
		},
		rss() {
			const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
			const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
			if (kib === undefined) throw new Error(`no VmRSS in /proc/${child.pid}/status`);
			return Number(kib) * 1024;
		},
		async close() {
			if (!done) {
				child.kill('SIGTERM');
				await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
				if (!done) child.kill('SIGKILL');
			}
			running.delete(child);
			term.dispose();
		},
	};
}

/** How long a bare `node -e 1` takes from spawn to exit in a pseudo-terminal: the floor. */
export function bareNodeStart(timeoutMs = 10_000): Promise<number> {
	return new Promise((resolve, reject) => {
		const startedAt = performance.now();
		const child = pty.spawn(process.execPath, ['-e', '1'], {
			name: 'xterm-256color',
			cols: 80,
			rows: 24,
			cwd: repoRoot,
			env: childEnv(),
		});
		running.add(child);
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`node -e 1 did not exit within ${timeoutMs} ms`));
		}, timeoutMs);
		child.onExit(() => {
			clearTimeout(timer);
			running.delete(child);
			resolve(performance.now() - startedAt);
		});
	});
}
