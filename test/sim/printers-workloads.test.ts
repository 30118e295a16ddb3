import {describe, expect, it} from 'vitest';
import type {KubeObject} from '../../source/sim/table.js';
import {ago, appBlue, cells, columns, h, m, s, template} from './table-helpers.js';

describe('toTable', () => {
	it('prints deployments: ready/desired, wide containers, images and selector', () => {
		expect(columns('deployments')).toEqual([
			'Name',
			'Ready',
			'Up-to-date',
			'Available',
			'Age',
			'Containers*',
			'Images*',
			'Selector*',
		]);
		expect(cells('deployments', appBlue)).toEqual([
			'app-blue',
			'2/3',
			3,
			2,
			'3d4h',
			'app',
			'ghcr.io/example/myapp:1.0.0',
			'app=myapp,version=blue',
		]);
		const withExpressions = {
			...appBlue,
			spec: {
				selector: {
					matchLabels: {app: 'myapp'},
					matchExpressions: [
						{key: 'version', operator: 'In', values: ['green', 'blue']},
						{key: 'canary', operator: 'DoesNotExist'},
					],
				},
			},
			status: {},
		};
		expect(cells('deployments', withExpressions)).toEqual([
			'app-blue',
			'0/1',
			0,
			0,
			'3d4h',
			'',
			'',
			// Requirements sort by key, not by their text.
			'app=myapp,!canary,version in (blue,green)',
		]);
	});

	it('prints replicasets with "<none>" for an empty selector', () => {
		expect(columns('replicasets')).toEqual([
			'Name',
			'Desired',
			'Current',
			'Ready',
			'Age',
			'Containers*',
			'Images*',
			'Selector*',
		]);
		const rs: KubeObject = {
			metadata: {name: 'app-blue-7d9c8', creationTimestamp: ago(90 * s)},
			spec: {
				replicas: 3,
				selector: {matchLabels: {app: 'myapp', 'pod-template-hash': '7d9c8'}},
				template,
			},
			status: {replicas: 3, readyReplicas: 2},
		};
		expect(cells('replicasets', rs)).toEqual([
			'app-blue-7d9c8',
			3,
			3,
			2,
			'90s',
			'app',
			'ghcr.io/example/myapp:1.0.0',
			'app=myapp,pod-template-hash=7d9c8',
		]);
		expect(cells('replicasets', {metadata: {name: 'x'}, spec: {replicas: 0}})?.slice(1)).toEqual([
			0,
			0,
			0,
			'<unknown>',
			'',
			'',
			'<none>',
		]);
	});

	it('prints pods: ready count, waiting reason, restarts with the last restart age', () => {
		expect(columns('pods')).toEqual([
			'Name',
			'Ready',
			'Status',
			'Restarts',
			'Age',
			'IP*',
			'Node*',
			'Nominated Node*',
			'Readiness Gates*',
		]);
		const crashing: KubeObject = {
			metadata: {name: 'app-blue-7d9c8-x2k4p', creationTimestamp: ago(20 * m)},
			spec: {
				nodeName: 'sim-node',
				containers: [{name: 'app', image: 'ghcr.io/example/myapp:1.0.1'}],
			},
			status: {
				phase: 'Running',
				podIP: '10.244.0.12',
				containerStatuses: [
					{
						name: 'app',
						ready: false,
						restartCount: 5,
						state: {waiting: {reason: 'CrashLoopBackOff'}},
						lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: ago(75 * s)}},
					},
				],
			},
		};
		expect(cells('pods', crashing)).toEqual([
			'app-blue-7d9c8-x2k4p',
			'0/1',
			'CrashLoopBackOff',
			'5 (75s ago)',
			'20m',
			'10.244.0.12',
			'sim-node',
			'<none>',
			'<none>',
		]);
		const running: KubeObject = {
			metadata: {name: 'p', creationTimestamp: ago(5 * h + 30 * m)},
			spec: {
				containers: [{name: 'app'}, {name: 'proxy'}],
				readinessGates: [{conditionType: 'x/ready'}],
			},
			status: {
				phase: 'Running',
				podIPs: [{ip: '10.244.0.13'}],
				conditions: [{type: 'x/ready', status: 'True'}],
				containerStatuses: [
					{name: 'app', ready: true, restartCount: 0, state: {running: {}}},
					{name: 'proxy', ready: true, restartCount: 0, state: {running: {}}},
				],
			},
		};
		expect(cells('pods', running)).toEqual([
			'p',
			'2/2',
			'Running',
			'0',
			'5h30m',
			'10.244.0.13',
			'<none>',
			'<none>',
			'1/1',
		]);
		const terminating = {...running, metadata: {...running.metadata, deletionTimestamp: ago(s)}};
		expect(cells('pods', terminating)?.[2]).toBe('Terminating');
		const pending: KubeObject = {
			metadata: {name: 'q'},
			spec: {initContainers: [{name: 'migrate'}], containers: [{name: 'app'}]},
			status: {
				phase: 'Pending',
				initContainerStatuses: [{name: 'migrate', restartCount: 0, state: {running: {}}}],
				containerStatuses: [
					{
						name: 'app',
						ready: false,
						restartCount: 0,
						state: {waiting: {reason: 'PodInitializing'}},
					},
				],
			},
		};
		expect(cells('pods', pending)?.slice(0, 5)).toEqual(['q', '0/1', 'Init:0/1', '0', '<unknown>']);
		const oomKilled = {
			...crashing,
			status: {
				phase: 'Running',
				containerStatuses: [
					{name: 'app', restartCount: 0, state: {terminated: {exitCode: 137, reason: 'OOMKilled'}}},
				],
			},
		};
		expect(cells('pods', oomKilled)?.slice(1, 4)).toEqual(['0/1', 'OOMKilled', '0']);
	});
});
