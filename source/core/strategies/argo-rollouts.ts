import {actionSpecs} from '../actions.js';
import {actionsFor, hashLabel, planArgo, revision} from '../argo-actions.js';
import {type ArgoState, argoState, measurementFacts, stepFacts} from '../argo-status.js';
import {kinds, namespaceOf, refOf} from '../kinds.js';
import {readCanaryAnnotations} from '../nginx-annotations.js';
import type {
	Claims,
	Detected,
	Fact,
	KindRef,
	KubeObject,
	ObjectRef,
	Snapshot,
	Strategy,
	Track,
} from '../types.js';
import {imagesOf, ownedReplicaSets} from '../workloads.js';

/**
 * Argo Rollouts (ANCHOR-FACTS): a Rollout `argoproj.io/v1alpha1`, canary or blueGreen, with its
 * ReplicaSets (by `rollouts-pod-template-hash`), Services and the canary Ingress it manages.
 * Actions are the kubectl plugin's own patches, each conditional on the resourceVersion seen.
 */

export const rolloutKind: KindRef = {
	group: 'argoproj.io',
	version: 'v1alpha1',
	plural: 'rollouts',
	kind: 'Rollout',
	optional: true,
};
/** Only the ReplicaSets Argo made: a cluster's other ReplicaSets stay unwatched. */
const replicaSets: KindRef = {...kinds.replicaSet, labelSelector: hashLabel};
export const analysisRunKind: KindRef = {
	group: 'argoproj.io',
	version: 'v1alpha1',
	plural: 'analysisruns',
	kind: 'AnalysisRun',
	optional: true,
};

const specs = {
	promoteFull: {
		name: 'promote-full',
		key: 'P',
		hint: 'promote --full',
		description: 'promote --full: skip the remaining steps and analysis',
		dangerous: true,
		direction: 'advance',
	},
	retry: {
		name: 'retry',
		key: 'R',
		hint: 'retry',
		description: 'retry an aborted rollout from its first step',
		dangerous: true,
		direction: 'advance',
	},
} as const;

/** The ReplicaSets of a Rollout, newest revision first. */
function replicaSetsOf(rollout: KubeObject, snapshot: Snapshot): KubeObject[] {
	return ownedReplicaSets(rollout, 'Rollout', replicaSets, snapshot, revision);
}

function hashOf(rs: KubeObject): string | undefined {
	return rs.metadata.labels?.[hashLabel];
}

/**
 * The value the app's own series carry for a track: the pod template's `version` (or `track`)
 * label where the app sets one, else its `rollouts-pod-template-hash`, the one label that always
 * tells Argo's two ReplicaSets apart.
 */
function appSeries(rs: KubeObject | undefined, hash: string): string {
	const labels = rs?.spec?.template?.metadata?.labels ?? {};
	return String(labels.version ?? labels.track ?? hash);
}

function rsTrack(
	rollout: KubeObject,
	rs: KubeObject | undefined,
	hash: string,
	track: Pick<Track, 'key' | 'title' | 'side' | 'serving' | 'weight' | 'series'> & {tag?: string},
): Track {
	const namespace = namespaceOf(rollout);
	const status = rs?.status ?? {};
	const desired = Number(rs?.spec?.replicas ?? 0);
	return {
		...track,
		series: {...track.series, app: appSeries(rs, hash)},
		workload: {...refOf(rs ?? rollout, rs ? kinds.replicaSet : rolloutKind), namespace},
		images: rs ? imagesOf(rs) : imagesOf(rollout),
		replicas: {
			desired,
			updated: desired,
			ready: Number(status.readyReplicas ?? 0),
			available: Number(status.availableReplicas ?? 0),
		},
		rollingOut: Number(status.availableReplicas ?? 0) < desired,
		...(rs ? {} : {tag: `${hash}: no ReplicaSet yet`}),
	};
}

