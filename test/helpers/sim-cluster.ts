/**
 * A simulated cluster for tests of cutover's own commands and cluster adapter: fast rollouts,
 * a kubeconfig written to a temp file (as a user would pass it with --kubeconfig), and reads of
 * the sim's store to judge what cutover changed.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {type Sim, type SimOptions, startSim} from '../../source/sim/index.js';
import {type ResourceType, resourceTypes} from '../../source/sim/resources.js';
import type {KubeObject} from '../../source/sim/store.js';

export type TestCluster = {
	sim: Sim;
	/** The kubeconfig file (context cutover-sim, namespace default). */
	kubeconfig: string;
	dir: string;
	stop(): Promise<void>;
};

export function typeOf(plural: string): ResourceType {
	const type = resourceTypes.find((t) => t.plural === plural);
	if (!type) throw new Error(`the sim has no resource ${plural}`);
	return type;
}

export async function startCluster(options: SimOptions = {}): Promise<TestCluster> {
	const dir = mkdtempSync(join(tmpdir(), 'cutover-test-'));
	const sim = await startSim({port: 0, rolloutSeconds: 1, podStartSeconds: 0.2, ...options});
	const kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(kubeconfig, sim.kubeconfig);
	let stopped = false;
	return {
		sim,
		kubeconfig,
		dir,
		async stop() {
			if (stopped) return;
			stopped = true;
			await sim.stop();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** Polls `probe` until it returns something truthy, or fails after `timeoutMs` saying what for. */
export async function until<T>(
	what: string,
	probe: () => T | Promise<T>,
	timeoutMs = 5000,
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value) return value as NonNullable<T>;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export function get(sim: Sim, plural: string, name: string, namespace = 'default'): KubeObject {
	return sim.store.get(typeOf(plural), namespace, name);
}

/** The value the Service myapp's selector holds for `version`. */
export function liveVersion(sim: Sim, name = 'myapp'): string {
	return get(sim, 'services', name).spec.selector.version;
}

/** Waits until the seed's app-blue and app-green are rolled out with all pods ready. */
export async function settled(sim: Sim, names = ['app-blue', 'app-green']): Promise<void> {
	await until(`${names.join(' and ')} to be ready`, () =>
		names.every((name) => {
			const d = get(sim, 'deployments', name);
			const s = d.status ?? {};
			return (
				s.observedGeneration === d.metadata.generation &&
				s.updatedReplicas === d.spec.replicas &&
				s.readyReplicas === d.spec.replicas &&
				s.replicas === d.spec.replicas
			);
		}),
	);
}

/** A stream that collects what is written to it, as a terminal would show it. */
export function collector(): PassThrough & {text(): string} {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	return Object.assign(stream, {text: () => text});
}

/** stdin of a script or CI job: not a terminal, nothing to read. */
export function nonTtyInput(): PassThrough & {isTTY?: boolean} {
	const input = new PassThrough();
	input.end();
	return input;
}

export function writeTempFile(dir: string, name: string, text: string): string {
	const file = join(dir, name);
	writeFileSync(file, text);
	return file;
}
