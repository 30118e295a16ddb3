import {describe, expect, it} from 'vitest';
import {rolloutProgress} from '../../source/core/conditions.js';
import {kinds} from '../../source/core/kinds.js';
import {deploymentTrack} from '../../source/core/workloads.js';
import {type DeploymentStatus, deployment} from '../fixtures/blue-green.js';

function app(status: DeploymentStatus & {conditions?: unknown[]}, generation = 2) {
	const object = deployment({
		name: 'app-green',
		labels: {app: 'myapp', version: 'green'},
		image: 'myapp:1.2.0',
		generation,
	});
	object.status = {...object.status, ...status};
	return object;
}

const track = {
	key: 'green',
	title: 'GREEN',
	side: 'candidate',
	serving: false,
	weight: 0,
	series: {},
} as const;

describe('the one rolled-out rule (kubectl rollout status), for detection and for waits', () => {
	it.for([
		['settled', {}, true],
		['spec not yet seen by the controller', {observedGeneration: 1}, false],
		['fewer updated than desired', {updatedReplicas: 2}, false],
		['old pods still running beside the new ones', {replicas: 4}, false],
		['new pods not yet available', {availableReplicas: 2}, false],
	] as const)(
		'%s: done is %s, and the track says rolling out exactly when not done',
		([, status, done]) => {
			const object = app({observedGeneration: 2, ...status});
			expect(rolloutProgress(object).done).toBe(done);
			expect(deploymentTrack(object, track).rollingOut).toBe(!done);
		},
	);

	it('a progress deadline exceeded is a failure a wait reports, not a wait until timeout', () => {
		const progress = rolloutProgress(
			app({
				observedGeneration: 2,
				updatedReplicas: 1,
				availableReplicas: 2,
				conditions: [
					{
						type: 'Progressing',
						status: 'False',
						reason: 'ProgressDeadlineExceeded',
						message: 'ReplicaSet "app-green-7d9" has timed out progressing.',
					},
				],
			}),
		);
		expect(progress).toMatchObject({
			done: false,
			failed: 'ReplicaSet "app-green-7d9" has timed out progressing.',
			detail: 'updated 1/3, ready 3/3',
		});
	});

	it('counts what the status says, for the plan wait and the track card alike', () => {
		const object = app({
			observedGeneration: 2,
			updatedReplicas: 2,
			readyReplicas: 3,
			availableReplicas: 3,
		});
		expect(rolloutProgress(object).replicas).toEqual({
			desired: 3,
			updated: 2,
			ready: 3,
			available: 3,
		});
		expect(deploymentTrack(object, track).workload).toEqual({
			...kinds.deployment,
			namespace: 'default',
			name: 'app-green',
		});
	});
});