function factsOf(
	rollout: KubeObject,
	state: ArgoState,
	blueGreen: boolean,
	snapshot: Snapshot,
): Fact[] {
	const status = rollout.status ?? {};
	const facts: Fact[] = [{label: 'strategy', value: blueGreen ? 'BlueGreen' : 'Canary'}];
	if (state.message)
		facts.push({
			label: 'message',
			value: state.message,
			tone: state.health === 'bad' ? 'bad' : 'neutral',
		});
	if (state.aborted)
		facts.push({
			label: 'aborted',
			value: 'retry (R) to start again',
			tone: 'bad',
			...(status.abortedAt ? {since: status.abortedAt} : {}),
		});
	facts.push(...stepFacts(rollout, state));
	for (const pause of status.pauseConditions ?? [])
		facts.push({
			label: 'pause',
			value: String(pause.reason ?? ''),
			tone: 'warn',
			...(pause.startTime ? {since: pause.startTime} : {}),
		});
	const analysis =
		status.canary?.currentStepAnalysisRunStatus ??
		status.canary?.currentBackgroundAnalysisRunStatus;
	if (analysis)
		facts.push({
			label: `analysis ${analysis.name ?? ''}`.trim(),
			value: `${analysis.status ?? '?'}${analysis.message ? `: ${analysis.message}` : ''}`,
			tone:
				analysis.status === 'Failed' || analysis.status === 'Error'
					? 'bad'
					: analysis.status === 'Successful'
						? 'ok'
						: 'progressing',
		});
	if (analysis?.name)
		facts.push(
			...measurementFacts(
				snapshot.get({
					...analysisRunKind,
					namespace: namespaceOf(rollout),
					name: String(analysis.name),
				}),
			),
		);
	if (blueGreen) {
		const bg = rollout.spec?.strategy?.blueGreen ?? {};
		facts.push({label: 'autoPromotionEnabled', value: String(bg.autoPromotionEnabled ?? true)});
		facts.push({label: 'scaleDownDelaySeconds', value: String(bg.scaleDownDelaySeconds ?? 30)});
	}
	return facts;
}

