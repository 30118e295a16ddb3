import type {ConnectionState} from '../core/adapters.js';
import type {Review} from '../core/guard.js';
import type {Decision} from '../core/guard-decision.js';
import type {GuardRecord} from '../core/guard-record.js';
import type {RolloutMetrics} from '../core/metrics.js';
import type {ActionName, KubeObject, Plan, PlanStep, Rollout} from '../core/types.js';
import type {Screen} from './keymap.js';

export type StepView = {
	step: PlanStep;
	status: 'waiting' | 'running' | 'done' | 'failed';
	detail?: string;
};

export type Dialog =
	| {
			kind: 'confirm';
			plan: Plan;
			/** The guard's review; with blockers, `force` must be typed instead of `y`. */
			review?: Review;
			typed?: string;
	  }
	| {kind: 'input'; rolloutId: string; action: ActionName; prompt: string; value: string}
	| {kind: 'running'; plan: Plan; steps: StepView[]};

export type Notice = {kind: 'ok' | 'error' | 'info'; text: string};

/** What the guard did by itself: stays on screen until acknowledged. */
export type Banner = {kind: 'ok' | 'error'; text: string};

export type AppState = {
	context: string;
	/** undefined: all namespaces. */
	namespace: string | undefined;
	readonly: boolean;
	rollouts: Rollout[];
	events: KubeObject[];
	connection: ConnectionState;
	screen: Screen;
	/** Where Esc returns to from help: the screen help was opened from. */
	helpFrom: Screen;
	/** The selected rollout, by id, so updates of the list do not move the selection. */
	selectedId: string | undefined;
	filter: string;
	filtering: boolean;
	dialog: Dialog | undefined;
	notice: Notice | undefined;
	/** The newest numbers per rollout id. */
	metrics: Map<string, RolloutMetrics>;
	/** Where numbers come from ("prometheus http://…"), or why there are none. */
	metricsSource: string;
	/** The guard's record per rollout id: the verdict with its count of breaches. */
	guard: Map<string, GuardRecord>;
	/** What the guard would do by itself next, per rollout id (auto-rollback, autopilot). */
	decisions: Map<string, Decision | undefined>;
	/** Rollouts on autopilot (`a`, or all with --autopilot): lives only while this cutover runs. */
	autopilot: Set<string>;
	/** Every rollout on autopilot (--autopilot). */
	autopilotAll: boolean;
	/** Auto-rollback on for every rollout (--auto-rollback). */
	autoRollbackAll: boolean;
	banners: Banner[];
	/** Quiet rollouts (settled rolling updates) listed too (`H`); a filter searches them anyway. */
	showQuiet: boolean;
	/** Bumped by the clock so coarse ages ("2m ago") refresh; the screen writer skips equal frames. */
	now: number;
};

/**
 * The console's state, outside React: the cluster feeds it, the keyboard changes it, and Ink
 * components read it through useSyncExternalStore. Tested without Ink.
 */
export class Store {
	private state: AppState;
	private readonly listeners = new Set<() => void>();

	constructor(initial: Pick<AppState, 'context' | 'namespace' | 'readonly'>) {
		this.state = {
			...initial,
			rollouts: [],
			events: [],
			connection: {status: 'connecting', lastDataAt: 0, missing: []},
			screen: 'list',
			helpFrom: 'list',
			selectedId: undefined,
			filter: '',
			filtering: false,
			dialog: undefined,
			notice: undefined,
			metrics: new Map(),
			metricsSource:
				'no metrics source: start cutover with --prometheus URL or --prometheus-service NS/NAME:PORT',
			guard: new Map(),
			decisions: new Map(),
			autopilot: new Set(),
			autopilotAll: false,
			autoRollbackAll: false,
			banners: [],
			showQuiet: false,
			now: Date.now(),
		};
	}

	get = (): AppState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	update(change: Partial<AppState> | ((state: AppState) => Partial<AppState>)): void {
		const patch = typeof change === 'function' ? change(this.state) : change;
		this.state = {...this.state, ...patch};
		for (const listener of this.listeners) listener();
	}
}

/** The rollouts the filter lets through (namespace/name contains the text). */
export function visibleRollouts(state: AppState): Rollout[] {
	const filter = state.filter.trim().toLowerCase();
	if (!filter) return state.showQuiet ? state.rollouts : state.rollouts.filter((r) => !r.quiet);
	return state.rollouts.filter((r) => `${r.namespace}/${r.name}`.toLowerCase().includes(filter));
}

/** Quiet rollouts the list leaves out now (none while a filter searches them all). */
export function hiddenQuiet(state: AppState): number {
	if (state.showQuiet || state.filter.trim()) return 0;
	return state.rollouts.filter((r) => r.quiet).length;
}

export function selectedRollout(state: AppState): Rollout | undefined {
	const visible = visibleRollouts(state);
	return visible.find((r) => r.id === state.selectedId) ?? visible[0];
}
