import {execFile} from 'node:child_process';
import {accessSync, constants, realpathSync} from 'node:fs';
import {delimiter, dirname, join} from 'node:path';
import {it} from 'vitest';

function executable(path: string): boolean {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** The first executable called `name` on PATH, or undefined. */
export function findBinary(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (!dir) continue;
		const candidate = join(dir, name);
		if (executable(candidate)) return candidate;
	}
	return undefined;
}

/** The folder of the binary `kubectl` on PATH links to (where the versioned kubectls sit). */
function kubectlHome(): string | undefined {
	const onPath = findBinary('kubectl');
	if (!onPath) return undefined;
	try {
		return dirname(realpathSync(onPath));
	} catch {
		return undefined;
	}
}

/**
 * The kubectl to test with: the versioned `kubectl.1.33` beside the binary `kubectl` links to
 * (the machine image's `/usr/bin/kubectl` is a dispatcher), else `kubectl` on PATH.
 */
export function findKubectl(): string | undefined {
	const home = kubectlHome();
	const versioned = home ? join(home, 'kubectl.1.33') : undefined;
	if (versioned && executable(versioned)) return versioned;
	return findBinary('kubectl');
}

/** Each versioned kubectl (`kubectl.1.27` ... `kubectl.1.33`) beside the real binary that exists. */
export function kubectlVersions(
	minors: number[] = [27, 28, 29, 30, 31, 32, 33],
): Array<{version: string; path: string}> {
	const home = kubectlHome();
	if (!home) return [];
	return minors
		.map((minor) => ({version: `1.${minor}`, path: join(home, `kubectl.1.${minor}`)}))
		.filter(({path}) => executable(path));
}

/** Whether this run is CI's: `CI` set to anything but an empty string, `0` or `false`. */
export function inCi(): boolean {
	const value = process.env.CI;
	return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * For tests that need an external binary. Returns true when they must be skipped:
 * use it as `describe.skipIf(requireBinary(...))`.
 *
 * When the binary is missing: in CI (`CI` set) it registers a failing test that says what to
 * install, so the run fails rather than quietly skipping; elsewhere it warns and skips.
 */
export function requireBinary(
	name: string,
	path: string | undefined,
	installHint: string,
): boolean {
	if (path) return false;
	const message = `${name} is not installed (not found on PATH): ${installHint}`;
	if (inCi()) {
		it(`needs ${name}`, () => {
			throw new Error(`${message}. CI must have it: the tests that need ${name} cannot run.`);
		});
	} else {
		console.warn(`skipping the tests that need ${name}: ${message}`);
	}
	return true;
}

export type Ran = {code: number; stdout: string; stderr: string; ms: number};

/**
 * Runs a program (kubectl, python3, a seed script) against a cluster; never throws on a non-zero
 * exit: `code` is its exit code, 124 when it was killed for running past `timeout`. `home` keeps
 * kubectl's discovery and OpenAPI caches (under $HOME/.kube) out of the real home.
 */
export function runBinary(
	file: string,
	args: string[],
	options: {kubeconfig: string; home: string; timeout?: number; env?: Record<string, string>},
): Promise<Ran> {
	const started = Date.now();
	return new Promise((resolve) => {
		execFile(
			file,
			args,
			{
				timeout: options.timeout ?? 20_000,
				env: {...process.env, KUBECONFIG: options.kubeconfig, HOME: options.home, ...options.env},
			},
			(error, stdout, stderr) => {
				const code =
					error === null ? 0 : typeof error.code === 'number' ? error.code : error.killed ? 124 : 1;
				resolve({code, stdout, stderr, ms: Date.now() - started});
			},
		);
	});
}
