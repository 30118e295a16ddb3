/**
 * The sim's Argo Rollouts on the seed's canary argo/rollouts-demo (nginx traffic routing, paused
 * at step 1 `pause: {}` after setWeight 20), moved by the merge patches the kubectl plugin sends.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {loadScenario} from '../../source/sim/scenario.js';
import type {KubeObject} from '../../source/sim/store.js';
import {get, type TestCluster, typeOf} from '../helpers/sim-cluster.js';
import {
	argoCluster,
	condition,
	ingressWeight,
	patch,
	phase,
	replicaSets,
	rollout,
	until,
} from './argo-helpers.js';

const stableHash = '687d76d795';
const canaryHash = '54c9b9c6f4';
const seedRollout = loadScenario('seed').objects.find((o) => o.kind === 'Rollout') as KubeObject;

let cluster: TestCluster;
beforeEach(async () => {
	cluster = await argoCluster();
});
afterEach(async () => {
	await cluster.stop();
});

/** Every canary weight the Ingress takes from now on, in order. */
function weights(): string[] {
	const seen: string[] = [];
	cluster.sim.store.watch(
		typeOf('ingresses'),
		cluster.sim.store.resourceVersion,
		{namespace: 'argo'},
		(_, ingress) => {
			if (ingress.metadata.name !== 'rollouts-demo-rollouts-demo-canary') return;
			const weight = ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'];
			if (weight !== undefined && seen.at(-1) !== weight) seen.push(weight);
		},
	);
	return seen;
}

/** Every (step index, phase) the Rollout goes through from now on, in order. */
function steps(): string[] {
	const seen: string[] = [];
	cluster.sim.store.watch(
		typeOf('rollouts'),
		cluster.sim.store.resourceVersion,
		{namespace: 'argo'},
		(_, ro) => {
			if (ro.metadata.name !== 'rollouts-demo') return;
			const entry = `${ro.status?.currentStepIndex} ${ro.status?.phase}`;
			if (seen.at(-1) !== entry) seen.push(entry);
		},
	);
	return seen;
}

const promote = () => patch(cluster, {status: {pauseConditions: null}}, {status: true});

