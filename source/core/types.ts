/**
 * The domain of cutover, as plain data: what the cluster holds (Snapshot), what is being
 * released (Rollout, Track), what can be done to it (Action) and what doing it takes (Plan).
 * Nothing here does I/O; strategies are pure functions over these types.
 */

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
};

/** What detection needs from the cluster: the watched kinds, by kind. */
export type Snapshot = {
	services: KubeObject[];
	ingresses: KubeObject[];
	deployments: KubeObject[];
	canaries: KubeObject[];
	rollouts: KubeObject[];
};

export type Color = 'blue' | 'green';

export type TrackRole = 'active' | 'standby' | 'stable' | 'canary';

export type WorkloadRef = {kind: string; namespace: string; name: string};

export type Track = {
	role: TrackRole;
	color?: Color;
	/** The value of the track label (version=blue): what Prometheus metrics carry for it. */
	label?: string;
	workload: WorkloadRef;
	images: string[];
	replicas: {desired: number; updated: number; ready: number; available: number};
	/** Share of traffic in percent, 0..100. */
	weight: number;
	/** A rollout of this track's workload is under way (its pods are not all new and ready). */
	rollingOut: boolean;
};

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
	| 'resume';

/** Whether an action can be taken now, and if not, why (in words on-call can act on). */
export type ActionState = {action: ActionName; available: boolean; reason?: string};

export type Traffic =
	| {kind: 'selector'; label: string; live: string}
	| {
			kind: 'weight';
			/** null when the weight cannot be read (a bad annotation): never guessed. */
			weight: number | null;
			total: number;
			steps: number[];
			/** Routing that bypasses the weight (header, cookie): who sees the canary regardless. */
			routing: string[];
	  };

export type Phase = 'Healthy' | 'Progressing' | 'Degraded' | 'Paused' | 'Invalid' | (string & {});

export type Rollout = {
	/** Unique and stable: `${strategy}/${namespace}/${name}`. */
	id: string;
	namespace: string;
	name: string;
	strategy: string;
	phase: Phase;
	tracks: Track[];
	traffic: Traffic;
	/** What is wrong with how the rollout is set up, in words; actions that would be unsafe say so. */
	problems: string[];
	/** The objects it is made of, for their Events. */
	objects: WorkloadRef[];
	/** Where its numbers are: the metrics preset its strategy implies, and its primary Ingress if any. */
	metrics: {preset: 'app' | 'nginx'; ingress?: string};
	actions: ActionState[];
};

export type PatchType = 'json' | 'merge' | 'strategic';

/** A cluster object a plan writes to, by API coordinates (no discovery needed). */
export type ObjectRef = {
	group: string;
	version: string;
	plural: string;
	kind: string;
	namespace: string;
	name: string;
};

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
			patchType: PatchType;
			body: unknown;
			precondition?: Precondition;
	  }
	| {
			kind: 'smoke';
			description: string;
			namespace: string;
			selector: Record<string, string>;
			path: string;
			workload: string;
	  }
	| {kind: 'wait'; description: string; target: ObjectRef; timeoutSeconds: number};

/** What an action will do, as data: shown in the confirm dialog, executed by the cluster adapter. */
export type Plan = {
	action: ActionName;
	rolloutId: string;
	/** One line: "switch myapp from BLUE to GREEN". */
	summary: string;
	steps: PlanStep[];
	/** Recorded as a Kubernetes Event on `target` when the plan succeeds. */
	audit: {target: ObjectRef; reason: string; message: string};
	/** After success, the action the UI offers next (deploy offers the switch). */
	next?: ActionName;
};

export type PlanInput = {image?: string};

export type PlanResult = {plan: Plan} | {error: string};

/** A strategy: how one deployment pattern looks in the cluster and how its actions are done. */
export type Strategy = {
	name: string;
	/** How the console names it, short: "blue/green". */
	label: string;
	detect(snapshot: Snapshot): Rollout[];
	plan(action: ActionName, rollout: Rollout, snapshot: Snapshot, input?: PlanInput): PlanResult;
};
