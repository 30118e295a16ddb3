/**
 * The domain of cutover, as plain data: what the cluster holds (Snapshot), what is being
 * released (Rollout, Track), what can be done to it (Action) and what doing it takes (Plan).
 * Nothing here does I/O; strategies are pure functions over these types.
 */
import type {GuardPolicy, Thresholds} from './thresholds.js';

export type ObjectMeta = {
	name: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: Array<{
		apiVersion: string;
		kind: string;
		name: string;
		uid: string;
		controller?: boolean;
	}>;
};

export type KubeObject = {
	apiVersion?: string;
	kind?: string;
	metadata: ObjectMeta;
	// biome-ignore lint/suspicious/noExplicitAny: cluster objects are JSON shaped by their kind; strategies read them defensively
	spec?: any;
	// biome-ignore lint/suspicious/noExplicitAny: as above
	status?: any;
	/** A ConfigMap's data (a router's percentage may live there). */
	data?: Record<string, string>;
};

/** A kind by its API coordinates: what a strategy watches, what a plan writes to. */
export type KindRef = {
	group: string;
	version: string;
	plural: string;
	kind: string;
	/** A custom resource: a cluster without its controller does not serve it, and that is fine. */
	optional?: boolean;
	/** Watch only the objects with these labels (`rollouts-pod-template-hash`: Argo's ReplicaSets). */
	labelSelector?: string;
};

/** One object, by kind and name (no discovery needed to reach it). */
export type ObjectRef = Omit<KindRef, 'optional' | 'labelSelector'> & {
	namespace: string;
	name: string;
};

/** What detection reads: the watched kinds' objects, by kind. */
export type Snapshot = {
	list(kind: KindRef): KubeObject[];
	get(ref: ObjectRef): KubeObject | undefined;
};

export type Color = 'blue' | 'green';

/** ok, progressing, paused, bad, unknown: the worst of the strategy's phase and the guard's verdict. */
export type Health = 'ok' | 'progressing' | 'paused' | 'bad' | 'unknown';

/** How a fact or a line reads at a glance; the UI maps tones to colors and symbols. */
export type Tone = 'ok' | 'progressing' | 'warn' | 'bad' | 'neutral';

/**
 * A strategy's own fact about a rollout, shown as it is: "failed checks 1/5", "step 2/4".
 * `since` and `until` are times (ISO 8601) the console shows as "3m ago" and "in 40s".
 */
export type Fact = {label: string; value: string; tone?: Tone; since?: string; until?: string};

export type Replicas = {desired: number; updated: number; ready: number; available: number};

export type Track = {
	/** Unique within its rollout and stable across updates: `blue`, `stable`. */
	key: string;
	/** How the console names it: BLUE, CANARY, PRIMARY, revision 7. */
	title: string;
	/** The version traffic comes from (baseline) or goes to (candidate). */
	side: 'baseline' | 'candidate';
	/** Whether it takes traffic now. */
	serving: boolean;
	/** A word beside the title: LIVE, standby. */
	tag?: string;
	color?: Color;
	workload: ObjectRef;
	images: string[];
	replicas: Replicas;
	/** Share of traffic in percent, 0..100; null when it cannot be read (an unreadable canary weight), never guessed. */
	weight: number | null;
	/** A rollout of this track's workload is under way (its pods are not all new and ready). */
	rollingOut: boolean;
	/** The value its series carry, per metrics preset id: {app: 'blue'}, {nginx: 'canary'}. */
	series: Record<string, string>;
};

/** The words of an action: built-in ones, and whatever a strategy adds. */
export type ActionName =
	| 'switch'
	| 'promote'
	| 'rollback'
	| 'deploy'
	| 'smoke'
	| 'step'
	| 'finalize'
	| 'abort'
	| 'retry'
	| 'pause'
	| 'resume'
	| (string & {});

/** An action a strategy offers: its key, its words, and what it needs. */
export type ActionSpec = {
	name: ActionName;
	/** The console's key for it; none: a subcommand only. */
	key?: string;
	/** The footer's word for it. */
	hint: string;
	description: string;
	/** Changes the cluster: never bound in --readonly. */
	dangerous: boolean;
	/** Asks for an image before it is planned. */
	input?: 'image';
	/**
	 * Where it sends traffic: toward the candidate (the guard reviews the candidate's numbers
	 * first) or back to the baseline (never blocked, but says what is known of where it goes).
	 */
	direction?: 'advance' | 'retreat';
};

/** Whether an action can be taken now, and if not, why (in words on-call can act on). */
export type ActionState = {
	action: ActionName;
	available: boolean;
	reason?: string;
	/** What the input prompt asks, for actions that need one. */
	prompt?: string;
};

/** How traffic is shared between the tracks. */
export type Traffic =
	/** One track takes it all; the other waits (blue/green). */
	| {kind: 'switch'; live: string | undefined}
	| {
			kind: 'split';
			/** The candidate's weight; null when it cannot be read (a bad annotation): never guessed. */
			weight: number | null;
			total: number;
			steps: number[];
			/** The weight the proxy really applies, when it differs from the one asked for. */
			actual?: number | null;
			/** Who applies `actual`: "ingress" unless said. */
			appliedBy?: string;
			/** Routing that bypasses the weight (header, cookie): who sees the canary regardless. */
			routing: string[];
	  }
	| {kind: 'none'};

