import {describe, expect, it} from 'vitest';
import {allocatePodIp} from '../../source/sim/controllers/pod-network.js';
import {resourceTypes} from '../../source/sim/resources.js';
import {Store} from '../../source/sim/store.js';

const pods = resourceTypes.find((t) => t.plural === 'pods')!;

describe('pod IPs', () => {
	it('are never one a pod of the scenario already holds', () => {
		const store = new Store();
		store.create(resourceTypes.find((t) => t.plural === 'namespaces')!, undefined, {
			metadata: {name: 'default'},
		});
		const held = ['10.244.0.12', '10.244.0.13', '10.244.0.15'];
		for (const [i, ip] of held.entries()) {
			store.create(pods, 'default', {
				metadata: {name: `given-${i}`},
				spec: {containers: [{name: 'app', image: 'app:1'}]},
				status: {phase: 'Running', podIP: ip, podIPs: [{ip}]},
			});
		}
		const given = Array.from({length: 500}, () => allocatePodIp(store));
		for (const ip of held) expect(given).not.toContain(ip);
		expect(new Set(given).size).toBe(500);
		for (const ip of given) expect(ip).toMatch(/^10\.244\.\d{1,3}\.\d{1,3}$/);
		expect(given.slice(0, 2)).toEqual(['10.244.0.14', '10.244.0.16']);
	});
});
