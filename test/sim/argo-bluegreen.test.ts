/**
 * The sim's Argo Rollouts on a blueGreen Rollout modelled on the plugin's fixture
 * (autoPromotionEnabled: false), and `kubectl get rollouts` printing the CRD's columns.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {findKubectl, type Ran, requireBinary, runBinary} from '../helpers/binaries.js';
import {get, type TestCluster} from '../helpers/sim-cluster.js';
import {
	argoCluster,
	blueGreenObjects,
	condition,
	patch,
	phase,
	replicaSets,
	rollout,
	until,
} from './argo-helpers.js';

const kubectl = findKubectl();
const skipKubectl = requireBinary(
	'kubectl',
	kubectl,
	'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/)',
);

let cluster: TestCluster;
beforeEach(async () => {
	cluster = await argoCluster(blueGreenObjects);
});
afterEach(async () => {
	await cluster.stop();
});

const name = 'bluegreen-demo';
const selector = (service: string) =>
	get(cluster.sim, 'services', service, 'argo').spec.selector['rollouts-pod-template-hash'];

describe('a blueGreen Rollout', () => {
	it('starts Healthy on its first ReplicaSet, both Services on it', async () => {
		const ro = await phase(cluster, 'Healthy', name);
		const hash: string = ro.status.currentPodHash;
		expect(ro.status.stableRS).toBe(hash);
		expect(ro.status.blueGreen).toEqual({activeSelector: hash, previewSelector: hash});
		expect(ro.status.selector).toBe(`app=bluegreen-demo,rollouts-pod-template-hash=${hash}`);
		expect(selector('bluegreen-demo')).toBe(hash);
		expect(selector('bluegreen-demo-preview')).toBe(hash);
		expect(replicaSets(cluster, name)).toEqual({
			[`${name}-${hash}`]: {replicas: 3, revision: '1'},
		});
		expect(condition(ro, 'Available')?.status).toBe('True');
	});

	it('a new template goes to preview, pauses (BlueGreenPause), and promote switches the active Service', async () => {
		const before = (await phase(cluster, 'Healthy', name)).status.currentPodHash as string;
		await patch(
			cluster,
			{
				spec: {
					template: {spec: {containers: [{name, image: 'argoproj/rollouts-demo:green'}]}},
				},
			},
			{name},
		);
		let ro = await phase(cluster, 'Paused', name);
		const hash: string = ro.status.currentPodHash;
		expect(hash).not.toBe(before);
		expect(ro.status.message).toBe('BlueGreenPause');
		expect(ro.status.controllerPause).toBe(true);
		expect(ro.status.pauseConditions).toMatchObject([{reason: 'BlueGreenPause'}]);
		expect(ro.status.blueGreen).toEqual({activeSelector: before, previewSelector: hash});
		expect(ro.status.stableRS).toBe(before);
		expect(selector('bluegreen-demo')).toBe(before);
		expect(selector('bluegreen-demo-preview')).toBe(hash);
		expect(replicaSets(cluster, name)).toEqual({
			[`${name}-${before}`]: {replicas: 3, revision: '1'},
			[`${name}-${hash}`]: {replicas: 3, revision: '2'},
		});

		await patch(cluster, {status: {pauseConditions: null}}, {status: true, name});
		ro = await phase(cluster, 'Healthy', name);
		expect(ro.status.blueGreen).toEqual({activeSelector: hash, previewSelector: hash});
		expect(ro.status.stableRS).toBe(hash);
		expect(ro.status.controllerPause).toBeUndefined();
		expect(selector('bluegreen-demo')).toBe(hash);
		// The old ReplicaSet stays up for scaleDownDelaySeconds (30 s, scaled), then goes.
		expect(replicaSets(cluster, name)[`${name}-${before}`]?.replicas).toBe(3);
		await until(
			'the old ReplicaSet to be scaled down',
			() => replicaSets(cluster, name)[`${name}-${before}`]?.replicas === 0,
		);
	});

	it('abort keeps the active Service on the stable ReplicaSet and points preview back at it', async () => {
		const before = (await phase(cluster, 'Healthy', name)).status.currentPodHash as string;
		await patch(
			cluster,
			{spec: {template: {spec: {containers: [{name, image: 'argoproj/rollouts-demo:red'}]}}}},
			{name},
		);
		const hash = (await phase(cluster, 'Paused', name)).status.currentPodHash as string;
		await patch(cluster, {status: {abort: true}}, {status: true, name});
		const ro = await phase(cluster, 'Degraded', name);
		expect(ro.status.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
		expect(ro.status.blueGreen).toEqual({activeSelector: before, previewSelector: before});
		expect(selector('bluegreen-demo')).toBe(before);
		await until(
			'the preview ReplicaSet to be scaled down',
			() => replicaSets(cluster, name)[`${name}-${hash}`]?.replicas === 0,
		);
	});
});

function run(args: string[]): Promise<Ran> {
	return runBinary(kubectl!, args, {kubeconfig: cluster.kubeconfig, home: cluster.dir});
}

describe.skipIf(skipKubectl)('kubectl get rollouts', () => {
	it('prints the CRD columns, following the Rollouts', async () => {
		await patch(cluster, {status: {promoteFull: true}}, {status: true});
		await phase(cluster, 'Healthy', name);
		await until('rollouts-demo to be promoted with only its new pods', () => {
			const status = rollout(cluster).status;
			return status.phase === 'Healthy' && status.replicas === 3;
		});
		const out = await run(['get', 'rollouts', '-n', 'argo']);
		expect(out.stderr).toBe('');
		const rows = out.stdout
			.trim()
			.split('\n')
			.map((line) => line.trim().split(/\s+/));
		expect(rows[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
		expect(rows.slice(1).map((row) => row.slice(0, 5))).toEqual([
			['bluegreen-demo', '3', '3', '3', '3'],
			['rollouts-demo', '3', '3', '3', '3'],
		]);
	});
});

describe.skipIf(skipKubectl)('kubectl get analysisruns', () => {
	it("serves AnalysisRuns (cutover reads their measurements) with the CRD's STATUS column", async () => {
		const response = await fetch(
			`${cluster.sim.url}/apis/argoproj.io/v1alpha1/namespaces/argo/analysisruns`,
			{
				method: 'POST',
				headers: {'Content-Type': 'application/json'},
				body: JSON.stringify({
					apiVersion: 'argoproj.io/v1alpha1',
					kind: 'AnalysisRun',
					metadata: {name: 'rollouts-demo-54c9b9c6f4-2', namespace: 'argo'},
					spec: {metrics: [{name: 'web', provider: {web: {url: 'http://example/'}}}]},
				}),
			},
		);
		expect(response.status).toBe(201);
		await fetch(
			`${cluster.sim.url}/apis/argoproj.io/v1alpha1/namespaces/argo/analysisruns/rollouts-demo-54c9b9c6f4-2/status`,
			{
				method: 'PATCH',
				headers: {'Content-Type': 'application/merge-patch+json'},
				body: JSON.stringify({
					status: {phase: 'Running', metricResults: [{name: 'web', phase: 'Running', count: 1}]},
				}),
			},
		);
		const out = await run(['get', 'analysisruns', '-n', 'argo']);
		expect(out.stderr).toBe('');
		const rows = out.stdout
			.trim()
			.split('\n')
			.map((line) => line.trim().split(/\s+/));
		expect(rows[0]).toEqual(['NAME', 'STATUS', 'AGE']);
		expect(rows[1]!.slice(0, 2)).toEqual(['rollouts-demo-54c9b9c6f4-2', 'Running']);
	});
});
