/**
 * The real console (`source/cli.tsx`) in a pseudo-terminal, read through @xterm/headless, against
 * a simulated cluster started in the test process. Tests assert what a person sees (the
 * emulator's screen) and what the cluster holds (the sim's store).
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as pty from 'node-pty';
import {expect, type TestContext} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {type ResourceType, resourceTypes} from '../../source/sim/resources.js';
import {parseScenario} from '../../source/sim/scenario.js';
import type {KubeObject} from '../../source/sim/store.js';
import {createEmulator, type Emulator, feed, screenText} from '../ui/terminal/emulator.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// The bundle test/global-setup.ts builds before the tests: what ships, and quick to start.
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export const ESC = '\u001B';
export const keys = {enter: '\r', escape: ESC, ctrlC: '\u0003', up: `${ESC}[A`, down: `${ESC}[B`};

export function typeOf(plural: string): ResourceType {
	const type = resourceTypes.find((t) => t.plural === plural);
	if (!type) throw new Error(`the sim has no resource ${plural}`);
	return type;
}

export type Cluster = {
	sim: Sim;
	kubeconfig: string;
	dir: string;
	/** The live color: the value of `version` in Service default/myapp's selector. */
	selector(): string | undefined;
	/** Sets the selector's `version` behind the console's back, as another writer would. */
	setSelector(version: string): void;
	deployment(name: string): KubeObject;
	stop(): Promise<void>;
};

/** A sim with fast rollouts, from the seed or from a scenario's YAML text. */
export async function startCluster(scenarioYaml?: string): Promise<Cluster> {
	const dir = mkdtempSync(join(tmpdir(), 'cutover-e2e-'));
	const sim = await startSim({
		port: 0,
		rolloutSeconds: 1,
		podStartSeconds: 0.2,
		...(scenarioYaml ? {scenario: parseScenario(scenarioYaml, join(dir, 'scenario.yaml'))} : {}),
	});
	const kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(kubeconfig, sim.kubeconfig);
	const services = typeOf('services');
	return {
		sim,
		kubeconfig,
		dir,
		selector: () =>
			(sim.store.find(services, 'default', 'myapp') as {spec?: {selector?: {version?: string}}})
				?.spec?.selector?.version,
		setSelector(version) {
			sim.store.patch(services, 'default', 'myapp', 'merge', {spec: {selector: {version}}});
		},
		deployment: (name) => sim.store.get(typeOf('deployments'), 'default', name),
		async stop() {
			await sim.stop();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

export type Console = {
	child: pty.IPty;
	term: Emulator;
	/** Every byte the console wrote. */
	output(): string;
	exited: Promise<{exitCode: number; signal?: number}>;
	/** Sends keys as typed. */
	press(...input: string[]): void;
	/** The screen, one string per row. */
	screen(): Promise<string[]>;
	/** Waits until a row contains `text` (or the predicate holds); fails with the screen. */
	waitFor(text: string | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
	/** Quits if still running and frees the emulator. */
	close(): Promise<void>;
};

export type StartOptions = {
	args?: string[];
	columns?: number;
	rows?: number;
	env?: Record<string, string | undefined>;
};

/** Starts `cutover ARGS` (node dist/cli.js) in a pseudo-terminal. */
export function startConsole({
	args = [],
	columns = 100,
	rows = 30,
	env: extra = {},
}: StartOptions = {}): Console {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries({...process.env, ...extra}))
		if (value !== undefined) env[name] = value;
	// With CI set, Ink writes only its final frame: the console must run as on a person's terminal.
	delete env.CI;
	if (extra.NO_COLOR === undefined) delete env.NO_COLOR;
	env.TERM = 'xterm-256color';
	const child = pty.spawn(process.execPath, [cli, ...args], {
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
	let done = false;
	const exited = new Promise<{exitCode: number; signal?: number}>((resolve) => {
		child.onExit((result) => {
			done = true;
			resolve(result);
		});
	});
	const screen = async () => {
		await fed;
		return screenText(term);
	};
	return {
		child,
		term,
		output: () => bytes,
		exited,
		press(...input) {
			for (const key of input) child.write(key);
		},
		screen,
		async waitFor(text, timeoutMs = 10_000) {
			const test =
				typeof text === 'string' ? (s: string) => s.includes(text) : (s: string) => text(s);
			const deadline = Date.now() + timeoutMs;
			let last = '';
			while (Date.now() < deadline) {
				last = (await screen()).join('\n');
				if (test(last)) return last;
				if (done) break;
				await new Promise((resolve) => setTimeout(resolve, 25));
			}
			throw new Error(
				`${typeof text === 'string' ? `"${text}"` : 'the expected screen'} never appeared${done ? ` (the console exited; its last output: ${JSON.stringify(bytes.slice(-600))})` : ''}:\n${last}`,
			);
		},
		async close() {
			if (!done) {
				child.kill('SIGTERM');
				await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
			}
			term.dispose();
		},
	};
}

/** Polls until `probe` holds; fails saying what was awaited. */
export async function until(what: string, probe: () => unknown, timeoutMs = 8000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await probe()) return;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** How long a console may take to start: node and client-node load slowly on a busy CI box. */
export const startupMs = 40_000;

/** For describe(): the whole test, startup included. */
export const testTimeout = 60_000;

/** The row containing `text`, or undefined. */
export function rowWith(screen: string, text: string): string | undefined {
	return screen.split('\n').find((line) => line.includes(text));
}

/** The seed's myapp is on the list, live on blue. */
export const blueLive = (s: string) => (rowWith(s, 'default/myapp') ?? '').includes('BLUE live');

/**
 * A sim (the seed, or a scenario's YAML) and the console on it (`--kubeconfig` added to the
 * arguments); both stopped when the test ends.
 */
export async function openConsole(
	context: TestContext,
	options: StartOptions & {scenario?: string} = {},
): Promise<{cluster: Cluster; console: Console}> {
	const {scenario, ...start} = options;
	const cluster = await startCluster(scenario);
	const console = startConsole({
		...start,
		args: ['--kubeconfig', cluster.kubeconfig, ...(start.args ?? [])],
	});
	context.onTestFinished(async () => {
		await console.close();
		await cluster.stop();
	});
	return {cluster, console};
}

/** The terminal is back as it was: normal buffer, and the last bytes show the cursor and leave the alternate screen. */
export async function expectRestored(console: Console, exitCode = 0): Promise<void> {
	const result = await console.exited;
	expect(result.exitCode).toBe(exitCode);
	await console.screen();
	expect(console.term.buffer.active.type).toBe('normal');
	const tail = console.output().slice(-64);
	const shown = tail.lastIndexOf(`${ESC}[?25h`);
	const left = tail.lastIndexOf(`${ESC}[?1049l`);
	expect(shown).toBeGreaterThanOrEqual(0);
	expect(left).toBeGreaterThan(shown);
	expect(console.output().endsWith(`${ESC}[?1049l`)).toBe(true);
}
