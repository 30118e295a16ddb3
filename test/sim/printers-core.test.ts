import {describe, expect, it} from 'vitest';
import type {KubeObject} from '../../source/sim/table.js';
import {ago, cells, columns, d, h, m, s} from './table-helpers.js';

describe('toTable', () => {
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
});
