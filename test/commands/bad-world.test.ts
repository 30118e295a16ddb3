/**
 * A cluster whose objects are wrong the way users get them wrong, through `cutover status` (text
 * and JSON) and the action subcommands: each bad rollout shows the problem in words and what to
 * do, every other rollout is as it was, and nothing is done to a rollout that cannot be read.
 */
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Scenario} from '../../source/sim/scenario.js';
import {benchObjects, benchScenario} from '../bench/scenario.js';
import {badWorld, noContainers, unicode} from '../helpers/bad-world.js';
import {startCluster, type TestCluster, typeOf, until} from '../helpers/sim-cluster.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'cutover.js');

type Run = {code: number; stdout: string; stderr: string};

function cutover(cluster: TestCluster, args: string[], timeout = 20_000): Promise<Run> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			[bin, ...args, '--kubeconfig', cluster.kubeconfig],
			{timeout, maxBuffer: 64 * 1024 * 1024, env: {...process.env, NO_COLOR: '1'}},
			(error, stdout, stderr) =>
				resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr}),
		);
	});
}

/** Nothing a terminal would act on or reorder: C0 but the newline, C1, bidi controls. */
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold the very control characters the lint forbids
const controls = new RegExp(
	'[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]',
);

/** No stack trace, and nothing raw from the cluster that drives the terminal. */
function clean(run: Run): Run {
	expect(run.stderr).not.toMatch(/^\s+at /m);
	expect(`${run.stdout}${run.stderr}`).not.toMatch(controls);
	return run;
}

type RolloutJson = {
	namespace: string;
	name: string;
	strategy: string;
	phase: string;
	health: string;
	problems: string[];
	tracks: Array<{images: string[]}>;
	actions: Array<{action: string; available: boolean; reason?: string}>;
};

const rolloutsOf = (run: Run) => (JSON.parse(run.stdout) as {rollouts: RolloutJson[]}).rollouts;

