/**
 * The sim's Flagger on its own terms: failed metric checks up to the threshold, skipAnalysis,
 * suspend, the seed's spec hashes; the flagger-loadtester's answers; kubectl get canaries.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {templateHash} from '../../source/sim/controllers/template-hash.js';
import {findKubectl, requireBinary, runBinary} from '../helpers/binaries.js';
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

describe('the sim’s Flagger analysis', () => {
	it("stamps the seed Canary's lastTransitionTime when the world starts, as Flagger would have", async () => {
		const before = Date.now() - 1000;
		const cluster = await flaggerCluster();
		try {
			const stamped = Date.parse(canary(cluster).status.lastTransitionTime);
			expect(stamped).toBeGreaterThanOrEqual(before);
			expect(stamped).toBeLessThanOrEqual(Date.now());
		} finally {
			await cluster.stop();
		}
	});

	it('counts failed checks of a canary that errs and rolls back at the threshold', async () => {
		cluster = await flaggerCluster(
			'  ghcr.io/stefanprodan/podinfo:6.0.1: {errorRatio: 0.5, p99Ms: 120}',
		);
		const c = cluster;
		const seen = new Set<number>();
		const watch = setInterval(() => seen.add(canary(c).status.failedChecks), 10);
		await until('the canary to fail', () => canary(c).status.phase === 'Failed', 10_000);
		clearInterval(watch);
		expect([...seen]).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
		const said = messages(c);
		expect(
			said.some((m) => /^Halt podinfo\.test advancement success rate \d+\.\d\d% < 99%$/.test(m)),
		).toBe(true);
		expect(said).toContain('Rolling back podinfo.test failed checks threshold reached 5');
		expect(said).toContain('Canary failed! Scaling down podinfo.test');
		// Flagger's rollback writes SyncStatus{Phase: Failed, CanaryWeight: 0}: the counters reset.
		expect(canary(c).status).toMatchObject({phase: 'Failed', canaryWeight: 0, failedChecks: 0});
		expect(ingressWeight(c)).toBe('0');
		expect(image(c, 'podinfo-primary')).toBe('ghcr.io/stefanprodan/podinfo:6.0.0');
		const warning = c.sim.store
			.list(typeOf('events'), {namespace: 'test'})
			.items.find((e) => (e as {message?: string}).message?.startsWith('Rolling back'));
		expect(warning).toMatchObject({type: 'Warning', reason: 'Synced'});
	});

	it('counts a check without data as failed, as Flagger does for "no values found"', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		c.sim.traffic.stop();
		await until('a failed check', () => canary(c).status.failedChecks >= 2, 5000);
		expect(messages(c)).toContain(
			'Halt advancement no values found for nginx metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found',
		);
	});

	it('promotes right away with skipAnalysis, skipping gates and checks', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		c.sim.store.patch(typeOf('canaries'), 'test', 'podinfo', 'merge', {spec: {skipAnalysis: true}});
		await until('the canary to succeed', () => canary(c).status.phase === 'Succeeded', 5000);
		expect(image(c, 'podinfo-primary')).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
		expect(ingressWeight(c)).toBe('0');
		expect(get(c.sim, 'deployments', 'podinfo', 'test').spec.replicas).toBe(0);
		expect(messages(c)).toContain(
			'Promotion completed! Canary analysis was skipped for podinfo.test',
		);
	});

	it('does nothing while suspended, even with the gate open', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		c.sim.store.patch(typeOf('canaries'), 'test', 'podinfo', 'merge', {spec: {suspend: true}});
		await loadtester(c, '/gate/open');
		await intervals(4);
		expect(canary(c).status).toMatchObject({phase: 'Progressing', canaryWeight: 20});
		expect(ingressWeight(c)).toBe('20');
		expect(messages(c)).toContain('skipping canary run as object is suspended');
	});

	it('initializes a new Canary: creates the primary, scales the target to zero, Initialized', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		const labels = {app: 'web'};
		c.sim.store.create(typeOf('deployments'), 'test', {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'web', labels},
			spec: {
				replicas: 2,
				selector: {matchLabels: labels},
				template: {metadata: {labels}, spec: {containers: [{name: 'web', image: 'web:1.0.0'}]}},
			},
		});
		c.sim.store.create(
			typeOf('canaries'),
			'test',
			{
				apiVersion: 'flagger.app/v1beta1',
				kind: 'Canary',
				metadata: {name: 'web'},
				spec: {
					targetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'},
					service: {port: 80},
					analysis: {interval: '1m', threshold: 2, maxWeight: 50, stepWeight: 10},
				},
			},
			{fromApi: true},
		);
		const web = () => get(c.sim, 'canaries', 'web', 'test');
		await until('web initialized', () => web().status?.phase === 'Initialized', 5000);
		const primary = get(c.sim, 'deployments', 'web-primary', 'test');
		expect(primary.spec.selector.matchLabels).toEqual({app: 'web-primary'});
		expect(primary.spec.template.spec.containers[0].image).toBe('web:1.0.0');
		expect(primary.metadata.ownerReferences?.[0]).toMatchObject({kind: 'Canary', name: 'web'});
		expect(get(c.sim, 'deployments', 'web', 'test').spec.replicas).toBe(0);
		expect(web().status.lastPromotedSpec).toBe(web().status.lastAppliedSpec);
		expect(web().status.conditions[0]).toMatchObject({status: 'True', reason: 'Initialized'});
		expect(messages(c)).toContain('Initialization done! web.test');
	});

	it('starts from the seed’s status: lastAppliedSpec is the target’s template hash', async () => {
		cluster = await flaggerCluster();
		const status = canary(cluster).status;
		const target = get(cluster.sim, 'deployments', 'podinfo', 'test');
		expect(status.lastAppliedSpec).toBe(templateHash(target.spec.template));
		const promoted = structuredClone(target.spec.template);
		promoted.spec.containers[0].image = 'ghcr.io/stefanprodan/podinfo:6.0.0';
		expect(status.lastPromotedSpec).toBe(templateHash(promoted));
	});
});

describe('the sim’s flagger-loadtester', () => {
	it('answers its gate paths as the real one does, through the service proxy', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		expect(await loadtester(c, '/gate/approve')).toEqual({status: 200, text: 'OK'});
		expect(await loadtester(c, '/gate/halt')).toEqual({status: 403, text: 'Forbidden'});
		expect(await loadtester(c, '/gate/check')).toEqual({status: 403, text: 'Forbidden'});
		expect(await loadtester(c, '/gate/open')).toEqual({status: 202, text: ''});
		expect(await loadtester(c, '/gate/check')).toEqual({status: 200, text: 'Approved'});
		// Keyed name.namespace: another canary's gate is still closed.
		expect(await loadtester(c, '/gate/check', {name: 'other', namespace: 'test'})).toEqual({
			status: 403,
			text: 'Forbidden',
		});
		expect(await loadtester(c, '/gate/close')).toEqual({status: 202, text: ''});
		expect((await loadtester(c, '/gate/check')).status).toBe(403);

		expect((await loadtester(c, '/rollback/check')).status).toBe(403);
		expect((await loadtester(c, '/rollback/open')).status).toBe(202);
		expect(await loadtester(c, '/rollback/check')).toEqual({status: 200, text: 'Approved'});
		// The rollback gate has its own key (rollback.podinfo.test).
		expect((await loadtester(c, '/gate/check')).status).toBe(403);
		expect((await loadtester(c, '/rollback/close')).status).toBe(202);
		expect((await loadtester(c, '/rollback/check')).status).toBe(403);
		expect(await loadtester(c, '/healthz', undefined, 'GET')).toEqual({status: 200, text: 'OK'});
	});

	it('routes every other path to its task handler, as Go’s ServeMux routes them to "/"', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		const hook = {name: 'podinfo', namespace: 'test', phase: 'Progressing'};
		expect(
			(await loadtester(c, '/', {...hook, metadata: {type: 'bash', cmd: 'curl ...'}})).status,
		).toBe(200);
		expect((await loadtester(c, '/', {...hook, metadata: {cmd: 'hey -z 1m ...'}})).status).toBe(
			202,
		);
		expect(await loadtester(c, '/', hook)).toEqual({
			status: 400,
			text: 'metadata not found in payload',
		});
		expect(await loadtester(c, '/no/such/path', undefined, 'GET')).toEqual({status: 400, text: ''});
		expect(await loadtester(c, '/x', {...hook, metadata: {type: 'nope'}})).toEqual({
			status: 400,
			text: 'unknown task type nope',
		});
		expect((await loadtester(c, '/gate/check', 'not json')).status).toBe(400);
	});

	it('shares its gates with the sim’s Flagger: an open gate advances the canary', async () => {
		cluster = await flaggerCluster();
		const c = cluster;
		await loadtester(c, '/gate/open');
		await until('weight 30', () => canary(c).status.canaryWeight >= 30, 5000);
		expect(c.sim.loadtesters.isOpen('test/flagger-loadtester', 'podinfo.test')).toBe(true);
	});
});

const kubectl = findKubectl();
const skip = requireBinary('kubectl', kubectl, 'install kubectl 1.27 or newer');
const home = mkdtempSync(join(tmpdir(), 'cutover-flagger-kubectl-'));
afterAll(() => rmSync(home, {recursive: true, force: true}));

async function run(args: string[], kubeconfig: string): Promise<string> {
	const result = await runBinary(kubectl!, args, {kubeconfig, home});
	if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
	return result.stdout;
}

describe.skipIf(skip)('kubectl get canaries', () => {
	it('prints the columns of Flagger’s CRD (wide adds the priority-1 ones)', async () => {
		cluster = await flaggerCluster();
		const plain = await run(['get', 'canaries', '-n', 'test'], cluster.kubeconfig);
		const [header, row] = plain.trim().split('\n');
		expect(header!.split(/\s+/)).toEqual(['NAME', 'STATUS', 'WEIGHT', 'LASTTRANSITIONTIME']);
		expect(row!.split(/\s+/).slice(0, 3)).toEqual(['podinfo', 'Progressing', '20']);
		const wide = await run(['get', 'canaries', '-n', 'test', '-o', 'wide'], cluster.kubeconfig);
		const [wideHeader, wideRow] = wide.trim().split('\n');
		expect(wideHeader!.split(/\s+/)).toEqual([
			'NAME',
			'STATUS',
			'WEIGHT',
			'SUSPENDED',
			'FAILEDCHECKS',
			'INTERVAL',
			'MIRROR',
			'STEPWEIGHT',
			'STEPWEIGHTS',
			'MAXWEIGHT',
			'LASTTRANSITIONTIME',
		]);
		// Unset fields (suspend, mirror, stepWeights) are empty cells.
		expect(wideRow!.split(/\s+/)).toEqual([
			'podinfo',
			'Progressing',
			'20',
			'1',
			'1m',
			'10',
			'50',
			canary(cluster).status.lastTransitionTime,
		]);
		expect(wideRow!.indexOf('1m')).toBe(wideHeader!.indexOf('INTERVAL'));
	});
});
