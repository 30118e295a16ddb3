import {describe, expect, it} from 'vitest';
import {type KubeObject, toTable} from '../../source/sim/table.js';
import {ago, cells, columns, d, m, s} from './table-helpers.js';

describe('toTable', () => {
	it('prints a Flagger Canary with the CRD printer columns', () => {
		expect(columns('canaries')).toEqual([
			'Name',
			'Status',
			'Weight',
			'Suspended*',
			'FailedChecks*',
			'Interval*',
			'Mirror*',
			'StepWeight*',
			'StepWeights*',
			'MaxWeight*',
			'LastTransitionTime',
		]);
		const canary: KubeObject = {
			apiVersion: 'flagger.app/v1beta1',
			kind: 'Canary',
			metadata: {name: 'myapp', creationTimestamp: ago(d)},
			spec: {
				targetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'myapp'},
				analysis: {interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10},
			},
			status: {
				phase: 'Progressing',
				canaryWeight: 20,
				failedChecks: 1,
				iterations: 0,
				lastTransitionTime: '2025-06-01T11:58:00Z',
			},
		};
		expect(cells('canaries', canary)).toEqual([
			'myapp',
			'Progressing',
			'20',
			null,
			'1',
			'1m',
			null,
			'10',
			null,
			'50',
			'2025-06-01T11:58:00Z',
		]);
		const steps = {
			...canary,
			spec: {suspend: true, analysis: {stepWeights: [5, 10, 25], mirror: false}},
		};
		expect(cells('canaries', steps)?.slice(3, 10)).toEqual([
			true,
			'1',
			null,
			false,
			null,
			'[5,10,25]',
			null,
		]);
		const description = toTable('canaries', [], '').columnDefinitions[1]?.description;
		expect(description).toBe(
			'Custom resource definition column (in JSONPath format): .status.phase',
		);
	});

	it('prints an Argo Rollout with the CRD printer columns', () => {
		expect(columns('rollouts')).toEqual([
			'Name',
			'Desired',
			'Current',
			'Up-to-date',
			'Available',
			'Age',
		]);
		const rollout: KubeObject = {
			metadata: {name: 'myapp', creationTimestamp: ago(7 * m + 5 * s)},
			spec: {replicas: 5},
			status: {replicas: 6, updatedReplicas: 2, availableReplicas: 5},
		};
		expect(cells('rollouts', rollout)).toEqual(['myapp', 5, 6, 2, 5, '7m5s']);
		expect(cells('rollouts', {metadata: {name: 'new'}, spec: {replicas: 1}})).toEqual([
			'new',
			1,
			null,
			null,
			null,
			null,
		]);
	});
});
