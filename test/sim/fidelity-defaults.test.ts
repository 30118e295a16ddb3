import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {findKubectl, type Ran, requireBinary, runBinary} from '../helpers/binaries.js';

const kubectl = findKubectl();
const skip = requireBinary(
	'kubectl',
	kubectl,
	'install kubectl 1.33 (https://kubernetes.io/docs/tasks/tools/), or the machine image that ships it',
);

const tmp = mkdtempSync(join(tmpdir(), 'cutover-defaults-'));
let sim: Sim;
let kubeconfig: string;

beforeAll(async () => {
	sim = await startSim({port: 0});
	kubeconfig = join(tmp, 'kubeconfig');
	writeFileSync(kubeconfig, sim.kubeconfig, {mode: 0o600});
});
afterAll(async () => {
	await sim?.stop();
	rmSync(tmp, {recursive: true, force: true});
});

type Result = Ran;

function k(args: string[]): Promise<Result> {
	return runBinary(kubectl!, args, {kubeconfig, home: tmp});
}

async function ok(args: string[]): Promise<string> {
	const result = await k(args);
	if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
	return result.stdout;
}

/** A manifest with only what a person writes: everything else is the API server's. */
function manifest(name: string, body: object): string {
	const file = join(tmp, `${name}.json`);
	writeFileSync(file, JSON.stringify(body));
	return file;
}

const bareService = (name: string, extra: object = {}) => ({
	apiVersion: 'v1',
	kind: 'Service',
	metadata: {name, namespace: 'default'},
	spec: {selector: {app: name}, ports: [{port: 80}], ...extra},
});

