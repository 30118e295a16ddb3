/**
 * At most once: a write whose answer is lost (the sim handles it, then cuts the connection, as
 * a hung or restarted API server or a load balancer can) is never sent again, and is never called
 * failed by guess: the target is read back and the cluster says whether it landed.
 */

import {KubeConfig} from '@kubernetes/client-node';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {applyPlan, type Progress} from '../../source/cluster/apply.js';
import {KubeClient} from '../../source/cluster/client.js';
import {runAction} from '../../source/commands/act.js';
import type {CommandError} from '../../source/commands/exit-codes.js';
import type {Plan} from '../../source/core/types.js';
import {
	collector,
	liveVersion,
	nonTtyInput,
	settled,
	startCluster,
	type TestCluster,
	typeOf,
} from '../helpers/sim-cluster.js';

const servicePath = '/api/v1/namespaces/default/services/myapp';
let cluster: TestCluster;
let log: string[];

beforeEach(async () => {
	log = [];
	cluster = await startCluster({log: (line) => log.push(line)});
	await settled(cluster.sim);
});

afterEach(async () => {
	await cluster.stop();
});

function patches(): string[] {
	return log.filter((line) => line.startsWith(`PATCH ${servicePath}`));
}

function events(reason: string) {
	return cluster.sim.store
		.peek(typeOf('events'), {namespace: 'default'})
		.filter((e) => e.reportingComponent === 'cutover' && e.reason === reason);
}

/** `cutover switch myapp --yes`: its exit code or its error, and what it printed. */
async function switchMyapp(): Promise<{code?: number; error?: CommandError; text: string}> {
	const out = collector();
	const outcome = await runAction(
		{
			kubeconfig: cluster.kubeconfig,
			action: 'switch',
			name: 'myapp',
			yes: true,
			dryRun: false,
			actor: 'alice@bastion-1',
		},
		{out, input: nonTtyInput()},
	).then(
		(code) => ({code}),
		(reason: unknown) => ({error: reason as CommandError}),
	);
	return {...outcome, text: out.text()};
}

describe('a switch whose answer is lost', () => {
	it('is read back, reported applied, audited once, and sent once', async () => {
		cluster.sim.api.faults.add({method: 'PATCH', path: servicePath, loseAnswer: true, times: 1});
		const {code, text} = await switchMyapp();
		expect(code).toBe(0);
		expect(text).toContain('the answer was lost, and Service myapp shows the change applied');
		expect(text).toContain('an answer was lost; the cluster, read back, shows it applied');
		expect(liveVersion(cluster.sim)).toBe('green');
		expect(patches()).toEqual([`PATCH ${servicePath} answer lost`]);
		expect(events('CutoverSwitch')).toHaveLength(1);
	});

	it('that did not land says so, changes nothing and is not sent again', async () => {
		// The connection is cut before the sim handles the PATCH: cutover cannot know that.
		cluster.sim.api.faults.add({method: 'PATCH', path: servicePath, dropConnection: true});
		const {error, text} = await switchMyapp();
		expect(error, text).toBeDefined();
		if (!error) return;
		expect(error.exitCode).toBe(1);
		expect(error.message).toMatch(
			/^outcome unknown: cannot reach the API server at .*: the connection was reset \(ECONNRESET\); Service myapp shows it was not applied: nothing was changed, and it was not sent again$/,
		);
		expect(error.message).not.toMatch(/failed/);
		expect(liveVersion(cluster.sim)).toBe('blue');
		expect(events('CutoverSwitch')).toEqual([]);
		// The fault stays armed: a second PATCH would have been cut too, and logged nowhere.
		const faults = cluster.sim.api.faults as unknown as {active: unknown[]};
		expect(faults.active).toHaveLength(1);
	});
});

describe('a switch answered 504 (the API server gave up waiting on its storage)', () => {
	it('is not called failed: the cluster is read back and says it was not applied', async () => {
		cluster.sim.api.faults.add({method: 'PATCH', path: servicePath, status: 504, times: 1});
		const {error} = await switchMyapp();
		expect(error?.message).toBe(
			'outcome unknown: the API server timed out on patch services in namespace default (504): injected fault: Timeout; Service myapp shows it was not applied: nothing was changed, and it was not sent again',
		);
		expect(liveVersion(cluster.sim)).toBe('blue');
		expect(patches()).toHaveLength(1);
	});
});

