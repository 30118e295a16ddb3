import {applyPlan} from '../cluster/apply.js';
import {KubeClient} from '../cluster/client.js';
import type {Connection} from '../cluster/config.js';
import {ClusterWatcher} from '../cluster/watcher.js';
import type {Progress} from '../core/adapters.js';
import {gateStale, staleReason} from '../core/freshness.js';
import {evaluateAll} from '../core/guard-record.js';
import {metricsTargetOf, type RolloutMetrics} from '../core/metrics.js';
import type {Registry} from '../core/registry.js';
import {registry as builtin} from '../core/strategies/index.js';
import type {Plan, Snapshot} from '../core/types.js';
import type {MetricsSource} from '../metrics/source.js';
import {App} from '../ui/components/app.js';
import {Controller} from '../ui/controller.js';
import {type Binding, bindingsFor} from '../ui/keymap.js';
import {Store} from '../ui/store.js';
import {renderFullscreen} from '../ui/terminal/render.js';
import {makeTheme, ThemeContext} from '../ui/theme.js';
import {announce, Guardian} from './guardian.js';

export type ConsoleOptions = {
	connection: Connection;
	/** Where the numbers come from; without one the console says so and shows none. */
	metrics?: MetricsSource | undefined;
	/** Seconds between metrics refreshes. */
	refreshSeconds?: number;
	/** Minutes of history the charts show. */
	windowMinutes?: number;
	readonly: boolean;
	ascii: boolean;
	color: boolean;
	actor?: string;
	/** The strategies in force (default: every built-in one). */
	registry?: Registry;
	/** Roll back any rollout whose verdict turns failing (else only those annotated so). */
	autoRollback?: boolean;
	/** Every rollout on autopilot from the start. */
	autopilot?: boolean;
};

/** A console without a terminal: the watch feeding the store, the keys acting through the controller. */
export type Session = {
	store: Store;
	controller: Controller;
	bindings: Binding[];
	patterns: string[];
	stop(): Promise<void>;
};

/**
 * Wires the cluster adapter, the registry and the metrics source to the store and the
 * controller. `quit` is what the controller calls on q and Ctrl-C.
 */
export function startSession(
	options: Omit<ConsoleOptions, 'ascii' | 'color'>,
	quit: () => void,
): Session {
	const {connection} = options;
	const registry = options.registry ?? builtin;
	const client = new KubeClient(connection.config);
	const watcher = new ClusterWatcher(client, connection.namespace, registry.watches);
	const store = new Store({
		context: connection.context,
		namespace: connection.namespace,
		readonly: options.readonly,
	});
	const bindings = bindingsFor(registry.actions, options.readonly);
	// Stale data is shown as such, and nothing is planned on it (by a key or by the guard).
	const refresh = () => {
		const now = Date.now();
		const connection = watcher.state(now);
		store.update({
			rollouts: gateStale(registry.detect(watcher.snapshot()), staleReason(connection, now)),
			events: watcher.events(),
			connection,
			now,
		});
	};
	watcher.on('change', refresh);
	watcher.start();
	const apply = (plan: Plan, onProgress?: (progress: Progress) => void) =>
		applyPlan(client, plan, {
			...(onProgress ? {onProgress} : {}),
			...(options.actor ? {actor: options.actor} : {}),
		});
	const guardian = new Guardian({
		registry,
		snapshot: () => watcher.snapshot(),
		apply,
		autoRollback: options.autoRollback ?? false,
		autopilot: (rollout) => store.get().autopilotAll || store.get().autopilot.has(rollout.id),
	});
	store.update({
		autopilotAll: options.autopilot ?? false,
		autoRollbackAll: options.autoRollback ?? false,
	});
	// Each refresh's numbers are one evaluation: the guard counts, decides and acts on them.
	const evaluated = (metrics: Map<string, RolloutMetrics>) => {
		const {rollouts, guard} = store.get();
		const records = evaluateAll(guard, rollouts, metrics, Date.now());
		store.update({metrics, guard: records, decisions: guardian.decisions(rollouts, records)});
		void guardian.act(rollouts, records).then((acts) => {
			const {banners, notice} = announce(acts);
			if (banners.length > 0 || notice)
				store.update((s) => ({
					banners: [...s.banners, ...banners],
					...(notice ? {notice: {kind: 'info', text: notice}} : {}),
				}));
		});
	};
	const stopMetrics = options.metrics
		? pollMetrics(options.metrics, store, () => watcher.snapshot(), options, evaluated)
		: () => {};
	// Ages on screen are coarse (minutes), so this tick rarely changes a visible byte.
	// Data that went stale without a word from the watches is gated here, on the next tick.
	const clock = setInterval(() => {
		const connection = watcher.state();
		if (connection.status !== store.get().connection.status) refresh();
		else store.update({now: Date.now(), connection});
	}, 5000);
	const controller = new Controller({
		store,
		bindings,
		actions: registry.actions,
		judged: options.metrics !== undefined,
		plan: (action, rollout, input) =>
			registry.plan(action, rollout, watcher.snapshot(), {...input, now: new Date().toISOString()}),
		apply,
		quit,
	});
	return {
		store,
		controller,
		bindings,
		patterns: registry.strategies.map((s) => s.label),
		async stop() {
			clearInterval(clock);
			stopMetrics();
			await watcher.stop();
		},
	};
}

