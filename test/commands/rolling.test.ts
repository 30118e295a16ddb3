/**
 * A plain rolling update, as most Deployments are: made and changed with the real kubectl
 * against the sim, watched and undone with cutover's subcommands, and read back with kubectl.
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runAction} from '../../source/commands/act.js';
import type {CommandError} from '../../source/commands/exit-codes.js';
import {runStatus} from '../../source/commands/status.js';
import {loadScenario} from '../../source/sim/scenario.js';
import {findKubectl, requireBinary} from '../helpers/binaries.js';
import {
	collector,
	nonTtyInput,
	startCluster,
	type TestCluster,
	typeOf,
	until,
} from '../helpers/sim-cluster.js';

const kubectl = findKubectl();
const home = mkdtempSync(join(tmpdir(), 'cutover-rolling-'));
afterAll(() => rmSync(home, {recursive: true, force: true}));

type Rolling = {
	name: string;
	strategy: string;
	phase: string;
	health: string;
	facts: Array<{label: string; value: string}>;
	tracks: Array<{key: string; title: string; side: string; images: string[]; weight: number}>;
	actions: Array<{action: string; available: boolean; reason?: string}>;
};

describe.skipIf(requireBinary('kubectl', kubectl, 'install kubectl 1.27 or newer'))(
	'a rolling update made with kubectl, undone with cutover',
	() => {
		let cluster: TestCluster;
		const k = (args: string[]) =>
			new Promise<string>((resolve, reject) =>
				execFile(
					kubectl!,
					args,
					{env: {...process.env, KUBECONFIG: cluster.kubeconfig, HOME: home}, timeout: 20_000},
					(error, stdout, stderr) =>
						error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
				),
			);
		const status = async (): Promise<Rolling> => {
			const out = collector();
			await runStatus({kubeconfig: cluster.kubeconfig, namespace: 'default', json: true}, out);
			const {rollouts} = JSON.parse(out.text()) as {rollouts: Rolling[]};
			return rollouts.find((r) => r.name === 'web')!;
		};
		const act = (action: string, extra: Record<string, unknown> = {}) =>
			runAction(
				{
					kubeconfig: cluster.kubeconfig,
					namespace: 'default',
					action,
					name: 'web',
					yes: true,
					dryRun: false,
					force: false,
					actor: 'oncall@test',
					...extra,
				},
				{out: collector(), input: nonTtyInput()},
			);
		const image = () =>
			k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);

		beforeAll(async () => {
			// web:broken's pods never become Ready: a stuck rollout.
			const seed = loadScenario('seed');
			const broken = {...seed.behaviours['*']!, readyDelaySeconds: 3600};
			cluster = await startCluster({
				scenario: {...seed, behaviours: {...seed.behaviours, 'web:broken': broken}},
			});
			// `kubectl create deployment` sends protobuf and `create -f` validates against OpenAPI, neither
			// of which the sim serves (yet): a manifest, unvalidated.
			const manifest = join(home, 'web.yaml');
			writeFileSync(
				manifest,
				[
					'apiVersion: apps/v1',
					'kind: Deployment',
					'metadata: {name: web, namespace: default, labels: {app: web}}',
					'spec:',
					'  replicas: 2',
					'  selector: {matchLabels: {app: web}}',
					'  template:',
					'    metadata: {labels: {app: web}}',
					'    spec: {containers: [{name: web, image: "web:1.0.0"}]}',
				].join('\n'),
			);
			await k(['create', '--validate=false', '-f', manifest]);
			await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
		}, 45_000);
		afterAll(async () => cluster?.stop());

		it('a Deployment no other pattern claims is a rolling rollout, by revision', async () => {
			const web = await status();
			expect(web).toMatchObject({strategy: 'rolling', phase: 'Complete', health: 'ok'});
			expect(web.tracks).toEqual([
				expect.objectContaining({title: 'REVISION 1', side: 'candidate', images: ['web:1.0.0']}),
			]);
			for (const action of ['undo', 'rollback'])
				expect(web.actions.find((a) => a.action === action)).toEqual({
					action,
					available: false,
					reason: 'no previous revision to return to',
				});
		});

		it('kubectl set image: both ReplicaSets by revision, then undo returns the old image, as kubectl history says', async () => {
			await k(['set', 'image', 'deployment/web', 'web=web:1.1.0']);
			await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
			const web = await status();
			expect(web.tracks.map((t) => [t.title, t.side, t.images[0]])).toEqual([
				['REVISION 1', 'baseline', 'web:1.0.0'],
				['REVISION 2', 'candidate', 'web:1.1.0'],
			]);
			expect(web.facts).toContainEqual(expect.objectContaining({label: 'revision', value: '2'}));
			expect(await act('undo')).toBe(0);
			expect(await image()).toBe('web:1.0.0');
			await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
			// kubectl agrees: revision 1 came back as revision 3.
			const history = await k(['rollout', 'history', 'deployment/web']);
			expect(history.match(/^\d+ /gm)?.map((r) => r.trim())).toEqual(['2', '3']);
			const after = await status();
			expect(after.tracks.map((t) => [t.title, t.images[0]])).toEqual([
				['REVISION 2', 'web:1.1.0'],
				['REVISION 3', 'web:1.0.0'],
			]);
			const events = cluster.sim.store
				.peek(typeOf('events'), {namespace: 'default'})
				.filter((e) => (e as {reason?: string}).reason === 'CutoverUndo')
				.map((e) => (e as {message?: string}).message);
			expect(events).toEqual(['undone to revision 1 on default/web by oncall@test']);
		});

		it('undo --to-revision returns to the one named; one that is not there is a usage error', async () => {
			const missing = await act('undo', {toRevision: '9'}).catch((e: CommandError) => e);
			expect(missing).toMatchObject({
				exitCode: 2,
				message: 'cannot undo web: no revision 9 (it has 3, 2)',
			});
			expect(await act('undo', {toRevision: '2'})).toBe(0);
			expect(await image()).toBe('web:1.1.0');
			await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
			expect(await act('undo', {toRevision: '3'})).toBe(0);
			expect(await image()).toBe('web:1.0.0');
			await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
		});

		it('pause holds it (Paused), undo is refused until resumed, resume lets it go on', async () => {
			expect(await act('pause')).toBe(0);
			await until('Paused', async () => (await status()).phase === 'Paused', 10_000);
			const refused = await act('undo').catch((e: CommandError) => e);
			expect((refused as CommandError).message).toMatch(/paused: resume \(Z\) first/);
			expect(await act('resume')).toBe(0);
			await until('not paused', async () => (await status()).phase !== 'Paused', 10_000);
		});

		it('a version whose pods never get ready is stuck once its progress deadline passes', async () => {
			cluster.sim.store.patch(typeOf('deployments'), 'default', 'web', 'merge', {
				spec: {progressDeadlineSeconds: 2},
			});
			await k(['set', 'image', 'deployment/web', 'web=web:broken']);
			const web = await until(
				'stuck',
				async () => {
					const s = await status();
					return s.phase === 'Stuck' ? s : undefined;
				},
				15_000,
			);
			expect(web.health).toBe('bad');
			expect(web.facts).toContainEqual({
				label: 'stuck',
				value: expect.stringMatching(/has timed out progressing/),
				tone: 'bad',
			});
			// The way out is the rollback every pattern has (r): the undo to the previous revision.
			expect(web.actions.find((a) => a.action === 'rollback')?.available).toBe(true);
			expect(await act('rollback')).toBe(0);
			expect(await image()).toBe('web:1.0.0');
			const events = cluster.sim.store
				.peek(typeOf('events'), {namespace: 'default'})
				.filter((e) => (e as {reason?: string}).reason === 'CutoverRollback')
				.map((e) => (e as {message?: string}).message);
			expect(events).toEqual([
				expect.stringMatching(/^rolled back to revision \d+ on default\/web by oncall@test$/),
			]);
		}, 30_000);
	},
);
