import {describe, expect, it} from 'vitest';
import {acceptsTable, humanDuration, type KubeObject, toTable} from '../../source/sim/table.js';

const now = new Date('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

/** The one row's cells, the way kubectl receives them. */
const cells = (resource: string, object: KubeObject) =>
	toTable(resource, [object], '1', {now}).rows[0]?.cells;
const columns = (resource: string) =>
	toTable(resource, [], '1').columnDefinitions.map((c) => `${c.name}${c.priority ? '*' : ''}`);

const template = {
	metadata: {labels: {app: 'myapp', version: 'blue'}},
	spec: {containers: [{name: 'app', image: 'ghcr.io/example/myapp:1.0.0'}]},
};

const appBlue: KubeObject = {
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'app-blue', namespace: 'demo', creationTimestamp: ago(3 * d + 4 * h)},
	spec: {
		replicas: 3,
		selector: {matchLabels: {version: 'blue', app: 'myapp'}},
		template,
	},
	status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2},
};

describe('toTable', () => {
	it('answers a meta.k8s.io/v1 Table with partial object metadata by default', () => {
		const table = toTable('deployments', [appBlue], '42', {now});
		expect(table.kind).toBe('Table');
		expect(table.apiVersion).toBe('meta.k8s.io/v1');
		expect(table.metadata).toEqual({resourceVersion: '42'});
		expect(table.columnDefinitions[0]).toMatchObject({
			name: 'Name',
			type: 'string',
			format: 'name',
			priority: 0,
		});
		expect(table.rows[0]?.object).toEqual({
			kind: 'PartialObjectMetadata',
			apiVersion: 'meta.k8s.io/v1',
			metadata: appBlue.metadata,
		});
		expect(
			toTable('deployments', [appBlue], '42', {includeObject: 'Object'}).rows[0]?.object,
		).toEqual(appBlue);
		// kubectl --sort-by decodes the full objects, so they need their kind and apiVersion.
		const bare = {metadata: {name: 'bare'}};
		expect(toTable('pods', [bare], '42', {includeObject: 'Object'}).rows[0]?.object).toEqual({
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: 'bare'},
		});
		expect(
			toTable('deployments', [appBlue], '42', {includeObject: 'None'}).rows[0],
		).not.toHaveProperty('object');
		expect(toTable('deployments', [], '7').rows).toEqual([]);
	});

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

	it('prints services: type, cluster IP, external IP, ports and the sorted selector', () => {
		expect(columns('services')).toEqual([
			'Name',
			'Type',
			'Cluster-IP',
			'External-IP',
			'Port(s)',
			'Age',
			'Selector*',
		]);
		const myapp: KubeObject = {
			metadata: {name: 'myapp', creationTimestamp: ago(45 * m)},
			spec: {
				type: 'ClusterIP',
				clusterIP: '10.96.0.20',
				clusterIPs: ['10.96.0.20'],
				selector: {version: 'blue', app: 'myapp'},
				ports: [{port: 80, targetPort: 8080, protocol: 'TCP'}],
			},
		};
		expect(cells('services', myapp)).toEqual([
			'myapp',
			'ClusterIP',
			'10.96.0.20',
			'<none>',
			'80/TCP',
			'45m',
			'app=myapp,version=blue',
		]);
		const nodePort = {
			...myapp,
			spec: {type: 'NodePort', clusterIP: '10.96.0.21', ports: [{port: 80, nodePort: 30080}]},
		};
		expect(cells('services', nodePort)).toEqual([
			'myapp',
			'NodePort',
			'10.96.0.21',
			'<none>',
			'80:30080/TCP',
			'45m',
			'<none>',
		]);
		const lb = {...myapp, spec: {...(myapp.spec as object), type: 'LoadBalancer'}};
		expect(cells('services', lb)?.[3]).toBe('<pending>');
		const lbReady = {
			...lb,
			status: {loadBalancer: {ingress: [{hostname: 'lb.example.com'}, {ip: '203.0.113.9'}]}},
		};
		expect(cells('services', lbReady)?.[3]).toBe('203.0.113.9,lb.example.com');
		const headless = {metadata: {name: 'h'}, spec: {clusterIP: 'None', clusterIPs: ['None']}};
		expect(cells('services', headless)?.slice(1, 5)).toEqual([
			'ClusterIP',
			'None',
			'<none>',
			'<none>',
		]);
	});

	it('prints ingresses: class, hosts, address and ports', () => {
		expect(columns('ingresses')).toEqual(['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
		const canary: KubeObject = {
			metadata: {
				name: 'myapp-canary',
				creationTimestamp: ago(2 * h),
				annotations: {
					'nginx.ingress.kubernetes.io/canary': 'true',
					'nginx.ingress.kubernetes.io/canary-weight': '20',
				},
			},
			spec: {
				ingressClassName: 'nginx',
				rules: [{host: 'myapp.example.com', http: {paths: [{path: '/', pathType: 'Prefix'}]}}],
			},
			status: {loadBalancer: {ingress: [{ip: '192.168.49.2'}]}},
		};
		expect(cells('ingresses', canary)).toEqual([
			'myapp-canary',
			'nginx',
			'myapp.example.com',
			'192.168.49.2',
			'80',
			'120m',
		]);
		const bare = {metadata: {name: 'bare'}, spec: {rules: [{http: {}}], tls: [{hosts: ['a']}]}};
		expect(cells('ingresses', bare)).toEqual(['bare', '<none>', '*', '', '80, 443', '<unknown>']);
		const many = {
			metadata: {name: 'many'},
			spec: {rules: ['a', 'b', '', 'c', 'd'].map((host) => ({host}))},
		};
		// The real printer counts every rule after the first three, hostless ones included.
		expect(cells('ingresses', many)?.[2]).toBe('a,b,c + 2 more...');
	});

	it('prints namespaces, configmaps and endpoints', () => {
		expect(cells('namespaces', {metadata: {name: 'demo', creationTimestamp: ago(10 * d)}})).toEqual(
			['demo', 'Active', '10d'],
		);
		expect(
			cells('namespaces', {metadata: {name: 'old'}, status: {phase: 'Terminating'}})?.[1],
		).toBe('Terminating');
		expect(columns('configmaps')).toEqual(['Name', 'Data', 'Age']);
		expect(
			cells('configmaps', {
				metadata: {name: 'cfg', creationTimestamp: ago(3 * m)},
				data: {a: '1', b: '2'},
				binaryData: {c: ''},
			}),
		).toEqual(['cfg', 3, '3m']);
		const endpoints: KubeObject = {
			metadata: {name: 'myapp', creationTimestamp: ago(30 * s)},
			subsets: [
				{
					addresses: ['10.244.0.1', '10.244.0.2', '10.244.0.3', '10.244.0.4'].map((ip) => ({ip})),
					ports: [{port: 8080}],
				},
			],
		};
		expect(cells('endpoints', endpoints)).toEqual([
			'myapp',
			'10.244.0.1:8080,10.244.0.2:8080,10.244.0.3:8080 + 1 more...',
			'30s',
		]);
		expect(cells('endpoints', {metadata: {name: 'none'}})?.[1]).toBe('<none>');
	});

	it('prints core events with the lowercased object and wide source, first seen, count, name', () => {
		expect(columns('events')).toEqual([
			'Last Seen',
			'Type',
			'Reason',
			'Object',
			'Subobject*',
			'Source*',
			'Message',
			'First Seen*',
			'Count*',
			'Name*',
		]);
		const event: KubeObject = {
			metadata: {name: 'app-blue.17a1b2c3', creationTimestamp: ago(10 * m)},
			involvedObject: {kind: 'Deployment', name: 'app-blue', namespace: 'demo'},
			reason: 'ScalingReplicaSet',
			message: 'Scaled up replica set app-blue-7d9c8 to 3\n',
			source: {component: 'deployment-controller'},
			firstTimestamp: ago(10 * m),
			lastTimestamp: ago(4 * m),
			count: 2,
			type: 'Normal',
		};
		expect(cells('events', event)).toEqual([
			'4m',
			'Normal',
			'ScalingReplicaSet',
			'deployment/app-blue',
			'',
			'deployment-controller',
			'Scaled up replica set app-blue-7d9c8 to 3',
			'10m',
			2,
			'app-blue.17a1b2c3',
		]);
		const newApi: KubeObject = {
			metadata: {name: 'e2'},
			involvedObject: {kind: 'Pod', name: 'p', fieldPath: 'spec.containers{app}'},
			eventTime: ago(30 * s),
			reportingComponent: 'kubelet',
			reportingInstance: 'sim-node',
			type: 'Warning',
			reason: 'BackOff',
			message: 'Back-off restarting failed container',
		};
		expect(cells('events', newApi)).toEqual([
			'30s',
			'Warning',
			'BackOff',
			'pod/p',
			'spec.containers{app}',
			'kubelet, sim-node',
			'Back-off restarting failed container',
			'30s',
			1,
			'e2',
		]);
	});

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

	it('falls back to Name and Age for anything else', () => {
		const table = toTable(
			'analysisruns',
			[{metadata: {name: 'run-1', creationTimestamp: ago(2 * d + 3 * h)}}],
			'1',
			{now},
		);
		expect(table.columnDefinitions.map((c) => [c.name, c.type, c.format])).toEqual([
			['Name', 'string', 'name'],
			['Age', 'date', ''],
		]);
		expect(table.rows[0]?.cells).toEqual(['run-1', '2d3h']);
	});
});

describe('humanDuration', () => {
	it.each([
		[-2 * s, '<invalid>'],
		[-1999, '0s'],
		[-s, '0s'],
		[0, '0s'],
		[999, '0s'],
		[90 * s, '90s'],
		[2 * m - 1, '119s'],
		[2 * m, '2m'],
		[2 * m + 30 * s, '2m30s'],
		[3 * m, '3m'],
		[10 * m - 1, '9m59s'],
		[10 * m, '10m'],
		[2 * h, '120m'],
		[3 * h - 1, '179m'],
		[3 * h, '3h'],
		[3 * h + 5 * m, '3h5m'],
		[8 * h - 1, '7h59m'],
		[8 * h, '8h'],
		[48 * h - 1, '47h'],
		[48 * h, '2d'],
		[50 * h, '2d2h'],
		[8 * d - 1, '7d23h'],
		[8 * d, '8d'],
		[730 * d - 1, '729d'],
		[730 * d, '2y'],
		[731 * d, '2y1d'],
		[8 * 365 * d - 1, '7y364d'],
		[8 * 365 * d, '8y'],
		[20 * 365 * d, '20y'],
	])('%d ms is %s', (ms, text) => {
		expect(humanDuration(ms)).toBe(text);
	});
});

describe('acceptsTable', () => {
	it('accepts the header kubectl get sends', () => {
		expect(
			acceptsTable(
				'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
			),
		).toBe(true);
		expect(acceptsTable('application/json; as=Table; v=v1beta1; g=meta.k8s.io')).toBe(true);
	});

	it('refuses plain JSON and other transformations', () => {
		expect(acceptsTable('application/json')).toBe(false);
		expect(acceptsTable(undefined)).toBe(false);
		expect(acceptsTable('')).toBe(false);
		expect(acceptsTable('application/json;as=Table;v=v2;g=meta.k8s.io')).toBe(false);
		expect(acceptsTable('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io')).toBe(
			false,
		);
	});
});