export type Rollout = {
	/** Unique and stable: `${strategy}/${namespace}/${name}`. */
	id: string;
	namespace: string;
	name: string;
	strategy: string;
	/** How the console names the strategy, short: "blue/green". */
	strategyLabel: string;
	/** One line on how traffic is steered: "Service myapp selects version=blue". */
	summary: string;
	/** The strategy's own word, shown as text. */
	phase: string;
	/** The phase as a health; the list shows the worst of it and the guard's verdict. */
	health: Health;
	facts: Fact[];
	tracks: Track[];
	traffic: Traffic;
	/** What is wrong with how the rollout is set up, in words; actions that would be unsafe say so. */
	problems: string[];
	/** The objects it is made of: claimed by it, and watched for their Events. The first is its main object. */
	objects: ObjectRef[];
	/** Where its numbers are: the preset its strategy implies, and the label values that scope them. */
	metrics: {preset: string; labels: Record<string, string>};
	/** The guard's thresholds (annotations on its main object, else the defaults). */
	thresholds: Thresholds;
	/** What the guard may do by itself (annotations on its main object). */
	policy: GuardPolicy;
	actions: ActionState[];
	/** Nothing under way and nothing changed lately (a settled rolling update): listed on request. */
	quiet?: boolean;
};

export type PatchType = 'json' | 'merge' | 'strategic';

/**
 * The state the engineer saw, that the request depends on: the value at a JSON pointer. A JSON
 * Patch carries it as a `test` op; the adapter reads the path again to say what it is now.
 */
export type Precondition = {path: string; expected: unknown; what: string};

export type PlanStep =
	| {
			kind: 'request';
			description: string;
			target: ObjectRef;
			/** `status`, `scale`: the subresource the patch goes to. */
			subresource?: string;
			patchType: PatchType;
			body: unknown;
			precondition?: Precondition;
	  }
	| {
			/** An HTTP request through the API server's service proxy (a gate of a controller's). */
			kind: 'call';
			description: string;
			service: {namespace: string; name: string; port?: string | number};
			method: 'GET' | 'POST';
			path: string;
			body?: unknown;
			/** The state the call depends on, read from `target` just before it is made. */
			precondition?: Precondition & {target: ObjectRef};
			/** Made even when an earlier step failed (closing a gate a failed wait left open). */
			always?: boolean;
	  }
	| {
			kind: 'smoke';
			description: string;
			namespace: string;
			selector: Record<string, string>;
			path: string;
			workload: string;
	  }
	| {
			kind: 'wait';
			description: string;
			target: ObjectRef;
			/**
			 * A condition of core/conditions.ts, judged on the target as detection judges it, or
			 * until the value at a JSON pointer is no longer the one seen (a controller moved on).
			 */
			until: 'rolled-out' | {path: string; changedFrom: unknown; what: string};
			timeoutSeconds: number;
	  };

/** What an action will do, as data: shown in the confirm dialog, executed by the cluster adapter. */
export type Plan = {
	action: ActionName;
	rolloutId: string;
	/** One line: "switch myapp from BLUE to GREEN". */
	summary: string;
	/** Whether it changes the cluster: then it is confirmed first, and recorded. */
	changes: boolean;
	steps: PlanStep[];
	/** Recorded as a Kubernetes Event on `target` when the plan succeeds. */
	audit: {target: ObjectRef; reason: string; message: string};
	/** After success, the action the UI offers next (deploy offers the switch). */
	next?: ActionName;
};

export type PlanInput = {
	image?: string;
	/** The revision to return to (undo --to-revision); the previous one when not given. */
	revision?: string;
	/** When the engineer asked (ISO 8601), for plans that write a time (a restart). */
	now?: string;
};

export type PlanResult = {plan: Plan} | {error: string; usage?: boolean};

/**
 * What is not free for a strategy to use: objects of rollouts found by strategies before it,
 * and objects a controller owns (a Flagger Canary's Ingress) that cutover must not fight.
 */
export type Claims = {taken(object: KubeObject, kind: KindRef): boolean};

/**
 * What detection produces: a rollout without what the registry adds. `thresholds` are the
 * strategy's own (a Flagger Canary's analysis), which annotations still override.
 */
export type Detected = Omit<
	Rollout,
	'thresholds' | 'policy' | 'strategy' | 'strategyLabel' | 'id'
> & {
	thresholds?: Partial<Thresholds>;
};

/** A strategy: how one deployment pattern looks in the cluster and how its actions are done. */
export type Strategy = {
	name: string;
	/** How the console names it, short: "blue/green". */
	label: string;
	/** The kinds detection reads; the watcher and `status` list exactly these (and Events). */
	watches: KindRef[];
	/** Kinds whose controller-owned objects (ownerReferences with controller: true) are its rollouts' parts. */
	owners?: KindRef[];
	/** The actions it may offer, with their keys: the keymap, help and subcommands follow. */
	actions: ActionSpec[];
	/** Rollouts found in the snapshot, skipping objects claimed by strategies before it. */
	detect(snapshot: Snapshot, claims: Claims): Detected[];
	plan(action: ActionName, rollout: Rollout, snapshot: Snapshot, input?: PlanInput): PlanResult;
};
