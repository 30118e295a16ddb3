/**
 * Shared set-up for the tests that judge the sim with the real @kubernetes/client-node over HTTP.
 */
import {
	ApiException,
	AppsV1Api,
	CoreV1Api,
	CustomObjectsApi,
	KubeConfig,
	Watch,
} from '@kubernetes/client-node';
import {afterAll, beforeAll, expect} from 'vitest';
import {type Sim, type SimOptions, startSim} from '../../source/sim/index.js';
import {until} from '../helpers/sim-cluster.js';

export {until};

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes JSON as a client reads it
export type Any = any;

export type Client = {
	sim: Sim;
	kc: KubeConfig;
	core: CoreV1Api;
	apps: AppsV1Api;
	custom: CustomObjectsApi;
};

/** A sim with fast rollouts and a client built from its own kubeconfig. */
export async function connect(options: SimOptions = {}): Promise<Client> {
	const sim = await startSim({port: 0, rolloutSeconds: 1, podStartSeconds: 0.2, ...options});
	const kc = new KubeConfig();
	kc.loadFromString(sim.kubeconfig);
	return {
		sim,
		kc,
		core: kc.makeApiClient(CoreV1Api),
		apps: kc.makeApiClient(AppsV1Api),
		custom: kc.makeApiClient(CustomObjectsApi),
	};
}

export type StatusBody = {
	kind: string;
	apiVersion: string;
	status: string;
	reason: string;
	message: string;
	code: number;
	details?: {name?: string; group?: string; kind?: string};
};

/** Awaits a call expected to fail; returns its ApiException's code and parsed `Status` body. */
export async function apiError(
	call: Promise<unknown>,
): Promise<{code: number; status: StatusBody}> {
	const error = await call.then(
		() => {
			throw new Error('expected the call to fail with an ApiException');
		},
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(ApiException);
	const exception = error as ApiException<unknown>;
	const status = (
		typeof exception.body === 'string' ? JSON.parse(exception.body) : exception.body
	) as StatusBody;
	expect(status.kind).toBe('Status');
	expect(status.apiVersion).toBe('v1');
	expect(status.status).toBe('Failure');
	expect(status.code).toBe(exception.code);
	return {code: exception.code, status};
}

export type WatchEvent = {type: string; object: Any};

export type Watching = {
	events: WatchEvent[];
	/** Resolves with what `done` was called with when the stream ends. */
	done: Promise<unknown>;
	stop(): void;
	/** Waits until an event matching `test` has arrived and returns it. */
	next(what: string, test: (event: WatchEvent) => boolean, timeoutMs?: number): Promise<WatchEvent>;
};

/** Starts a `Watch.watch` collecting its events. */
export async function watch(
	kc: KubeConfig,
	path: string,
	params: Record<string, string | number | boolean | undefined>,
): Promise<Watching> {
	const events: WatchEvent[] = [];
	let finish: (error: unknown) => void = () => {};
	const done = new Promise<unknown>((resolve) => {
		finish = resolve;
	});
	const controller = await new Watch(kc).watch(
		path,
		params,
		(type, object) => events.push({type, object}),
		(error) => finish(error),
	);
	return {
		events,
		done,
		stop: () => controller.abort(),
		next: (what, test, timeoutMs = 10_000) => until(what, () => events.find(test), timeoutMs),
	};
}

export function names(items: ReadonlyArray<{metadata?: {name?: string}}>): string[] {
	return items.map((item) => item.metadata?.name ?? '').sort();
}

/** The seed's Flagger Canary, as CustomObjectsApi addresses it. */
export const podinfoCanary = {
	group: 'flagger.app',
	version: 'v1beta1',
	plural: 'canaries',
	namespace: 'test',
	name: 'podinfo',
};

/** One sim and client for a test file: started before its tests, stopped after. */
export function clientPerFile(): () => Client {
	let client: Client | undefined;
	beforeAll(async () => {
		client = await connect();
	});
	afterAll(async () => {
		await client?.sim.stop();
	});
	return () => client!;
}