function detectOne(rollout: KubeObject, snapshot: Snapshot, claims: Claims): Detected {
	const namespace = namespaceOf(rollout);
	const problems: string[] = [];
	const status = rollout.status ?? {};
	const strategy = rollout.spec?.strategy ?? {};
	const blueGreen = strategy.blueGreen !== undefined;
	const state = argoState(rollout);
	if (state.message.startsWith('InvalidSpec')) problems.push(state.message);
	const sets = replicaSetsOf(rollout, snapshot);
	const byHash = (hash: string | undefined) => sets.find((rs) => hashOf(rs) === hash);
	const find = (kind: typeof kinds.service | typeof kinds.ingress, name: string | undefined) => {
		if (!name) return undefined;
		const found = snapshot.get({...kind, namespace, name});
		return found && !claims.taken(found, kind) ? found : undefined;
	};
	const stableHash = String(status.stableRS ?? '');
	const currentHash = String(status.currentPodHash ?? stableHash);
	const tracks: Track[] = [];
	let traffic: Detected['traffic'];
	const services: KubeObject[] = [];
	const ingresses: KubeObject[] = [];
	if (blueGreen) {
		const activeHash = String(status.blueGreen?.activeSelector ?? stableHash);
		const previewHash = String(status.blueGreen?.previewSelector ?? '');
		for (const name of [strategy.blueGreen.activeService, strategy.blueGreen.previewService]) {
			const service = find(kinds.service, name);
			if (service) services.push(service);
		}
		tracks.push(
			rsTrack(rollout, byHash(activeHash), activeHash, {
				key: 'active',
				title: 'ACTIVE',
				side: 'baseline',
				serving: true,
				weight: 100,
				series: {},
			}),
		);
		if (previewHash && previewHash !== activeHash)
			tracks.push(
				rsTrack(rollout, byHash(previewHash), previewHash, {
					key: 'preview',
					title: 'PREVIEW',
					side: 'candidate',
					serving: false,
					weight: 0,
					series: {},
				}),
			);
		traffic = {kind: 'switch', live: 'active'};
	} else {
		const canary = strategy.canary ?? {};
		for (const name of [canary.stableService, canary.canaryService]) {
			const service = find(kinds.service, name);
			if (service) services.push(service);
		}
		const stableIngressName = canary.trafficRouting?.nginx?.stableIngress as string | undefined;
		const stableIngress = find(kinds.ingress, stableIngressName);
		const canaryIngress = find(
			kinds.ingress,
			stableIngressName ? `${rollout.metadata.name}-${stableIngressName}-canary` : undefined,
		);
		if (stableIngress) ingresses.push(stableIngress);
		if (canaryIngress) ingresses.push(canaryIngress);
		const steps = state.steps;
		// setWeight of the steps done so far: what Argo asks for; the Ingress says what is applied.
		const asked = steps
			.slice(0, state.stepIndex + 1)
			.reduce<number>((w, s) => (s.setWeight !== undefined ? s.setWeight : w), 0);
		const done = currentHash === stableHash;
		const weight = done ? 0 : state.aborted ? 0 : (status.canary?.weights?.canary?.weight ?? asked);
		const applied = canaryIngress ? readCanaryAnnotations(canaryIngress).weight : undefined;
		tracks.push(
			rsTrack(rollout, byHash(stableHash), stableHash, {
				key: 'stable',
				title: 'STABLE',
				side: 'baseline',
				serving: weight < 100,
				weight: 100 - weight,
				series: {nginx: 'stable'},
			}),
		);
		if (!done)
			tracks.push(
				rsTrack(rollout, byHash(currentHash), currentHash, {
					key: 'canary',
					title: 'CANARY',
					side: 'candidate',
					serving: weight > 0,
					weight,
					series: {nginx: 'canary'},
				}),
			);
		traffic = {
			kind: 'split',
			weight,
			total: 100,
			steps: steps.flatMap((s) => (s.setWeight !== undefined ? [s.setWeight] : [])),
			...(applied !== undefined && applied !== weight ? {actual: applied} : {}),
			routing: canaryIngress ? readCanaryAnnotations(canaryIngress).routing : [],
		};
	}
	const objects: ObjectRef[] = [
		refOf(rollout, rolloutKind),
		...sets.map((rs) => refOf(rs, kinds.replicaSet)),
		...services.map((s) => refOf(s, kinds.service)),
		...ingresses.map((i) => refOf(i, kinds.ingress)),
	];
	const stableIngress = ingresses[0];
	const app = rollout.spec?.template?.metadata?.labels?.app as string | undefined;
	return {
		namespace,
		name: rollout.metadata.name,
		summary: `Rollout ${rollout.metadata.name} (${blueGreen ? 'blueGreen' : 'canary'}), revision ${revision(rollout) || '?'}`,
		phase: state.phase,
		health: state.health,
		facts: factsOf(rollout, state, blueGreen, snapshot),
		tracks,
		traffic,
		problems,
		objects,
		// Through the canary Ingress where Argo routes by nginx; else the app's series, by track.
		metrics: stableIngress
			? {preset: 'nginx', labels: {ingress: stableIngress.metadata.name}}
			: {preset: 'app', labels: app ? {app} : {}},
		actions: actionsFor(rollout, state, sets),
	};
}

function detect(snapshot: Snapshot, claims: Claims): Detected[] {
	return snapshot
		.list(rolloutKind)
		.filter((rollout) => !claims.taken(rollout, rolloutKind))
		.map((rollout) => detectOne(rollout, snapshot, claims));
}

export const argoRollouts: Strategy = {
	name: 'argo-rollouts',
	label: 'argo',
	watches: [rolloutKind, replicaSets, analysisRunKind, kinds.service, kinds.ingress],
	owners: [rolloutKind],
	actions: [
		actionSpecs.promote,
		specs.promoteFull,
		actionSpecs.rollback,
		specs.retry,
		actionSpecs.pause,
		actionSpecs.resume,
		actionSpecs.undo,
		actionSpecs.restart,
	],
	detect,
	plan: (action, rollout, snapshot, input) =>
		planArgo({kind: rolloutKind, replicaSets: replicaSetsOf}, action, rollout, snapshot, input),
};
