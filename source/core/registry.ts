import {objectKey, refOf} from './kinds.js';
import {policyOf, thresholdsOf} from './thresholds.js';
import type {
	ActionName,
	ActionSpec,
	Claims,
	KindRef,
	KubeObject,
	Plan,
	PlanInput,
	PlanResult,
	Rollout,
	Snapshot,
	Strategy,
} from './types.js';

/** Keys the console keeps for moving around: no strategy action may take one. */
const reservedKeys = ['up', 'down', 'k', 'j', 'g', 'G', 'return', '/', 'escape', '?', 'q'];

/** The strategies in force, in claiming order, and everything that follows from them. */
export type Registry = {
	strategies: Strategy[];
	/** Every kind some strategy watches, once each. */
	watches: KindRef[];
	/** Every action some strategy offers, once each, in the order they were declared. */
	actions: ActionSpec[];
	strategy(name: string): Strategy | undefined;
	/** All rollouts in a snapshot, each object claimed by the first strategy that uses it; sorted by namespace and name. */
	detect(snapshot: Snapshot): Rollout[];
	plan(action: ActionName, rollout: Rollout, snapshot: Snapshot, input?: PlanInput): PlanResult;
};

export class RegistryError extends Error {
	override name = 'RegistryError';
}

function mergeActions(strategies: Strategy[]): ActionSpec[] {
	const byName = new Map<string, ActionSpec>();
	const byKey = new Map<string, string>();
	for (const strategy of strategies) {
		for (const spec of strategy.actions) {
			const known = byName.get(spec.name);
			if (known && known.key !== spec.key)
				throw new RegistryError(
					`strategy ${strategy.name} binds ${spec.name} to ${spec.key ?? 'no key'}, another to ${known.key ?? 'no key'}: one action, one key`,
				);
			if (spec.key) {
				if (reservedKeys.includes(spec.key))
					throw new RegistryError(
						`strategy ${strategy.name}: key ${spec.key} moves around the console`,
					);
				const owner = byKey.get(spec.key);
				if (owner && owner !== spec.name)
					throw new RegistryError(
						`strategy ${strategy.name}: key ${spec.key} is already ${owner}'s`,
					);
				byKey.set(spec.key, spec.name);
			}
			if (!known) byName.set(spec.name, spec);
		}
	}
	return [...byName.values()];
}

function mergeKinds(strategies: Strategy[]): KindRef[] {
	const byKey = new Map<string, KindRef>();
	for (const kind of strategies.flatMap((s) => s.watches)) {
		const key = `${kind.plural}.${kind.group}`;
		const known = byKey.get(key);
		if (!known) {
			byKey.set(key, kind);
			continue;
		}
		// Optional only when every strategy that watches it can do without it; a selector only
		// when all watch through the same one.
		const merged: KindRef = {...known};
		if (known.optional && !kind.optional) delete merged.optional;
		if (known.labelSelector !== kind.labelSelector) delete merged.labelSelector;
		byKey.set(key, merged);
	}
	return [...byKey.values()];
}

/** Whether a controller ownerReference names one of these kinds (group and kind, any version). */
function controlledBy(object: KubeObject, owners: KindRef[]): boolean {
	return (object.metadata.ownerReferences ?? []).some(
		(ref) =>
			ref.controller === true &&
			owners.some(
				(owner) =>
					owner.kind === ref.kind &&
					(ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '') === owner.group,
			),
	);
}

export type RegistryOptions = {
	/** Controllers cutover does not drive (yet): what they own is theirs, never a rollout of ours. */
	reservedOwners?: KindRef[];
};

export function createRegistry(strategies: Strategy[], options: RegistryOptions = {}): Registry {
	const names = new Set<string>();
	for (const strategy of strategies) {
		if (names.has(strategy.name)) throw new RegistryError(`two strategies named ${strategy.name}`);
		names.add(strategy.name);
	}
	const actions = mergeActions(strategies);
	const watches = mergeKinds(strategies);
	const strategy = (name: string) => strategies.find((s) => s.name === name);
	const detect = (snapshot: Snapshot): Rollout[] => {
		const taken = new Set<string>();
		const rollouts: Rollout[] = [];
		for (const s of strategies) {
			// What a strategy's own controller owns is free for it, not for the others.
			const theirs = [
				...strategies.filter((other) => other !== s).flatMap((other) => other.owners ?? []),
				...(options.reservedOwners ?? []),
			];
			const claims: Claims = {
				taken: (object, kind) =>
					taken.has(objectKey(refOf(object, kind))) || controlledBy(object, theirs),
			};
			const found = s.detect(snapshot, claims);
			for (const detected of found) {
				const main = detected.objects[0];
				const object = main ? snapshot.get(main) : undefined;
				const {thresholds, problems} = thresholdsOf(object, detected.thresholds);
				const {policy, problems: policyProblems} = policyOf(object);
				rollouts.push({
					...detected,
					id: `${s.name}/${detected.namespace}/${detected.name}`,
					strategy: s.name,
					strategyLabel: s.label,
					thresholds,
					policy,
					problems: [...detected.problems, ...problems, ...policyProblems],
				});
			}
			// Claimed after the strategy's own pass: its rollouts may share objects among themselves.
			for (const detected of found) for (const ref of detected.objects) taken.add(objectKey(ref));
		}
		return rollouts.sort(
			(a, b) =>
				a.namespace.localeCompare(b.namespace) ||
				a.name.localeCompare(b.name) ||
				a.strategy.localeCompare(b.strategy),
		);
	};
	const plan = (
		action: ActionName,
		rollout: Rollout,
		snapshot: Snapshot,
		input?: PlanInput,
	): PlanResult => {
		const owner = strategy(rollout.strategy);
		if (!owner) return {error: `no strategy named ${rollout.strategy}`};
		const state = rollout.actions.find((a) => a.action === action);
		if (!state)
			return {
				error: `${action} is not an action of ${rollout.name} (${owner.label}); it offers ${rollout.actions.map((a) => a.action).join(', ')}`,
				usage: true,
			};
		if (!state.available) return {error: `cannot ${action} ${rollout.name}: ${state.reason}`};
		return owner.plan(action, rollout, snapshot, input);
	};
	return {strategies, watches, actions, strategy, detect, plan};
}

/** Whether a plan's steps change the cluster: requests and calls do; smoke tests and waits do not. */
export function changesCluster(steps: Plan['steps']): boolean {
	return steps.some((s) => s.kind === 'request' || s.kind === 'call');
}