describe('the seed canary argo/rollouts-demo', () => {
	it("stamps the seed's pause with the time its world started, as Argo would have", async () => {
		await until('the stamp', () => rollout(cluster).status.pauseConditions?.[0]?.startTime);
		const stamped = Date.parse(rollout(cluster).status.pauseConditions[0].startTime);
		// Started with this test's world, not a fixed date years ago.
		expect(Date.now() - stamped).toBeLessThan(60_000);
		expect(stamped).toBeLessThanOrEqual(Date.now());
		expect(rollout(cluster).status).toMatchObject({phase: 'Paused', currentStepIndex: 1});
	});

	it('stays as the seed has it: paused at step 1, weight 20, its ReplicaSets adopted', async () => {
		await new Promise((resolve) => setTimeout(resolve, 300));
		const ro = rollout(cluster);
		// As the seed has it, but for the pause's start: the time its world started.
		const {pauseConditions, ...rest} = ro.status;
		const {pauseConditions: seedPause, ...seedRest} = seedRollout.status;
		expect(rest).toEqual(seedRest);
		expect(pauseConditions).toEqual([{...seedPause[0], startTime: expect.any(String)}]);
		expect(ingressWeight(cluster)).toBe('20');
		expect(replicaSets(cluster)).toEqual({
			[`rollouts-demo-${stableHash}`]: {replicas: 3, revision: '1'},
			[`rollouts-demo-${canaryHash}`]: {replicas: 1, revision: '2'},
		});
		expect(cluster.sim.store.peek(typeOf('pods'), {namespace: 'argo'})).toHaveLength(4);
	});

	it('promote walks the remaining steps to Healthy: 40, timed pauses, 60, 80, then stable', async () => {
		const seenWeights = weights();
		const seenSteps = steps();
		await promote();
		const ro = await phase(cluster, 'Healthy');
		expect(seenWeights).toEqual(['40', '60', '80', '100', '0']);
		// Each timed pause (steps 3, 5, 7) paused the Rollout, and resumed itself.
		for (const index of [3, 5, 7]) expect(seenSteps).toContain(`${index} Paused`);
		expect(ro.status.stableRS).toBe(canaryHash);
		expect(ro.status.currentPodHash).toBe(canaryHash);
		expect(ro.status.currentStepIndex).toBe(8);
		expect(ro.status.pauseConditions).toBeUndefined();
		expect(ro.status.controllerPause).toBeUndefined();
		expect(ro.status.message).toBeUndefined();
		expect(ro.status.canary.weights.canary).toEqual({
			weight: 0,
			serviceName: 'rollouts-demo-canary',
			podTemplateHash: canaryHash,
		});
		expect(condition(ro, 'Progressing')).toMatchObject({
			status: 'True',
			reason: 'NewReplicaSetAvailable',
		});
		expect(condition(ro, 'Paused')).toBeUndefined();
		expect(ingressWeight(cluster)).toBe('0');
		expect(get(cluster.sim, 'services', 'rollouts-demo-stable', 'argo').spec.selector).toEqual({
			app: 'rollouts-demo',
			'rollouts-pod-template-hash': canaryHash,
		});
		// The old stable ReplicaSet goes after the (scaled) scaleDownDelaySeconds.
		await until('the old stable ReplicaSet to be scaled down', () => {
			const sets = replicaSets(cluster);
			return sets[`rollouts-demo-${stableHash}`]?.replicas === 0 &&
				sets[`rollouts-demo-${canaryHash}`]?.replicas === 3
				? sets
				: undefined;
		});
		await until(
			'the Rollout to count only the new pods',
			() => rollout(cluster).status.replicas === 3,
		);
		const done = rollout(cluster).status;
		expect([done.updatedReplicas, done.readyReplicas, done.availableReplicas]).toEqual([3, 3, 3]);
	});

	it('promote of an unpaused canary mid-step sets the next step index', async () => {
		await promote();
		await until('the timed pause at step 3', () => rollout(cluster).status.currentStepIndex === 3);
		await patch(cluster, {status: {pauseConditions: null, currentStepIndex: 4}}, {status: true});
		await phase(cluster, 'Healthy');
	});

	it('promote --full goes straight to the end', async () => {
		const seenWeights = weights();
		await patch(cluster, {status: {promoteFull: true}}, {status: true});
		const ro = await phase(cluster, 'Healthy');
		expect(seenWeights).toEqual(['100', '0']);
		expect(ro.status.stableRS).toBe(canaryHash);
		expect(ro.status.promoteFull).toBeUndefined();
		expect(ingressWeight(cluster)).toBe('0');
	});

	it('abort drops the weight to 0, Degraded with RolloutAborted; promote leaves it aborted; retry restarts', async () => {
		await patch(cluster, {status: {abort: true}}, {status: true});
		let ro = await phase(cluster, 'Degraded');
		expect(ro.status.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
		expect(condition(ro, 'Progressing')).toMatchObject({
			status: 'False',
			reason: 'RolloutAborted',
			message: 'Rollout aborted update to revision 2',
		});
		expect(ro.status.abort).toBe(true);
		expect(Date.parse(ro.status.abortedAt)).not.toBeNaN();
		expect(ro.status.currentStepIndex).toBe(0);
		expect(ro.status.pauseConditions).toBeUndefined();
		expect(ro.status.stableRS).toBe(stableHash);
		expect(ingressWeight(cluster)).toBe('0');
		expect(ro.status.canary.weights.canary.weight).toBe(0);
		await until('the canary ReplicaSet to be scaled down', () => {
			const sets = replicaSets(cluster);
			return sets[`rollouts-demo-${canaryHash}`]?.replicas === 0 &&
				sets[`rollouts-demo-${stableHash}`]?.replicas === 3
				? sets
				: undefined;
		});

		// Argo accepts a promote of an aborted Rollout and does nothing with it.
		await promote();
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(rollout(cluster).status.phase).toBe('Degraded');
		expect(ingressWeight(cluster)).toBe('0');

		await patch(cluster, {status: {abort: false}}, {status: true});
		ro = await until('the retried Rollout to pause at step 1 again', () => {
			const now = rollout(cluster);
			return now.status.phase === 'Paused' && now.status.currentStepIndex === 1 ? now : undefined;
		});
		expect(ro.status.message).toBe('CanaryPauseStep');
		expect(ro.status.abortedAt).toBeUndefined();
		expect(ro.status.abort).toBeUndefined();
		expect(ingressWeight(cluster)).toBe('20');
		expect(replicaSets(cluster)[`rollouts-demo-${canaryHash}`]?.replicas).toBe(1);
	});

	it('spec.paused pauses ("manually paused") and unpausing returns to the pause step', async () => {
		await patch(cluster, {spec: {paused: true}});
		let ro = await until('the manual pause', () => {
			const now = rollout(cluster);
			return now.status.message === 'manually paused' &&
				now.status.observedGeneration === String(now.metadata.generation)
				? now
				: undefined;
		});
		expect(ro.status.phase).toBe('Paused');
		expect(ro.metadata.generation).toBe(2);
		expect(condition(ro, 'Paused')?.status).toBe('True');
		await patch(cluster, {spec: {paused: false}});
		ro = await until('the step pause again', () => {
			const now = rollout(cluster);
			return now.status.message === 'CanaryPauseStep' &&
				now.status.observedGeneration === String(now.metadata.generation)
				? now
				: undefined;
		});
		expect(ro.status.currentStepIndex).toBe(1);
		expect(ingressWeight(cluster)).toBe('20');
	});

	it('a new image makes a new ReplicaSet at revision 3 and starts the steps again', async () => {
		await patch(cluster, {
			spec: {
				template: {
					spec: {containers: [{name: 'rollouts-demo', image: 'argoproj/rollouts-demo:green'}]},
				},
			},
		});
		const ro = await until('the new revision to pause at step 1', () => {
			const now = rollout(cluster);
			return now.status.currentPodHash !== canaryHash &&
				now.status.phase === 'Paused' &&
				now.status.currentStepIndex === 1
				? now
				: undefined;
		});
		const hash: string = ro.status.currentPodHash;
		expect(ro.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
		expect(ro.status.stableRS).toBe(stableHash);
		expect(ro.status.canary.weights.canary).toEqual({
			weight: 20,
			serviceName: 'rollouts-demo-canary',
			podTemplateHash: hash,
		});
		const rs = get(cluster.sim, 'replicasets', `rollouts-demo-${hash}`, 'argo');
		expect(rs.metadata.labels?.['rollouts-pod-template-hash']).toBe(hash);
		expect(rs.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
		expect(rs.spec.template.spec.containers[0].image).toBe('argoproj/rollouts-demo:green');
		expect(get(cluster.sim, 'services', 'rollouts-demo-canary', 'argo').spec.selector).toEqual({
			app: 'rollouts-demo',
			'rollouts-pod-template-hash': hash,
		});
		await until('the revision 2 ReplicaSet to be scaled down', () => {
			const sets = replicaSets(cluster);
			return (
				sets[`rollouts-demo-${canaryHash}`]?.replicas === 0 &&
				sets[`rollouts-demo-${hash}`]?.replicas === 1 &&
				sets[`rollouts-demo-${stableHash}`]?.replicas === 3
			);
		});
		const pods = cluster.sim.store
			.peek(typeOf('pods'), {namespace: 'argo'})
			.filter((pod) => pod.metadata.labels?.['rollouts-pod-template-hash'] === hash);
		expect(pods).toHaveLength(1);
		// The traffic model sends the canary's 20 % to the new ReplicaSet's pod.
		const routes = cluster.sim.traffic.routes().filter((r) => r.entry.name === 'rollouts-demo');
		const canaryRoute = routes.find((r) => r.service === 'rollouts-demo-canary');
		expect(canaryRoute?.share).toBeCloseTo(0.2);
		expect(canaryRoute?.pods.map((pod) => pod.metadata.name)).toEqual(
			pods.map((pod) => pod.metadata.name),
		);
		const stableRoute = routes.find((r) => r.service === 'rollouts-demo-stable');
		expect(stableRoute?.share).toBeCloseTo(0.8);
		expect(stableRoute?.pods).toHaveLength(3);
	});
});