/** The live console: watch the cluster, draw it, act on keys; resolves when the user quits. */
export async function runConsole(options: ConsoleOptions): Promise<number> {
	let app: ReturnType<typeof renderFullscreen> | undefined;
	const session = startSession(options, () => app?.unmount());
	app = renderFullscreen(
		<ThemeContext.Provider value={makeTheme({color: options.color, ascii: options.ascii})}>
			<App
				store={session.store}
				controller={session.controller}
				bindings={session.bindings}
				patterns={session.patterns}
			/>
		</ThemeContext.Provider>,
	);
	try {
		await app.waitUntilExit();
	} finally {
		await session.stop();
	}
	return 0;
}

/**
 * Asks the metrics source for every rollout at once, every refresh (one query per question,
 * whatever the number of rollouts), never two refreshes at a time.
 */
function pollMetrics(
	source: MetricsSource,
	store: Store,
	snapshot: () => Snapshot,
	options: Pick<ConsoleOptions, 'windowMinutes' | 'refreshSeconds'>,
	evaluated: (metrics: Map<string, RolloutMetrics>) => void,
): () => void {
	let busy = false;
	store.update({metricsSource: source.describe()});
	const refresh = async () => {
		const {rollouts} = store.get();
		if (busy || rollouts.length === 0) return;
		busy = true;
		try {
			const current = snapshot();
			const targets = rollouts.map((rollout) => metricsTargetOf(rollout, current));
			const minutes = options.windowMinutes ?? 10;
			// About 60 points a window: more than a small chart has columns, few enough to be cheap.
			const results = await source.fetch(targets, {
				endMs: Date.now(),
				minutes,
				stepSeconds: Math.max(1, Math.round(minutes)),
			});
			evaluated(new Map(results.map((r) => [r.rolloutId, r])));
		} catch (error) {
			// The port promises not to throw; if it does, say so rather than crash the console.
			store.update({metricsSource: `${source.describe()}: failed: ${(error as Error).message}`});
		} finally {
			busy = false;
		}
	};
	// The first numbers as soon as the first rollouts are known, then every refresh.
	const first = setInterval(() => {
		if (store.get().rollouts.length === 0) return;
		clearInterval(first);
		void refresh();
	}, 250);
	const timer = setInterval(() => void refresh(), (options.refreshSeconds ?? 10) * 1000);
	return () => {
		clearInterval(first);
		clearInterval(timer);
	};
}