describe("the audit Event's answer lost", () => {
	const eventsPath = '/api/v1/namespaces/default/events';
	it('is read back: recorded, said so, and not sent again', async () => {
		cluster.sim.api.faults.add({method: 'POST', path: eventsPath, loseAnswer: true, times: 1});
		const {code, text} = await switchMyapp();
		expect(code).toBe(0);
		expect(text).not.toContain('could not be recorded');
		expect(events('CutoverSwitch')).toHaveLength(1);
		expect(log.filter((line) => line.startsWith(`POST ${eventsPath}`))).toHaveLength(1);
	});

	it('cut before it landed says the Event is missing, and the switch done', async () => {
		cluster.sim.api.faults.add({method: 'POST', path: eventsPath, dropConnection: true, times: 1});
		const {code, text} = await switchMyapp();
		expect(code).toBe(0);
		expect(liveVersion(cluster.sim)).toBe('green');
		expect(text).toMatch(/done \(the audit Event was not recorded: .*read back, it is not there\)/);
		expect(events('CutoverSwitch')).toEqual([]);
	});
});

describe('a switch answered 409 Conflict', () => {
	it('is refused as changed since looked at: nothing changed, not sent again, no Event', async () => {
		cluster.sim.api.faults.add({method: 'PATCH', path: servicePath, status: 409, times: 1});
		const {error} = await switchMyapp();
		expect(error?.exitCode).toBe(4);
		expect(error?.message).toMatch(/changed since|conflict/i);
		expect(error?.message).not.toMatch(/outcome unknown/);
		expect(liveVersion(cluster.sim)).toBe('blue');
		expect(patches()).toHaveLength(1);
		expect(events('CutoverSwitch')).toEqual([]);
	});
});

describe('applyPlan with a lost answer', () => {
	function plan(): Plan {
		const target = {
			group: '',
			version: 'v1',
			plural: 'services',
			kind: 'Service',
			namespace: 'default',
			name: 'myapp',
		};
		return {
			action: 'switch',
			rolloutId: 'default/myapp',
			summary: 'switch myapp from BLUE to GREEN',
			changes: true,
			steps: [
				{
					kind: 'request',
					description: 'point Service myapp at version=green',
					target,
					patchType: 'json',
					body: [
						{op: 'test', path: '/spec/selector/version', value: 'blue'},
						{op: 'replace', path: '/spec/selector/version', value: 'green'},
					],
				},
			],
			audit: {target, reason: 'CutoverSwitch', message: 'switched default/myapp to green'},
		};
	}

	function client(): KubeClient {
		const config = new KubeConfig();
		config.loadFromFile(cluster.kubeconfig);
		return new KubeClient(config);
	}

	it('that cannot be read back says to look before acting again, and is not sent again', async () => {
		cluster.sim.api.faults.add({method: 'PATCH', path: servicePath, loseAnswer: true, times: 1});
		cluster.sim.api.faults.add({method: 'GET', path: servicePath, status: 503});
		const seen: Progress[] = [];
		const result = await applyPlan(client(), plan(), {
			confirmWithinMs: 1200,
			onProgress: (p) => seen.push(p),
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toMatch(
			/^outcome unknown: .*; Service myapp could not be read back to see whether it landed \(the API server answered 503 .*\): check with kubectl get services myapp -n default -o yaml before acting again \(it was not sent again\)$/,
		);
		// It did land: the engineer is told to look, not that it failed.
		expect(liveVersion(cluster.sim)).toBe('green');
		expect(patches()).toHaveLength(1);
		expect(events('CutoverSwitch')).toEqual([]);
		expect(seen.some((p) => p.detail?.includes('reading Service myapp back'))).toBe(true);
	});

	it('of a merge patch compares its fields, not its resourceVersion precondition', async () => {
		cluster.sim.api.faults.add({method: 'PATCH', path: servicePath, loseAnswer: true, times: 1});
		const rv = cluster.sim.store.get(typeOf('services'), 'default', 'myapp')?.metadata
			.resourceVersion;
		const merge = plan();
		merge.steps[0] = {
			...(merge.steps[0] as Extract<Plan['steps'][number], {kind: 'request'}>),
			patchType: 'merge',
			body: {metadata: {resourceVersion: rv}, spec: {selector: {version: 'green'}}},
		};
		const result = await applyPlan(client(), merge, {confirmWithinMs: 1200});
		expect(result).toEqual({
			ok: true,
			summary:
				'switch myapp from BLUE to GREEN: done (an answer was lost; the cluster, read back, shows it applied)',
		});
		expect(events('CutoverSwitch')).toHaveLength(1);
	});
});