describe('a bad world', () => {
	let cluster: TestCluster;
	/** Every request the sim answered but GETs: cutover's writes. */
	const writes: string[] = [];
	beforeAll(async () => {
		cluster = await startCluster({log: (line) => !line.startsWith('GET ') && writes.push(line)});
		for (const object of badWorld())
			cluster.sim.store.create(
				cluster.sim.store.typeOf(object)!,
				object.metadata.namespace,
				object,
			);
		const deployments = typeOf('deployments');
		await until(
			'every Deployment to be ready',
			() =>
				cluster.sim.store
					.peek(deployments)
					.every((d) => d.status?.readyReplicas === d.spec.replicas),
			15_000,
		);
	}, 30_000);
	afterAll(async () => cluster?.stop());

	const bad = [
		{
			row: 'a canary weight that does not parse',
			namespace: 'weight',
			name: 'pay-canary',
			kind: 'ingresses',
			columns: 'nginx-canary   canary ?/100 (unreadable)   Invalid (!)',
			problem:
				'canary-weight "ten" is not an integer in 0..100: fix the annotation before stepping',
			refused: ['step', 'promote', 'finalize'],
		},
		{
			row: 'canary steps that do not parse',
			namespace: 'steps',
			name: 'cart-canary',
			kind: 'ingresses',
			columns: 'nginx-canary   canary 10/100   Canary (!)',
			problem:
				'cutover.dev/steps "5,twenty,50" does not parse: give rising integers in 1..100, like 10,20,50,100',
			refused: ['step'],
		},
		{
			row: 'two canary Ingresses for one host and path',
			namespace: 'dup',
			name: 'feed-canary',
			kind: 'ingresses',
			columns: 'nginx-canary   canary 10/100   Invalid (!)',
			problem:
				'2 canary Ingresses for dup.example.com/ (feed-canary, feed-canary-2): nginx allows one',
			refused: ['step', 'promote', 'rollback', 'finalize'],
		},
		{
			row: 'a Service selector without its track label, matching both colors',
			namespace: 'both',
			name: 'web',
			kind: 'services',
			columns: 'service-selector   BLUE + GREEN live   Invalid (!)',
			problem:
				'Service web selects app=web with no version: it sends traffic to both web-blue (version=blue) and web-green (version=green); put version: blue or version: green in its selector',
			refused: ['switch', 'promote', 'rollback', 'deploy', 'smoke'],
		},
	];

	it.for(bad)('$row: status names the problem and what to do', async (row) => {
		const text = clean(await cutover(cluster, ['status', '-n', row.namespace]));
		expect(text.code).toBe(0);
		const line = text.stdout.split('\n').find((l) => l.startsWith(`${row.namespace} `));
		expect(line?.replace(/ {3,}/g, '   ')).toContain(`${row.name}   ${row.columns}`);
		expect(text.stdout).toContain(`! ${row.namespace}/${row.name}: ${row.problem}\n`);
		const json = clean(await cutover(cluster, ['status', '-n', row.namespace, '--json']));
		const rollout = rolloutsOf(json).find((r) => r.name === row.name)!;
		expect(rollout.problems).toContain(row.problem);
		for (const action of row.refused)
			expect(rollout.actions.find((a) => a.action === action)).toMatchObject({
				available: false,
				reason: row.problem,
			});
	});

	it.for(bad)('$row: an action on it is refused with the reason, nothing written', async (row) => {
		const before = cluster.sim.store.get(typeOf(row.kind), row.namespace, row.name);
		const seen = writes.length;
		const run = clean(
			await cutover(cluster, [row.refused[0]!, row.name, '-n', row.namespace, '--yes']),
		);
		expect(run.code).toBe(1);
		expect(run.stderr).toBe(`cutover: cannot ${row.refused[0]} ${row.name}: ${row.problem}\n`);
		expect(writes.slice(seen)).toEqual([]);
		expect(cluster.sim.store.get(typeOf(row.kind), row.namespace, row.name)).toEqual(before);
	});

	it('the rest of the world is unaffected: the seed rollouts as ever, exit 0', async () => {
		const run = clean(await cutover(cluster, ['status', '-A']));
		expect(run.code).toBe(0);
		const lines = run.stdout.split('\n').map((l) => l.replace(/ {3,}/g, '   '));
		expect(lines).toContainEqual(
			expect.stringMatching(/^default {3}myapp {3}service-selector {3}BLUE live {3}Healthy {3}/),
		);
		expect(lines).toContainEqual(
			expect.stringMatching(/^shop {3}shop-canary {3}nginx-canary {3}canary 10\/100 {3}Canary {3}/),
		);
		const problems = lines.filter((l) => l.startsWith('! '));
		expect(problems.map((l) => l.split(':')[0])).toEqual(
			expect.not.arrayContaining(['! default/myapp', '! shop/shop-canary', '! uni/uni']),
		);
		expect(problems.length).toBeGreaterThanOrEqual(bad.length);
	});

	it('a selector matching neither Deployment is no rollout, and an action on it says so', async () => {
		const status = clean(await cutover(cluster, ['status', '-n', 'neither', '--json']));
		expect(rolloutsOf(status).filter((r) => r.strategy === 'service-selector')).toEqual([]);
		const seen = writes.length;
		const run = clean(await cutover(cluster, ['switch', 'api', '-n', 'neither', '--yes']));
		expect(run.code).toBe(3);
		expect(run.stderr).toBe(
			'cutover: no rollout named api in namespace neither; see cutover status\n',
		);
		expect(writes.slice(seen)).toEqual([]);
	});

	it('Unicode shows as typed, bidi controls as visible escapes; JSON stays exact', async () => {
		const text = clean(await cutover(cluster, ['status', '-n', 'uni']));
		expect(text.stdout).toContain(
			'BLUE uni-blue uni:1.0.0\\u202egnp.exe 1/1 | GREEN uni-green registry.example/café:☕-1.1 1/1',
		);
		const json = rolloutsOf(await cutover(cluster, ['status', '-n', 'uni', '--json']));
		expect(json[0]!.tracks.flatMap((t) => t.images)).toEqual([
			unicode.bidiImage,
			unicode.wideImage,
		]);
		expect(json[0]!.problems).toEqual([]);
		const dry = clean(await cutover(cluster, ['switch', 'uni', '-n', 'uni', '--dry-run']));
		expect(dry.code).toBe(0);
		expect(dry.stdout).toContain(
			'GET /health\\u202e\\u2066x on every ready pod of uni-green (GREEN)',
		);
	});

	it('zero rollouts in a namespace: said in words, [] in JSON, exit 0; an action: not found', async () => {
		const text = clean(await cutover(cluster, ['status', '-n', 'empty']));
		expect([text.code, text.stdout]).toEqual([0, 'No rollouts found in namespace empty.\n']);
		const json = clean(await cutover(cluster, ['status', '-n', 'empty', '--json']));
		expect([json.code, JSON.parse(json.stdout)]).toEqual([0, {rollouts: []}]);
		const step = clean(await cutover(cluster, ['step', 'shop-canary', '-n', 'empty', '--yes']));
		expect(step.code).toBe(3);
	});

	it('a Deployment with no containers is refused as an API server refuses it', () => {
		const hollow = noContainers();
		expect(() =>
			cluster.sim.store.create(typeOf('deployments'), hollow.metadata.namespace, hollow),
		).toThrow('Deployment.apps "hollow" is invalid: spec.template.spec.containers: Required value');
	});
});

/** The bench's generated world, its objects not run through the parser (seconds at 5,000). */
function generated(rollouts: number): Scenario {
	return {...benchScenario(1), objects: benchObjects(rollouts)};
}

describe('5,000 rollouts', () => {
	let cluster: TestCluster;
	beforeAll(async () => {
		cluster = await startCluster({scenario: generated(5000), trafficIntervalMs: 0});
	}, 60_000);
	afterAll(async () => cluster?.stop());

	it('status -A lists every one, in text and whole in JSON', async () => {
		const text = clean(await cutover(cluster, ['status', '-A'], 30_000));
		expect(text.code).toBe(0);
		const lines = text.stdout.trimEnd().split('\n');
		expect(lines).toHaveLength(5001);
		expect(lines.at(-1)).toMatch(/^bench-04999 +myapp +service-selector +BLUE live +Healthy /);
		const json = await cutover(cluster, ['status', '-A', '--json'], 30_000);
		expect(rolloutsOf(json)).toHaveLength(5000);
	}, 60_000);
});
