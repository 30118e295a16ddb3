import {describe, expect, it} from 'vitest';
import {sliceContentFor, subsetsFor} from '../../source/sim/controllers/endpoint-sets.js';
import type {KubeObject} from '../../source/sim/store.js';

const service: KubeObject = {
	metadata: {name: 'web', namespace: 'default'},
	spec: {
		selector: {app: 'web'},
		ports: [{name: 'http', port: 80, targetPort: 'web', protocol: 'TCP'}],
	},
};

function pod(
	name: string,
	ip: string,
	ready: boolean,
	extra: Partial<KubeObject['metadata']> = {},
): KubeObject {
	return {
		metadata: {name, namespace: 'default', uid: `uid-${name}`, labels: {app: 'web'}, ...extra},
		spec: {
			nodeName: 'sim-node-1',
			containers: [{name: 'app', ports: [{name: 'web', containerPort: 8080}]}],
		},
		status: {
			phase: ready ? 'Running' : 'Pending',
			podIP: ip,
			conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}],
		},
	};
}

describe('what the endpoints controllers compute for a Service', () => {
	const pods = [
		pod('b', '10.244.0.10', true),
		pod('a', '10.244.0.9', true),
		pod('starting', '10.244.0.11', false),
		pod('other', '10.244.0.12', true, {labels: {app: 'other'}}),
	];

	it('Endpoints: Ready pods as addresses in IP order, the starting one not ready, the named port resolved', () => {
		const [subset, ...more] = subsetsFor(service, pods) as Array<
			Record<string, Array<{ip: string}>>
		>;
		expect(more).toEqual([]);
		expect(subset!.addresses!.map((a) => a.ip)).toEqual(['10.244.0.9', '10.244.0.10']);
		expect(subset!.notReadyAddresses!.map((a) => a.ip)).toEqual(['10.244.0.11']);
		expect(subset!.ports).toEqual([{name: 'http', port: 8080, protocol: 'TCP'}]);
	});

	it('EndpointSlice: every pod with its conditions; a terminating one serving but not ready', () => {
		const terminating = pod('going', '10.244.0.13', true, {
			deletionTimestamp: '2026-01-01T00:00:00Z',
		});
		const {endpoints, ports} = sliceContentFor(service, [...pods, terminating]);
		expect(ports).toEqual([{name: 'http', port: 8080, protocol: 'TCP'}]);
		expect(
			(endpoints as Array<{addresses: string[]; conditions: unknown}>).map((e) => [
				e.addresses[0],
				e.conditions,
			]),
		).toEqual([
			['10.244.0.9', {ready: true, serving: true, terminating: false}],
			['10.244.0.10', {ready: true, serving: true, terminating: false}],
			['10.244.0.11', {ready: false, serving: false, terminating: false}],
			['10.244.0.13', {ready: false, serving: true, terminating: true}],
		]);
	});

	it('a Service without a selector gets nothing from the controllers', () => {
		expect(subsetsFor({...service, spec: {...service.spec, selector: undefined}}, pods)).toEqual(
			[],
		);
	});
});
