import type {IncomingMessage, ServerResponse} from 'node:http';
import {ArgoRolloutsController} from './controllers/argo-rollouts.js';
import {DeploymentController} from './controllers/deployments.js';
import {EndpointsController} from './controllers/endpoints.js';
import {FlaggerController} from './controllers/flagger.js';
import {Kubelet} from './controllers/kubelet.js';
import {type FaultPlan, parseFaultSpec} from './fault-spec.js';
import {startFaultTimers} from './fault-timers.js';
import {seededRandom} from './faults.js';
import {kubeconfigFor} from './kubeconfig.js';
import {Loadtesters} from './loadtester.js';
import {createProxy} from './proxy.js';
import {resourceTypes} from './resources.js';
import {behaviourFor, loadScenario, type Scenario} from './scenario.js';
import {ApiServer} from './server.js';
import {type KubeObject, Store} from './store.js';
import {TrafficModel} from './traffic.js';

export type SimOptions = {
	/** 0 (the default) picks any free port. */
	port?: number;
	host?: string;
	/** A built-in scenario's name, a path to a scenario file, or a loaded Scenario. */
	scenario?: string | Scenario;
	/** Overrides the scenario's pace (tests use fast rollouts). */
	rolloutSeconds?: number;
	podStartSeconds?: number;
	/** Overrides the scenario's Flagger analysis interval (seconds; tests use a fraction). */
	flaggerIntervalSeconds?: number;
	/** Overrides the scenario's Argo Rollouts time scale (pause durations, scale-down delays). */
	argoTimeScale?: number;
	bookmarkIntervalMs?: number;
	/**
	 * How long a change stays in the watch history (ms; etcd's compaction, 5 minutes by default):
	 * a watch resumed or a list read at an older version gets 410 Expired. Tests set it short.
	 */
	compactionMs?: number;
	/** How long a restart keeps the port closed (ms, 1000 by default), as a restarting API server does. */
	restartDownMs?: number;
	/** How long a read of a version not reached yet waits for it before its 504 (ms, 3000). */
	tooLargeWaitMs?: number;
	log?: (line: string) => void;
	/** How often the traffic model sends its requests (ms); 0 stops it (tests tick it by hand). */
	trafficIntervalMs?: number;
	/** Extra plain HTTP routes served beside the API. */
	routes?: Record<string, (request: IncomingMessage, response: ServerResponse) => void>;
	/**
	 * Faults from the start: a spec (`error 503 10%; restart every 2m`, see fault-spec.ts) or a
	 * parsed one. A bad spec throws FaultSpecError before anything starts.
	 */
	faults?: string | FaultPlan;
	/** Decides which requests a fault's share hits; else the spec's `seed`, else Math.random. */
	faultRandom?: () => number;
	/** Told of each periodic fault as it happens (a restart, dropped watches). */
	notice?: (line: string) => void;
};

export type Sim = {
	url: string;
	port: number;
	/** A kubeconfig (YAML) whose current context `cutover-sim` points at this sim. */
	kubeconfig: string;
	scenario: Scenario;
	store: Store;
	api: ApiServer;
	/** Requests per version, as /metrics exposes them. */
	traffic: TrafficModel;
	/**
	 * Services whose proxy forwards to a real address (`namespace/name` -> base URL), from the
	 * scenario; settable, for a real server whose address is known only after the sim is up.
	 */
	forwards: Map<string, string>;
	/** The flagger-loadtesters' gates (what their /gate and /rollback paths open and close). */
	loadtesters: Loadtesters;
	/** The sim's Flagger; `tick()` runs one analysis interval now. A restart makes a new one. */
	flagger: FlaggerController;
	/** The sim's Argo Rollouts controller. A restart makes a new one. */
	argo: ArgoRolloutsController;
	/**
	 * As if the API server were killed and started again on an emptied etcd: every watch and
	 * connection cut, the port closed for `restartDownMs` (connections refused), the store rebuilt
	 * from the scenario, its resourceVersions starting over (clients see them go backwards; a
	 * watch resumed from an old one gets 410), the controllers started afresh; then the same port
	 * listens again, when the promise resolves.
	 */
	restart(): Promise<void>;
	stop(): Promise<void>;
};

const namespaces = resourceTypes.find((t) => t.plural === 'namespaces')!;

function load(store: Store, scenario: Scenario): void {
	store.create(namespaces, undefined, {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {name: 'default'},
		status: {phase: 'Active'},
	});
	const objects = scenario.objects as KubeObject[];
	// Namespaces first, so the rest has somewhere to go, whatever order the file lists them in.
	const ordered = [
		...objects.filter((o) => o.kind === 'Namespace'),
		...objects.filter((o) => o.kind !== 'Namespace'),
	];
	// The world a scenario describes has been running for a while: an hour old unless it says.
	const created = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
	for (const scenarioObject of ordered) {
		const object = {
			...scenarioObject,
			metadata: {creationTimestamp: created, ...scenarioObject.metadata},
		};
		const type = store.typeOf(object)!;
		if (type === namespaces && object.metadata.name === 'default') continue;
		store.create(
			type,
			object.metadata.namespace,
			type === namespaces ? {status: {phase: 'Active'}, ...object} : object,
		);
	}
}

type World = {
	store: Store;
	scenario: Scenario;
	traffic: TrafficModel;
	loadtesters: Loadtesters;
	options: SimOptions;
};

