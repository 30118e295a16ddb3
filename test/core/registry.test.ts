import {describe, expect, it} from 'vitest';
import {kinds} from '../../source/core/kinds.js';
import {planLines} from '../../source/core/plan-text.js';
import {createRegistry, RegistryError} from '../../source/core/registry.js';
import {builtinStrategies, registry, registryOf} from '../../source/core/strategies/index.js';
import type {KindRef, KubeObject, Plan, Strategy} from '../../source/core/types.js';
import {healthOf, verdictOf} from '../../source/core/verdict.js';
import {seedDeployments, seedServices, snapshotOf} from '../fixtures/blue-green.js';
import {configMapSplit, splitLabel} from '../fixtures/configmap-strategy.js';

function splitMap(stable: string, canary: string, weight = '20'): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'ConfigMap',
		metadata: {name: 'split', namespace: 'default', labels: {[splitLabel]: 'true'}},
		data: {stable, canary, weight},
	};
}

/** A strategy with only what the registry checks. */
function bare(
	name: string,
	actions: Strategy['actions'],
	watches: KindRef[] = [kinds.service],
): Strategy {
	return {name, label: name, watches, actions, detect: () => [], plan: () => ({error: 'no'})};
}

describe('the registry', () => {
	it('gives an object to the first strategy that claims it: app-blue and app-green are the split, not myapp', () => {
		const snapshot = snapshotOf({
			services: seedServices(),
			deployments: seedDeployments(),
			configMaps: [splitMap('app-blue', 'app-green')],
		});
		const first = registryOf([configMapSplit, ...builtinStrategies]).detect(snapshot);
		expect(first.map((r) => `${r.strategy}/${r.name}`)).toEqual(['configmap-split/split']);
		// Last in the order, it finds them taken: the blue/green rollout keeps its Deployments.
		const last = registryOf([...builtinStrategies, configMapSplit]).detect(snapshot);
		expect(last.map((r) => `${r.strategy}/${r.name}`)).toEqual([
			'service-selector/myapp',
			'configmap-split/split',
		]);
		expect(last[0]!.tracks.map((t) => t.workload.name)).toEqual(['app-blue', 'app-green']);
		expect(last[1]!.tracks).toEqual([]);
		expect(last[1]!.problems).toEqual([
			'Deployment app-blue is part of another rollout',
			'Deployment app-green is part of another rollout',
		]);
	});

	it('watches every kind some strategy reads, once each', () => {
		const all = registryOf([configMapSplit, ...builtinStrategies]);
		expect(all.watches.map((k) => `${k.plural}.${k.group}`).sort()).toEqual([
			'analysisruns.argoproj.io',
			'canaries.flagger.app',
			'configmaps.',
			'deployments.apps',
			'ingresses.networking.k8s.io',
			'replicasets.apps',
			'rollouts.argoproj.io',
			'services.',
		]);
		// Argo's ReplicaSets and the Deployments' (rolling updates, routers): two selectors, so all of them.
		expect(all.watches.find((k) => k.plural === 'replicasets')?.labelSelector).toBeUndefined();
		expect(
			registryOf(
				builtinStrategies.filter((s) => s.name !== 'rolling' && s.name !== 'router'),
			).watches.find((k) => k.plural === 'replicasets')?.labelSelector,
		).toBe('rollouts-pod-template-hash');
		expect(registry.watches.map((k) => k.plural).sort()).toEqual([
			'analysisruns',
			'canaries',
			'configmaps',
			'deployments',
			'ingresses',
			'replicasets',
			'rollouts',
			'services',
		]);
	});

	it('keeps a kind required when one strategy needs it, optional only when all can do without', () => {
		const optional = {...kinds.configMap, optional: true};
		const both = createRegistry([bare('a', [], [optional]), bare('b', [], [kinds.configMap])]);
		expect(both.watches).toEqual([kinds.configMap]);
		expect(createRegistry([bare('a', [], [optional])]).watches).toEqual([optional]);
	});

	it('offers each action once, with one key, in declared order', () => {
		const all = registryOf([configMapSplit, ...builtinStrategies]);
		expect(all.actions.map((a) => `${a.key ?? '-'} ${a.name}`)).toEqual([
			'n nudge',
			's step',
			'p promote',
			'r rollback',
			'z pause',
			'Z resume',
			'P promote-full',
			'R retry',
			'u undo',
			'X restart',
			'f finalize',
			'- switch',
			'd deploy',
			't smoke',
		]);
	});

	it('refuses two keys for one action, one key for two actions, a navigation key, and two names', () => {
		const spec = {hint: 'x', description: 'x', dangerous: true};
		expect(() =>
			createRegistry([
				bare('a', [{...spec, name: 'hold', key: 'h'}]),
				bare('b', [{...spec, name: 'hold', key: 'x'}]),
			]),
		).toThrow(new RegistryError('strategy b binds hold to x, another to h: one action, one key'));
		expect(() =>
			createRegistry([
				bare('a', [{...spec, name: 'hold', key: 'h'}]),
				bare('b', [{...spec, name: 'halt', key: 'h'}]),
			]),
		).toThrow("strategy b: key h is already hold's");
		expect(() => createRegistry([bare('a', [{...spec, name: 'jump', key: 'j'}])])).toThrow(
			'strategy a: key j moves around the console',
		);
		expect(() => createRegistry([bare('a', []), bare('a', [])])).toThrow('two strategies named a');
	});

	it('says an action a rollout does not have is a usage error, naming what it offers', () => {
		const snapshot = snapshotOf({services: seedServices(), deployments: seedDeployments()});
		const [myapp] = registry.detect(snapshot);
		expect(registry.plan('step', myapp!, snapshot)).toEqual({
			error:
				'step is not an action of myapp (blue/green); it offers switch, promote, rollback, deploy, smoke',
			usage: true,
		});
	});

	it('shows a bad threshold annotation as a problem on the rollout, and keeps the default', () => {
		const [service, ...rest] = seedServices();
		service!.metadata.annotations = {
			'cutover.dev/max-error-ratio': '5%',
			'cutover.dev/max-p99-ms': '300',
			'cutover.dev/min-requests': '200',
			'cutover.dev/failure-threshold': '2.5',
			'cutover.dev/auto-rollback': 'yes',
			'cutover.dev/step-interval': '4',
		};
		const [myapp] = registry.detect(
			snapshotOf({services: [service!, ...rest], deployments: seedDeployments()}),
		);
		expect(myapp!.thresholds).toEqual({
			maxErrorRatio: 0.01,
			maxP99Seconds: 0.3,
			minRequests: 200,
			failureThreshold: 5,
		});
		expect(myapp!.policy).toEqual({autoRollback: false, stepIntervals: 4});
		expect(myapp!.problems).toEqual([
			'cutover.dev/max-error-ratio "5%" is not a fraction in 0..1 (0.01 = 1 %): the guard uses 0.01 until it is fixed',
			'cutover.dev/failure-threshold "2.5" is not a whole number of breaches (1 or more): the guard uses 5 until it is fixed',
			'cutover.dev/auto-rollback "yes" is not "true" or "false": it stays off',
		]);
	});

	it('never calls a rollout ok beside a breached number: health is the worst of phase and verdict', () => {
		const [myapp] = registry.detect(
			snapshotOf({services: seedServices(), deployments: seedDeployments()}),
		);
		expect(myapp!.health).toBe('ok');
		const reading = (errorRatio: number) => ({
			rps: 10,
			errorRatio,
			p99Seconds: 0.9,
			requests: 600,
			errors: 600 * errorRatio,
		});
		const metrics = (errorRatio: number) => ({
			rolloutId: myapp!.id,
			windowMinutes: 5,
			rateWindow: '1m',
			tracks: [{key: 'blue', points: [{t: 0, ...reading(errorRatio)}], now: reading(errorRatio)}],
		});
		const verdict = verdictOf(myapp!, metrics(0.04));
		expect(verdict).toMatchObject({status: 'breached', track: 'blue'});
		expect(healthOf(myapp!, verdict)).toBe('bad');
		expect(healthOf(myapp!, verdictOf(myapp!, undefined))).toBe('ok');
	});
});