describe.skipIf(skip)('kubectl create reads back the defaults a real API server fills in', () => {
	it('a bare Service gets ClusterIP, an allocated address, IPv4 and TCP ports', async () => {
		await ok(['create', '-f', manifest('svc-a', bareService('bare-a'))]);
		const spec = JSON.parse(await ok(['get', 'svc', 'bare-a', '-o', 'json'])).spec;
		expect(spec).toMatchObject({
			type: 'ClusterIP',
			sessionAffinity: 'None',
			ipFamilies: ['IPv4'],
			ipFamilyPolicy: 'SingleStack',
			internalTrafficPolicy: 'Cluster',
			ports: [{port: 80, protocol: 'TCP', targetPort: 80}],
		});
		expect(spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
		expect(spec.clusterIPs).toEqual([spec.clusterIP]);
	});

	it('two Services get different addresses, and get svc shows each in CLUSTER-IP', async () => {
		await ok(['create', '-f', manifest('svc-b', bareService('bare-b'))]);
		const ipOf = async (name: string) =>
			JSON.parse(await ok(['get', 'svc', name, '-o', 'json'])).spec.clusterIP as string;
		const [a, b] = [await ipOf('bare-a'), await ipOf('bare-b')];
		expect(a).not.toBe(b);
		const table = (await ok(['get', 'svc', 'bare-b'])).trim().split('\n');
		const header = table[0]!.split(/\s{2,}/);
		const cells = table[1]!.split(/\s{2,}/);
		expect(cells[header.indexOf('CLUSTER-IP')]).toBe(b);
	});

	it('an explicit address is kept, a taken one is refused, a headless Service stays None', async () => {
		await ok([
			'create',
			'-f',
			manifest('svc-c', bareService('bare-c', {clusterIP: '10.96.200.7'})),
		]);
		const c = JSON.parse(await ok(['get', 'svc', 'bare-c', '-o', 'json'])).spec;
		expect(c.clusterIPs).toEqual(['10.96.200.7']);

		const taken = await k([
			'create',
			'-f',
			manifest('svc-d', bareService('bare-d', {clusterIP: '10.96.200.7'})),
		]);
		expect(taken.code).not.toBe(0);
		expect(taken.stderr).toContain('provided IP is already allocated');

		await ok(['create', '-f', manifest('svc-e', bareService('bare-e', {clusterIP: 'None'}))]);
		const e = JSON.parse(await ok(['get', 'svc', 'bare-e', '-o', 'json'])).spec;
		expect(e.clusterIP).toBe('None');
		expect(e.clusterIPs).toEqual(['None']);
	});

	it('session affinity and external Services get their defaults; None drops a sent config', async () => {
		const specOf = async (name: string, extra: object) => {
			await ok(['create', '-f', manifest(`svc-${name}`, bareService(name, extra))]);
			return JSON.parse(await ok(['get', 'svc', name, '-o', 'json'])).spec;
		};
		const sticky = await specOf('sticky', {sessionAffinity: 'ClientIP'});
		expect(sticky.sessionAffinityConfig).toEqual({clientIP: {timeoutSeconds: 10800}});
		const none = await specOf('unsticky', {
			sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}},
		});
		expect(none).not.toHaveProperty('sessionAffinityConfig');
		const balanced = await specOf('balanced', {type: 'LoadBalancer'});
		expect(balanced).toMatchObject({
			externalTrafficPolicy: 'Cluster',
			allocateLoadBalancerNodePorts: true,
			internalTrafficPolicy: 'Cluster',
		});
		const internal = await specOf('internal', {});
		expect(internal).not.toHaveProperty('externalTrafficPolicy');
		expect(internal).not.toHaveProperty('allocateLoadBalancerNodePorts');
	});

	it('a bare Deployment gets the apps/v1 and pod template defaults', async () => {
		const file = manifest('deploy', {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'bare', namespace: 'default'},
			spec: {
				selector: {matchLabels: {app: 'bare'}},
				template: {
					metadata: {labels: {app: 'bare'}},
					spec: {
						containers: [
							{name: 'latest', image: 'nginx', ports: [{containerPort: 80}]},
							{
								name: 'pinned',
								image: 'registry.local:5000/app:1.2',
								readinessProbe: {httpGet: {port: 8080}, timeoutSeconds: 5},
							},
						],
					},
				},
			},
		});
		await ok(['create', '-f', file]);
		const spec = JSON.parse(await ok(['get', 'deploy', 'bare', '-o', 'json'])).spec;
		expect(spec).toMatchObject({
			replicas: 1,
			revisionHistoryLimit: 10,
			progressDeadlineSeconds: 600,
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
		});
		expect(spec.template.spec).toMatchObject({
			restartPolicy: 'Always',
			dnsPolicy: 'ClusterFirst',
			schedulerName: 'default-scheduler',
			securityContext: {},
			terminationGracePeriodSeconds: 30,
		});
		const [latest, pinned] = spec.template.spec.containers;
		expect(latest).toMatchObject({
			imagePullPolicy: 'Always',
			terminationMessagePath: '/dev/termination-log',
			terminationMessagePolicy: 'File',
			ports: [{containerPort: 80, protocol: 'TCP'}],
		});
		expect(pinned.imagePullPolicy).toBe('IfNotPresent');
		expect(pinned.readinessProbe).toEqual({
			httpGet: {port: 8080, path: '/', scheme: 'HTTP'},
			timeoutSeconds: 5,
			periodSeconds: 10,
			successThreshold: 1,
			failureThreshold: 3,
		});
	});

	it('a Pod gets enableServiceLinks, which its Deployment template does not; a Namespace its name label and Active', async () => {
		await ok([
			'create',
			'-f',
			manifest('pod', {
				apiVersion: 'v1',
				kind: 'Pod',
				metadata: {name: 'bare-pod', namespace: 'default'},
				spec: {containers: [{name: 'app', image: 'nginx:1.27'}]},
			}),
		]);
		const pod = JSON.parse(await ok(['get', 'pod', 'bare-pod', '-o', 'json'])).spec;
		expect(pod.enableServiceLinks).toBe(true);
		const template = JSON.parse(await ok(['get', 'deploy', 'bare', '-o', 'json'])).spec.template;
		expect(template.spec).not.toHaveProperty('enableServiceLinks');

		await ok([
			'create',
			'-f',
			manifest('ns', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'bare-ns'}}),
		]);
		const ns = JSON.parse(await ok(['get', 'ns', 'bare-ns', '-o', 'json']));
		expect(ns.metadata.labels).toEqual({'kubernetes.io/metadata.name': 'bare-ns'});
		expect(ns.status).toEqual({phase: 'Active'});
	});
});