/** The controllers of a world, started: from its steady state, as the scenario loads it. */
function startControllers({store, scenario, traffic, loadtesters, options}: World) {
	const readyDelay = (image: string) => behaviourFor(scenario, image).readyDelaySeconds;
	const controller = new DeploymentController(
		store,
		{
			rolloutSeconds: options.rolloutSeconds ?? scenario.settings.rolloutSeconds,
			podStartSeconds: options.podStartSeconds ?? scenario.settings.podStartSeconds,
		},
		readyDelay,
	);
	controller.start();
	const flagger = new FlaggerController(
		{store, traffic, loadtesters, serves: (image) => behaviourFor(scenario, image).serves},
		options.flaggerIntervalSeconds ?? scenario.settings.flaggerIntervalSeconds,
	);
	flagger.start();
	const argo = new ArgoRolloutsController(
		store,
		{
			timeScale: options.argoTimeScale ?? scenario.settings.argoTimeScale ?? 1,
			podStartSeconds: options.podStartSeconds ?? scenario.settings.podStartSeconds,
		},
		readyDelay,
	);
	argo.start();
	const kubelet = new Kubelet(
		store,
		options.podStartSeconds ?? scenario.settings.podStartSeconds,
		readyDelay,
	);
	kubelet.start();
	// Last, so the Endpoints of a loaded world list the pods the controllers above readied.
	const endpoints = new EndpointsController(store);
	endpoints.start();
	return {
		flagger,
		argo,
		stop() {
			controller.stop();
			flagger.stop();
			argo.stop();
			kubelet.stop();
			endpoints.stop();
		},
	};
}

/** Starts a simulated cluster on loopback: its API, its controllers and its scenario's world. */
export async function startSim(options: SimOptions = {}): Promise<Sim> {
	const faults =
		typeof options.faults === 'string' ? parseFaultSpec(options.faults) : options.faults;
	const scenario =
		typeof options.scenario === 'object'
			? options.scenario
			: loadScenario(options.scenario ?? 'seed');
	const store = new Store(options.compactionMs);
	load(store, scenario);
	const forwards = new Map(scenario.forwards.map((f) => [`${f.namespace}/${f.name}`, f.url]));
	const traffic = new TrafficModel(store, scenario);
	const loadtesters = new Loadtesters();
	const metrics = (_request: IncomingMessage, response: ServerResponse) => {
		traffic.metrics().then(
			(text) => {
				response.writeHead(200, {'Content-Type': traffic.contentType});
				response.end(text);
			},
			(error: Error) => {
				response.writeHead(500, {'Content-Type': 'text/plain'});
				response.end(error.message);
			},
		);
	};
	const faultRandom =
		options.faultRandom ?? (faults?.seed !== undefined ? seededRandom(faults.seed) : undefined);
	const api = new ApiServer({
		store,
		proxy: createProxy({
			store,
			healthy: (image) => behaviourFor(scenario, image).healthy,
			forwards,
			serves: (image) => behaviourFor(scenario, image).serves,
			loadtesters,
		}),
		routes: {'/metrics': metrics, ...options.routes},
		...(options.bookmarkIntervalMs ? {bookmarkIntervalMs: options.bookmarkIntervalMs} : {}),
		...(options.tooLargeWaitMs !== undefined ? {tooLargeWaitMs: options.tooLargeWaitMs} : {}),
		...(options.log ? {log: options.log} : {}),
		...(faultRandom ? {faultRandom} : {}),
	});
	for (const fault of faults?.faults ?? []) api.faults.add(fault);
	const world = {store, scenario, traffic, loadtesters, options};
	let controllers = startControllers(world);
	if ((options.trafficIntervalMs ?? 1000) > 0) traffic.start(options.trafficIntervalMs ?? 1000);
	const host = options.host ?? '127.0.0.1';
	let port: number;
	try {
		port = await api.listen(options.port ?? 0, host);
	} catch (error) {
		controllers.stop();
		traffic.stop();
		throw error;
	}
	const url = `http://${host}:${port}`;
	let stopped = false;
	let restarting: Promise<void> | undefined;
	const restart = () => {
		if (restarting) return restarting;
		controllers.stop();
		const down = api.close();
		store.reset();
		load(store, scenario);
		// The new etcd's history starts at the world it holds: a resume from any version of the
		// old one, lower or higher, is one this history does not have (410), not a replay of others.
		store.compact();
		controllers = startControllers(world);
		restarting = (async () => {
			await down;
			await new Promise((resolve) => setTimeout(resolve, options.restartDownMs ?? 1000));
			if (!stopped) await api.listen(port, host);
		})().finally(() => {
			restarting = undefined;
		});
		return restarting;
	};
	const stopTimers = startFaultTimers(
		faults?.timers ?? [],
		{
			dropWatches: () => api.dropWatches(),
			restart: () =>
				void restart().catch((error: Error) =>
					(options.notice ?? options.log)?.(`sim: could not listen again: ${error.message}`),
				),
		},
		options.notice ?? options.log,
	);
	return {
		url,
		port,
		kubeconfig: kubeconfigFor(url),
		scenario,
		store,
		api,
		traffic,
		forwards,
		loadtesters,
		get flagger() {
			return controllers.flagger;
		},
		get argo() {
			return controllers.argo;
		},
		restart,
		async stop() {
			stopped = true;
			stopTimers();
			controllers.stop();
			traffic.stop();
			await api.close();
		},
	};
}
