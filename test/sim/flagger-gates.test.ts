/**
 * The sim's Flagger moving the seed's gated Canary test/podinfo (Progressing at 20, one failed
 * check, every gate closed) through the flagger-loadtester's gates, over HTTP as an operator
 * would open them.
 */
import {afterEach, describe, expect, it} from 'vitest';
import type {TestCluster} from '../helpers/sim-cluster.js';
import {get, typeOf} from '../helpers/sim-cluster.js';
import {
	canary,
	flaggerCluster,
	image,
	ingressWeight,
	intervals,
	loadtester,
	messages,
	until,
} from './flagger-helpers.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
	await cluster?.stop();
	cluster = undefined;
});

describe('the sim’s Flagger, on the seed’s gated canary', () => {
	it('holds at weight 20 while the gates are closed, then advances 30, 40, 50 and promotes once the gate opens', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		await intervals(4);
		expect(canary(c).status).toMatchObject({
			phase: 'Progressing',
			canaryWeight: 20,
			failedChecks: 1,
		});
		expect(ingressWeight(c)).toBe('20');
		expect(messages(c)).toContain(
			'Halt podinfo.test advancement waiting for traffic increase approval traffic increase gate',
		);
		expect(messages(c)).toContain('Rollback hook rollback gate not signaling a rollback');

		const weights = new Set<number>();
		const watch = setInterval(() => weights.add(canary(c).status.canaryWeight), 10);
		// Both gates check /gate/check, keyed podinfo.test: one open lets traffic and promotion pass.
		expect(await loadtester(c, '/gate/open')).toEqual({status: 202, text: ''});
		await until('the canary to succeed', () => canary(c).status.phase === 'Succeeded', 10_000);
		clearInterval(watch);
		expect([...weights]).toEqual(expect.arrayContaining([30, 40, 50]));

		const status = canary(c).status;
		expect(status).toMatchObject({phase: 'Succeeded', canaryWeight: 0, iterations: 0});
		expect(status.lastPromotedSpec).toBe(status.lastAppliedSpec);
		expect(status.conditions).toEqual([
			expect.objectContaining({
				type: 'Promoted',
				status: 'True',
				reason: 'Succeeded',
				message: 'Canary analysis completed successfully, promotion finished.',
			}),
		]);
		expect(image(c, 'podinfo-primary')).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
		expect(
			get(c.sim, 'deployments', 'podinfo-primary', 'test').spec.template.metadata.labels,
		).toEqual({app: 'podinfo-primary'});
		expect(get(c.sim, 'deployments', 'podinfo', 'test').spec.replicas).toBe(0);
		expect(ingressWeight(c)).toBe('0');
		const said = messages(c);
		const order = [
			'Advance podinfo.test canary weight 30',
			'Advance podinfo.test canary weight 40',
			'Advance podinfo.test canary weight 50',
			'Confirm-promotion check promotion gate passed',
			'Copying podinfo.test template spec to podinfo-primary.test',
			'Routing all traffic to primary',
			'Promotion completed! Scaling down podinfo.test',
		].map((message) => said.indexOf(message));
		expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!))).toBe(true);
		const event = c.sim.store
			.list(typeOf('events'), {namespace: 'test'})
			.items.find((e) => (e as {message?: string}).message?.startsWith('Promotion completed!'));
		expect(event).toMatchObject({
			type: 'Normal',
			reason: 'Synced',
			source: {component: 'flagger'},
			involvedObject: {kind: 'Canary', name: 'podinfo', namespace: 'test'},
		});
	});

	it('waits in WaitingPromotion at maxWeight when only the promotion gate is closed', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		// Traffic increases are approved; promotion still asks /gate/check.
		c.sim.store.patch(typeOf('canaries'), 'test', 'podinfo', 'json', [
			{
				op: 'replace',
				path: '/spec/analysis/webhooks/2/url',
				value: 'http://flagger-loadtester.test/gate/approve',
			},
		]);
		await until('WaitingPromotion', () => canary(c).status.phase === 'WaitingPromotion', 10_000);
		// Flagger's SetStatusPhase zeroes the status weight; the Ingress keeps routing 50.
		expect(ingressWeight(c)).toBe('50');
		expect(canary(c).status.canaryWeight).toBe(0);
		expect(canary(c).status.conditions[0]).toMatchObject({
			reason: 'WaitingPromotion',
			message: 'Waiting for approval.',
		});
		expect(messages(c)).toContain(
			'Halt podinfo.test advancement waiting for promotion approval promotion gate',
		);
		await intervals(3);
		expect(canary(c).status.phase).toBe('WaitingPromotion');
		expect(image(c, 'podinfo-primary')).toBe('ghcr.io/stefanprodan/podinfo:6.0.0');

		await loadtester(c, '/gate/open');
		await until('the canary to succeed', () => canary(c).status.phase === 'Succeeded', 10_000);
		expect(image(c, 'podinfo-primary')).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
		expect(ingressWeight(c)).toBe('0');
	});

	it('rolls back when the rollback gate opens: Failed, weight 0, the primary kept on 6.0.0', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		await intervals(2);
		expect(await loadtester(c, '/rollback/open')).toEqual({status: 202, text: ''});
		await until('the canary to fail', () => canary(c).status.phase === 'Failed', 5000);
		const status = canary(c).status;
		expect(status).toMatchObject({phase: 'Failed', canaryWeight: 0});
		expect(status.lastPromotedSpec).not.toBe(status.lastAppliedSpec);
		expect(status.conditions[0]).toMatchObject({
			type: 'Promoted',
			status: 'False',
			reason: 'Failed',
			message: 'Canary analysis failed, Deployment scaled to zero.',
		});
		expect(ingressWeight(c)).toBe('0');
		expect(image(c, 'podinfo-primary')).toBe('ghcr.io/stefanprodan/podinfo:6.0.0');
		expect(get(c.sim, 'deployments', 'podinfo', 'test').spec.replicas).toBe(0);
		expect(messages(c)).toEqual(
			expect.arrayContaining([
				'Rollback check rollback gate passed',
				'Rolling back podinfo.test manual webhook invoked',
				'Canary failed! Scaling down podinfo.test',
			]),
		);
		// Failed stays Failed: the gate is not consulted outside an analysis.
		await intervals(3);
		expect(canary(c).status.phase).toBe('Failed');
	});

	it('starts a new analysis for a new revision of the target, from weight 0', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		await loadtester(c, '/rollback/open');
		await until('the canary to fail', () => canary(c).status.phase === 'Failed', 5000);
		await loadtester(c, '/rollback/close');
		c.sim.store.patch(typeOf('deployments'), 'test', 'podinfo', 'strategic', {
			spec: {
				template: {
					spec: {containers: [{name: 'podinfod', image: 'ghcr.io/stefanprodan/podinfo:6.0.2'}]},
				},
			},
		});
		await until('a new analysis', () => canary(c).status.phase === 'Progressing', 5000);
		expect(canary(c).status).toMatchObject({canaryWeight: 0, failedChecks: 0});
		expect(messages(c)).toContain('New revision detected! Scaling up podinfo.test');
		// Scaled up from zero to the primary's replicas.
		expect(get(c.sim, 'deployments', 'podinfo', 'test').spec.replicas).toBe(2);
		await loadtester(c, '/gate/open');
		await until('weight 10', () => canary(c).status.canaryWeight === 10, 10_000);
		expect(messages(c)).toEqual(
			expect.arrayContaining([
				'Starting canary analysis for podinfo.test',
				'Pre-rollout check acceptance-test passed',
				'Advance podinfo.test canary weight 10',
			]),
		);
	});
});
