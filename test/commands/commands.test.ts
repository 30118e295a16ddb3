import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {type ActOptions, runAction} from '../../source/commands/act.js';
import {CommandError} from '../../source/commands/exit-codes.js';
import {runStatus} from '../../source/commands/status.js';
import {
	collector,
	get,
	liveVersion,
	nonTtyInput,
	settled,
	startCluster,
	type TestCluster,
	typeOf,
	until,
	writeTempFile,
} from '../helpers/sim-cluster.js';

const root = join(import.meta.dirname, '../..');
const actor = 'alice@bastion-1';

let cluster: TestCluster;

beforeEach(async () => {
	cluster = await startCluster();
	await settled(cluster.sim);
});

afterEach(async () => {
	await cluster.stop();
});

async function act(
	options: Partial<ActOptions> & Pick<ActOptions, 'action' | 'name'>,
	c: TestCluster = cluster,
) {
	const out = collector();
	const run = runAction(
		{kubeconfig: c.kubeconfig, yes: false, dryRun: false, actor, ...options},
		{out, input: nonTtyInput()},
	);
	return {out, run};
}

/** Runs an action that must fail; returns its CommandError and what it printed. */
async function failing(
	options: Partial<ActOptions> & Pick<ActOptions, 'action' | 'name'>,
	c: TestCluster = cluster,
): Promise<{error: CommandError; text: string}> {
	const {out, run} = await act(options, c);
	const error = await run.then(
		(code) => {
			throw new Error(`expected ${options.action} to fail, it exited ${code}:\n${out.text()}`);
		},
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(CommandError);
	return {error: error as CommandError, text: out.text()};
}

function cutoverEvents(c: TestCluster = cluster) {
	return c.sim.store
		.peek(typeOf('events'), {namespace: 'default'})
		.filter((e) => e.reportingComponent === 'cutover');
}

function rv(c: TestCluster = cluster): string | undefined {
	return get(c.sim, 'services', 'myapp').metadata.resourceVersion;
}

type StatusJson = {
	rollouts: Array<{
		namespace: string;
		name: string;
		strategy: string;
		phase: string;
		tracks: Array<{
			key: string;
			title: string;
			side: string;
			serving: boolean;
			color?: string;
			workload: string;
			images: string[];
			replicas: {desired: number; updated: number; ready: number};
			weight: number;
		}>;
		actions: Array<{action: string; available: boolean; reason?: string}>;
	}>;
};

async function statusJson(): Promise<StatusJson> {
	const out = collector();
	expect(await runStatus({kubeconfig: cluster.kubeconfig, json: true}, out)).toBe(0);
	return JSON.parse(out.text()) as StatusJson;
}

describe('cutover status', () => {
	it('--json reports myapp: BLUE active on app-blue at 100, GREEN standby at 0', async () => {
		const {rollouts} = await statusJson();
		expect(rollouts.map((r) => `${r.namespace}/${r.name}`)).toEqual(['default/myapp']);
		const [myapp] = rollouts;
		expect(myapp).toMatchObject({strategy: 'service-selector', phase: 'Healthy'});
		expect(myapp!.tracks).toEqual([
			expect.objectContaining({
				key: 'blue',
				title: 'BLUE',
				side: 'baseline',
				serving: true,
				color: 'blue',
				workload: 'app-blue',
				images: ['myapp:1.0.0'],
				replicas: {desired: 3, updated: 3, ready: 3},
				weight: 100,
			}),
			expect.objectContaining({
				key: 'green',
				title: 'GREEN',
				side: 'candidate',
				serving: false,
				color: 'green',
				workload: 'app-green',
				images: ['myapp:1.1.0'],
				replicas: {desired: 3, updated: 3, ready: 3},
				weight: 0,
			}),
		]);
		expect(myapp!.actions.find((a) => a.action === 'switch')).toEqual({
			action: 'switch',
			available: true,
		});
	});

	it('prints a table with BLUE live, and says when a name is unknown (exit 3)', async () => {
		const out = collector();
		await runStatus({kubeconfig: cluster.kubeconfig, json: false}, out);
		expect(out.text()).toMatch(/^NAMESPACE\s+NAME\s+STRATEGY\s+TRAFFIC\s+PHASE\s+GUARD\s+TRACKS$/m);
		expect(out.text()).toMatch(
			/^default\s+myapp\s+service-selector\s+BLUE live\s+Healthy\s+no data\s+BLUE app-blue myapp:1\.0\.0 3\/3 \| GREEN app-green myapp:1\.1\.0 3\/3$/m,
		);
		const missing = await runStatus(
			{kubeconfig: cluster.kubeconfig, json: false, name: 'nope'},
			collector(),
		).catch((error: unknown) => error);
		expect(missing).toBeInstanceOf(CommandError);
		expect((missing as CommandError).exitCode).toBe(3);
	});
});

describe('cutover switch / rollback', () => {
	it('switch --yes smoke-tests green, flips the selector and records an Event', async () => {
		const {out, run} = await act({action: 'switch', name: 'myapp', yes: true});
		expect(await run).toBe(0);
		expect(liveVersion(cluster.sim)).toBe('green');
		const text = out.text();
		expect(text).toContain('switch myapp from BLUE to GREEN');
		expect(text).toContain('only if the live color is still "blue"');
		expect(text).toMatch(
			/✔ GET \/health on every ready pod of app-green \(GREEN\): 3\/3 pods answered \/health with 200/,
		);
		expect(text).toContain('✔ point Service myapp at version=green');
		expect(text).toContain('switch myapp from BLUE to GREEN: done');
		const events = await until('the audit Event', () => {
			const found = cutoverEvents();
			return found.length > 0 ? found : undefined;
		});
		expect(events).toHaveLength(1);
		const [event] = events;
		expect(event).toMatchObject({
			reason: 'CutoverSwitch',
			type: 'Normal',
			reportingComponent: 'cutover',
			involvedObject: {kind: 'Service', name: 'myapp', namespace: 'default'},
		});
		expect(event!.message).toBe(
			`switched default/myapp from blue (myapp:1.0.0) -> green (myapp:1.1.0) by ${actor}`,
		);
		expect((event!.involvedObject as {uid?: string}).uid).toBe(
			get(cluster.sim, 'services', 'myapp').metadata.uid,
		);
	});

	it('rollback --yes brings blue back, without a smoke test, reason CutoverRollback', async () => {
		expect(await (await act({action: 'switch', name: 'myapp', yes: true})).run).toBe(0);
		expect(liveVersion(cluster.sim)).toBe('green');
		const {out, run} = await act({action: 'rollback', name: 'myapp', yes: true});
		expect(await run).toBe(0);
		expect(liveVersion(cluster.sim)).toBe('blue');
		expect(out.text()).toContain('roll back myapp from GREEN to BLUE');
		expect(out.text()).not.toContain('/health');
		const rollback = cutoverEvents().find((e) => e.reason === 'CutoverRollback');
		expect(rollback?.message).toBe(
			`rolled back default/myapp from green (myapp:1.1.0) -> blue (myapp:1.0.0) by ${actor}`,
		);
	});

	it('--dry-run prints the plan and changes nothing', async () => {
		const before = rv();
		const {out, run} = await act({action: 'switch', name: 'myapp', dryRun: true});
		expect(await run).toBe(0);
		expect(out.text()).toContain(
			[
				'   {"op":"test","path":"/spec/selector/version","value":"blue"}',
				'   {"op":"replace","path":"/spec/selector/version","value":"green"}',
			].join('\n'),
		);
		expect(out.text()).toContain('dry run: nothing was changed');
		expect(rv()).toBe(before);
		expect(liveVersion(cluster.sim)).toBe('blue');
		expect(cutoverEvents()).toEqual([]);
	});

	it('without --yes on a non-terminal refuses with exit 2 and changes nothing', async () => {
		const before = rv();
		const {error, text} = await failing({action: 'switch', name: 'myapp'});
		expect(error.exitCode).toBe(2);
		expect(error.message).toContain('--yes');
		// The plan is still shown, so a script's log says what would have happened.
		expect(text).toContain('switch myapp from BLUE to GREEN');
		expect(rv()).toBe(before);
		expect(cutoverEvents()).toEqual([]);
	});

	it('in a terminal it asks: "n" cancels (exit 1, nothing changed), "y" switches', {
		timeout: 5000,
	}, async () => {
		const before = rv();
		const terminal = (answer: string, image?: string) => {
			const input = Object.assign(new PassThrough(), {isTTY: true});
			const out = collector();
			out.on('data', (chunk: Buffer) => {
				// Answer like a person: once the question is on the screen.
				if (chunk.toString().includes('Proceed? [y/N]')) input.write(`${answer}\n`);
				if (image && chunk.toString().includes('image to deploy to app-green (now myapp:1.1.0): '))
					input.write(`${image}\n`);
			});
			return {out, input};
		};
		// deploy asks for the image, shows the plan, then asks to proceed.
		const deploy = terminal('n', 'myapp:1.2.0');
		const notDeployed = await runAction(
			{kubeconfig: cluster.kubeconfig, action: 'deploy', name: 'myapp', yes: false, dryRun: false},
			deploy,
		);
		expect(notDeployed).toBe(1);
		expect(deploy.out.text()).toContain('deploy myapp:1.2.0 to app-green (GREEN, standby)');
		expect(
			get(cluster.sim, 'deployments', 'app-green').spec.template.spec.containers[0].image,
		).toBe('myapp:1.1.0');
		const no = terminal('n');
		const cancelled = await runAction(
			{kubeconfig: cluster.kubeconfig, action: 'switch', name: 'myapp', yes: false, dryRun: false},
			no,
		);
		expect(cancelled).toBe(1);
		expect(no.out.text()).toContain('cancelled: nothing was changed');
		expect(rv()).toBe(before);
		const yes = terminal('y');
		const done = await runAction(
			{kubeconfig: cluster.kubeconfig, action: 'switch', name: 'myapp', yes: false, dryRun: false},
			yes,
		);
		expect(done).toBe(0);
		expect(liveVersion(cluster.sim)).toBe('green');
	});

	it('an action the rollout does not have is a usage error: exit 2, naming what it offers', async () => {
		const before = rv();
		const {error} = await failing({action: 'step', name: 'myapp', yes: true});
		expect(error.exitCode).toBe(2);
		expect(error.message).toBe(
			'step is not an action of myapp (blue/green); it offers switch, promote, rollback, deploy, smoke',
		);
		expect(rv()).toBe(before);
	});

	it('an unknown name exits 3', async () => {
		const {error} = await failing({action: 'switch', name: 'nope', yes: true});
		expect(error.exitCode).toBe(3);
		expect(error.message).toContain('no rollout named nope in namespace default');
	});

	it('a switch raced by another writer fails with exit 4 and keeps what the other one set', async () => {
		// The other engineer flips the selector while our PATCH is on its way.
		cluster.sim.api.faults.add({
			method: 'PATCH',
			path: '/api/v1/namespaces/default/services/myapp',
			delayMs: 300,
			times: 1,
		});
		const {out, run} = await act({action: 'switch', name: 'myapp', yes: true});
		const outcome = run.then(
			(code) => ({code, error: undefined}),
			(error: unknown) => ({code: undefined, error: error as CommandError}),
		);
		// The smoke test passed: the next thing cutover sends is the PATCH.
		await until('the smoke test to pass', () => out.text().includes('✔ GET /health'));
		cluster.sim.store.patch(typeOf('services'), 'default', 'myapp', 'merge', {
			spec: {selector: {version: 'green'}},
		});
		const other = rv();
		const {code, error} = await outcome;
		expect(code).toBeUndefined();
		expect(error).toBeInstanceOf(CommandError);
		expect(error!.exitCode).toBe(4);
		expect(error!.message).toBe(
			'the live color changed since you looked: now green; nothing was changed',
		);
		expect(liveVersion(cluster.sim)).toBe('green');
		expect(rv()).toBe(other);
		expect(out.text()).toContain('✖ point Service myapp at version=green');
		expect(cutoverEvents()).toEqual([]);
	});

	it('a rollback raced by a switch back does not flip twice (exit 4)', async () => {
		expect(await (await act({action: 'switch', name: 'myapp', yes: true})).run).toBe(0);
		cluster.sim.api.faults.add({
			method: 'PATCH',
			path: '/api/v1/namespaces/default/services/myapp',
			delayMs: 300,
			times: 1,
		});
		const {out, run} = await act({action: 'rollback', name: 'myapp', yes: true});
		const outcome = run.catch((error: unknown) => error as CommandError);
		// The plan is printed once cutover has read the cluster; someone else rolls back first.
		await until('the rollback plan', () => out.text().includes('roll back myapp from GREEN'));
		cluster.sim.store.patch(typeOf('services'), 'default', 'myapp', 'merge', {
			spec: {selector: {version: 'blue'}},
		});
		const error = await outcome;
		expect(error).toBeInstanceOf(CommandError);
		expect((error as CommandError).exitCode).toBe(4);
		expect((error as CommandError).message).toContain('now blue');
		expect(liveVersion(cluster.sim)).toBe('blue');
	});
});

describe('cutover deploy', () => {
	it('deploy --image sets the standby image, waits for the rollout and smoke-tests it', async () => {
		const {out, run} = await act({
			action: 'deploy',
			name: 'myapp',
			image: 'myapp:1.2.0',
			yes: true,
		});
		expect(await run).toBe(0);
		const green = get(cluster.sim, 'deployments', 'app-green');
		expect(green.spec.template.spec.containers[0].image).toBe('myapp:1.2.0');
		expect(green.status).toMatchObject({
			observedGeneration: green.metadata.generation,
			replicas: 3,
			updatedReplicas: 3,
			readyReplicas: 3,
		});
		// The live side is untouched: deploy offers the switch, it does not make it.
		expect(liveVersion(cluster.sim)).toBe('blue');
		expect(get(cluster.sim, 'deployments', 'app-blue').spec.template.spec.containers[0].image).toBe(
			'myapp:1.0.0',
		);
		const text = out.text();
		expect(text).toContain('deploy myapp:1.2.0 to app-green (GREEN, standby)');
		expect(text).toContain('✔ set container app of app-green to myapp:1.2.0');
		expect(text).toContain('✔ wait for app-green to roll out: app-green rolled out: 3/3 ready');
		expect(text).toMatch(/3\/3 pods answered \/health with 200/);
		expect(text).toContain('next: cutover switch myapp -n default');
		const event = cutoverEvents().find((e) => e.reason === 'CutoverDeploy');
		expect(event).toMatchObject({
			involvedObject: {kind: 'Deployment', name: 'app-green'},
			message: `deployed myapp:1.2.0 to default/app-green (was myapp:1.1.0) by ${actor}`,
		});
		// Every pod now behind version=green runs the new image.
		const pods = cluster.sim.store
			.peek(typeOf('pods'), {namespace: 'default'})
			.filter((p) => p.metadata.labels?.version === 'green' && !p.metadata.deletionTimestamp);
		expect(pods.map((p) => p.spec.containers[0].image)).toEqual([
			'myapp:1.2.0',
			'myapp:1.2.0',
			'myapp:1.2.0',
		]);
	});

	it('deploy raced by another image change fails with exit 4 and keeps the other image', async () => {
		cluster.sim.api.faults.add({
			method: 'PATCH',
			path: '/apis/apps/v1/namespaces/default/deployments/app-green',
			delayMs: 300,
			times: 1,
		});
		const {out, run} = await act({
			action: 'deploy',
			name: 'myapp',
			image: 'myapp:1.2.0',
			yes: true,
		});
		const outcome = run.then(
			() => undefined,
			(error: unknown) => error as CommandError,
		);
		await until('the deploy plan', () => out.text().includes('deploy myapp:1.2.0'));
		cluster.sim.store.patch(typeOf('deployments'), 'default', 'app-green', 'json', [
			{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'myapp:1.1.1'},
		]);
		const error = await outcome;
		expect(error).toBeInstanceOf(CommandError);
		expect(error?.exitCode).toBe(4);
		expect(error?.message).toBe(
			'the image of app-green changed since you looked: now myapp:1.1.1; nothing was changed',
		);
		expect(
			get(cluster.sim, 'deployments', 'app-green').spec.template.spec.containers[0].image,
		).toBe('myapp:1.1.1');
	});

	it('deploy without --image on a non-terminal is a usage error (exit 2)', async () => {
		const {error} = await failing({action: 'deploy', name: 'myapp', yes: true});
		expect(error.exitCode).toBe(2);
		expect(error.message).toContain('--image');
	});
});

describe('smoke test against an unhealthy standby', () => {
	it('stops the switch, names the pods and their 503, and leaves the selector on blue', async () => {
		const scenario = writeTempFile(
			cluster.dir,
			'unhealthy-green.yaml',
			[
				'name: unhealthy-green',
				'extends: seed',
				'behaviours:',
				'  "myapp:1.1.0": { healthy: false }',
				'',
			].join('\n'),
		);
		const bad = await startClusterFrom(scenario);
		try {
			const before = rv(bad);
			const {error, text} = await failing({action: 'switch', name: 'myapp', yes: true}, bad);
			expect(error.exitCode).toBe(1);
			expect(error.message).toMatch(
				/^smoke test failed: 3 of 3 pods of app-green answered \/health badly: /,
			);
			const greenPods = bad.sim.store
				.peek(typeOf('pods'), {namespace: 'default'})
				.filter((p) => p.metadata.labels?.version === 'green')
				.map((p) => p.metadata.name!);
			expect(greenPods).toHaveLength(3);
			for (const pod of greenPods) expect(error.message).toContain(`${pod}: 503`);
			expect(text).toContain('✖ GET /health on every ready pod of app-green (GREEN)');
			expect(liveVersion(bad.sim)).toBe('blue');
			expect(rv(bad)).toBe(before);
			expect(cutoverEvents(bad)).toEqual([]);
		} finally {
			await bad.stop();
		}
	});
});

async function startClusterFrom(scenario: string): Promise<TestCluster> {
	const c = await startCluster({scenario});
	await settled(c.sim);
	return c;
}

// Each process starts Node and tsx (about 2 s of CPU on a small machine): few of them, generous limits.
describe('the CLI as a process', {timeout: 90_000}, () => {
	function cli(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
		return new Promise((resolve) => {
			execFile(
				process.execPath,
				[join(root, 'bin/cutover.js'), ...args],
				{cwd: root, env: {...process.env, NO_COLOR: '1'}, timeout: 60_000},
				(error, stdout, stderr) => {
					const code = error ? ((error as {code?: number}).code ?? 1) : 0;
					resolve({code: typeof code === 'number' ? code : 1, stdout, stderr});
				},
			);
		});
	}

	it('status prints the table with BLUE live; exit codes for not found and usage', async () => {
		const f = cluster.kubeconfig;
		const [status, nope, bare, both, missing] = await Promise.all([
			cli('status', '--kubeconfig', f),
			cli('switch', 'nope', '--kubeconfig', f, '--yes'),
			cli('switch'),
			cli('status', '-n', 'x', '-A', '--kubeconfig', f),
			cli('status', '--kubeconfig', join(cluster.dir, 'no-such-kubeconfig')),
		]);
		expect(status.code, status.stderr).toBe(0);
		expect(status.stdout).toMatch(/^default\s+myapp\s+service-selector\s+BLUE live\s+Healthy/m);
		expect(nope.code, nope.stderr).toBe(3);
		expect(nope.stderr).toContain('no rollout named nope');
		expect(bare.code, bare.stderr).toBe(2);
		expect(bare.stderr).toContain('switch needs the name of a rollout');
		expect(both.code, both.stderr).toBe(2);
		expect(both.stderr).toContain('-n and -A exclude each other');
		expect(missing.code, missing.stderr).toBe(2);
		expect(missing.stderr).toContain(join(cluster.dir, 'no-such-kubeconfig'));
		// None of them changed anything.
		expect(liveVersion(cluster.sim)).toBe('blue');
	});
});