describe('plan text', () => {
	const target = {...kinds.configMap, namespace: 'test', name: 'gates'};
	const plan: Plan = {
		action: 'promote',
		rolloutId: 'x/test/podinfo',
		summary: 'promote podinfo',
		changes: true,
		steps: [
			{
				kind: 'call',
				description: 'open the promotion gate',
				service: {namespace: 'test', name: 'flagger-loadtester', port: 80},
				method: 'POST',
				path: '/gate/open',
				body: {name: 'podinfo', namespace: 'test'},
			},
			{
				kind: 'request',
				description: 'clear the pause',
				target,
				subresource: 'status',
				patchType: 'merge',
				body: {status: {pauseConditions: null}},
			},
		],
		audit: {target, reason: 'CutoverPromote', message: 'promoted'},
	};

	it('renders a service-proxy call and a status subresource patch, then the audit Event', () => {
		expect(planLines(plan)).toEqual([
			'promote podinfo',
			'1. open the promotion gate',
			"   POST /gate/open on service/flagger-loadtester:80 -n test (through the API server's service proxy)",
			'   {"name":"podinfo","namespace":"test"}',
			'2. clear the pause',
			'   PATCH configmap/gates -n test --subresource status (merge patch)',
			'   {"status":{"pauseConditions":null}}',
			'then record Event CutoverPromote on configmap/gates',
		]);
	});

	it('records no Event for a plan that changes nothing', () => {
		expect(planLines({...plan, changes: false}).at(-1)).toBe(
			'   {"status":{"pauseConditions":null}}',
		);
	});
});
