/**
 * `npm run bench`: measures the budgets of DESIGN.md against the real console (dist/cli.js) in a
 * pseudo-terminal at 120x40, on a simulated cluster of generated blue/green rollouts that runs in
 * this process. Prints figure, measured, budget, ratio (measured/budget) and PASS/MISS; exits 1
 * when a budget is missed (or the bench itself fails).
 */
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {kinds} from '../../source/core/kinds.js';
import {metricsTargetOf} from '../../source/core/metrics.js';
import {snapshotOf} from '../../source/core/snapshot.js';
import {registry} from '../../source/core/strategies/index.js';
import type {KubeObject as CoreObject} from '../../source/core/types.js';
import {PrometheusSource} from '../../source/metrics/prometheus.js';
import {type Sim, startSim} from '../../source/sim/index.js';
import {type ResourceType, resourceTypes} from '../../source/sim/resources.js';
import {passes, percentile, type Row, table} from './report.js';
import {benchScenario, namespaceOf} from './scenario.js';
import {type BenchConsole, bareNodeStart, cli, killAll, startConsole} from './terminal.js';

const columns = 120;
const rows = 40;
const samples = 20;
const settleMs = 5000;
/** How long the idle console is watched; the bytes are scaled to a minute. */
const idleMs = Number(process.env.BENCH_IDLE_SECONDS ?? 60) * 1000;
const firstFrameRuns = 3;
/** The whole bench, past which it gives up (and kills what it started). */
const benchDeadlineMs = 6 * 60_000;

const MB = 1024 * 1024;

function typeOf(plural: string): ResourceType {
	const type = resourceTypes.find((t) => t.plural === plural);
	if (!type) throw new Error(`the sim has no resource ${plural}`);
	return type;
}
const services = typeOf('services');
const deployments = typeOf('deployments');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A pause of `min` to `max` ms, so samples do not all land at the same phase of a timer. */
const jitter = (min: number, max: number) => sleep(min + Math.random() * (max - min));

const rowWith = (screen: string[], text: string) => screen.find((line) => line.includes(text));
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

type Cluster = {sim: Sim; kubeconfig: string; dir: string; stop(): Promise<void>};

async function startCluster(rollouts: number): Promise<Cluster> {
	const began = performance.now();
	const sim = await startSim({
		scenario: benchScenario(rollouts),
		rolloutSeconds: 1,
		podStartSeconds: 0,
	});
	const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
	const kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(kubeconfig, sim.kubeconfig);
	log(`sim with ${rollouts} rollouts up in ${Math.round(performance.now() - began)} ms`);
	return {
		sim,
		kubeconfig,
		dir,
		async stop() {
			await sim.stop();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

function open(cluster: Cluster): BenchConsole {
	return startConsole(['--kubeconfig', cluster.kubeconfig, '-A'], columns, rows);
}

/** The header says live and the list shows its first rollout: ms from the spawn. */
async function firstFrame(console: BenchConsole, timeoutMs = 60_000): Promise<number> {
	const first = `${namespaceOf(0)}/myapp`;
	const at = await console.waitFor(
		`the first full frame (header "live", row ${first})`,
		(screen) => / live\s*$/.test(screen[0] ?? '') && rowWith(screen, first) !== undefined,
		timeoutMs,
	);
	return at - console.startedAt;
}

const liveColor = (screen: string[], namespace: string) =>
	/● (BLUE|GREEN) live/.exec(rowWith(screen, `${namespace}/myapp`) ?? '')?.[1]?.toLowerCase();

/** Another writer changes a visible rollout's selector; ms until the screen shows the color. */
async function changeToScreen(cluster: Cluster, console: BenchConsole): Promise<number[]> {
	const times: number[] = [];
	for (let run = 0; run < samples; run++) {
		// Ten visible rows, each switched to green and then back to blue.
		const namespace = namespaceOf(run % 10);
		const version = run < 10 ? 'green' : 'blue';
		await jitter(150, 350);
		const before = performance.now();
		cluster.sim.store.patch(services, namespace, 'myapp', 'merge', {spec: {selector: {version}}});
		const shown = await console.waitFor(
			`${namespace}/myapp ${version.toUpperCase()} live`,
			(screen) => liveColor(screen, namespace) === version,
			5000,
		);
		times.push(shown - before);
	}
	return times;
}

/** Resolves when the sim's store takes a change of the Service's selector to `version`. */
function patched(cluster: Cluster, namespace: string, version: string, timeoutMs: number) {
	let stop = () => {};
	const arrived = new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => {
			stop();
			reject(new Error(`the PATCH of ${namespace}/myapp to ${version} never arrived`));
		}, timeoutMs);
		stop = cluster.sim.store.watch(
			services,
			cluster.sim.store.resourceVersion,
			{namespace},
			(type, object) => {
				const selector = (object as {spec?: {selector?: {version?: string}}}).spec?.selector;
				if (type !== 'MODIFIED' || object.metadata.name !== 'myapp') return;
				if (selector?.version !== version) return;
				const at = performance.now();
				clearTimeout(timer);
				stop();
				resolve(at);
			},
		);
	});
	return arrived;
}

/**
 * With the confirm dialog of `p` (promote: smoke test the standby, then the PATCH) open, `y`;
 * ms until the PATCH changes the Service in the sim. Each run switches the other way.
 */
async function keypressToPatch(cluster: Cluster, console: BenchConsole): Promise<number[]> {
	const namespace = namespaceOf(0);
	const times: number[] = [];
	for (let run = 0; run < samples; run++) {
		const from = liveColor(console.screen(), namespace);
		if (from === undefined) throw new Error(`no live color on ${namespace}/myapp`);
		const to = from === 'blue' ? 'green' : 'blue';
		console.press('p');
		await console.waitFor(
			'the confirm dialog',
			(screen) => rowWith(screen, 'y to confirm') !== undefined,
			5000,
		);
		// Let the dialog's frame go out, so the writer is idle as it is when a person reads it.
		await jitter(150, 300);
		const arrived = patched(cluster, namespace, to, 10_000);
		const before = performance.now();
		console.press('y');
		times.push((await arrived) - before);
		const done = `from ${from.toUpperCase()} to ${to.toUpperCase()}: done`;
		await console.waitFor(
			`"${done}" and ${to.toUpperCase()} live`,
			(screen) =>
				rowWith(screen, done) !== undefined &&
				liveColor(screen, namespace) === to &&
				rowWith(screen, 'y to confirm') === undefined,
			10_000,
		);
	}
	return times;
}

/** Bytes the idle console writes in `idleMs`, scaled to a minute. */
async function idleBytesPerMinute(console: BenchConsole): Promise<number> {
	const before = console.bytes();
	await sleep(idleMs);
	return ((console.bytes() - before) * 60_000) / idleMs;
}

/** Prometheus queries one refresh sends for the rollouts the sim holds: for 1 and for all. */
function queriesPerRefresh(cluster: Cluster): {one: number; all: number; count: number} {
	const snapshot = snapshotOf([
		[kinds.service, cluster.sim.store.peek(services) as CoreObject[]],
		[kinds.deployment, cluster.sim.store.peek(deployments) as CoreObject[]],
	]);
	const targets = registry.detect(snapshot).map((rollout) => metricsTargetOf(rollout, snapshot));
	const source = new PrometheusSource({url: 'http://127.0.0.1:9'});
	return {
		one: source.queriesFor(targets.slice(0, 1)).length,
		all: source.queriesFor(targets).length,
		count: targets.length,
	};
}

async function bench(): Promise<Row[]> {
	if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build first`);
	const result: Row[] = [];
	const nodeStarts: number[] = [];
	for (let run = 0; run < firstFrameRuns; run++) nodeStarts.push(await bareNodeStart());
	const nodeStart = percentile(nodeStarts, 50);

	// ─── 1,000 rollouts ───
	let cluster = await startCluster(1000);
	let console: BenchConsole | undefined;
	try {
		const queries = queriesPerRefresh(cluster);
		const frames: number[] = [];
		for (let run = 0; run < firstFrameRuns; run++) {
			console = open(cluster);
			frames.push(await firstFrame(console));
			if (run < firstFrameRuns - 1) {
				await console.close();
				console = undefined;
			}
		}
		log(
			`first frames (ms): ${frames.map(Math.round).join(', ')}; node -e 1: ${nodeStarts.map(Math.round).join(', ')}`,
		);
		const frame = percentile(frames, 50);
		result.push(
			{
				figure: 'first full frame, 1,000 rollouts (median of 3)',
				measured: frame,
				unit: 'ms',
				budget: 400,
				note: `runs ${frames.map(Math.round).join('/')} ms, from the spawn`,
			},
			{
				figure: '  for scale: bare node -e 1, spawn to exit',
				measured: nodeStart,
				unit: 'ms',
				note: `frame minus node start: ${Math.round(frame - nodeStart)} ms`,
			},
		);
		console = console!;
		await sleep(settleMs);
		const rss1000 = console.rss();
		log(
			`RSS at 1,000 rollouts: ${(rss1000 / MB).toFixed(1)} MB; watching idle bytes for ${idleMs / 1000} s`,
		);
		const idle = await idleBytesPerMinute(console);
		log(`idle: ${Math.round(idle)} bytes a minute`);
		const changes = await changeToScreen(cluster, console);
		log(`change to screen (ms): ${changes.map(Math.round).join(', ')}`);
		const keys = await keypressToPatch(cluster, console);
		log(`keypress to patch (ms): ${keys.map(Math.round).join(', ')}`);
		result.push(
			{
				figure: 'change in the cluster until on screen, p95',
				measured: percentile(changes, 95),
				unit: 'ms',
				budget: 150,
				note: `p50 ${Math.round(percentile(changes, 50))} ms, ${changes.length} runs, 1,000 rollouts`,
			},
			{
				figure: 'keypress (y) until the PATCH reaches the API, p95',
				measured: percentile(keys, 95),
				unit: 'ms',
				budget: 50,
				note: `p50 ${percentile(keys, 50).toFixed(1)} ms, ${keys.length} runs; p promotes: smoke test, then PATCH`,
			},
			{
				figure: 'bytes written per minute, idle, 120x40',
				measured: idle / 1024,
				unit: 'KB',
				budget: 5,
				note: `${Math.round(idle)} B/min, watched ${idleMs / 1000} s${idleMs === 60_000 ? '' : ' and scaled'}`,
			},
			{
				figure: 'resident memory, 1,000 rollouts',
				measured: rss1000 / MB,
				unit: 'MB',
				budget: 120,
				note: `VmRSS ${settleMs / 1000} s after the first frame`,
			},
		);
		result.push({
			figure: 'Prometheus queries per refresh, 1,000 rollouts',
			measured: queries.all,
			unit: 'queries',
			budget: queries.one,
			budgetText: `= ${queries.one} (1 rollout)`,
			inclusive: true,
			note: `queriesFor(${queries.count} targets) vs queriesFor(1 target): constant`,
		});
	} finally {
		await console?.close();
		console = undefined;
		await cluster.stop();
	}

	// ─── 5,000 rollouts ───
	cluster = await startCluster(5000);
	try {
		console = open(cluster);
		const frame = await firstFrame(console);
		await sleep(settleMs);
		const rss = console.rss();
		log(`5,000 rollouts: first frame ${Math.round(frame)} ms, RSS ${(rss / MB).toFixed(1)} MB`);
		result.push(
			{
				figure: 'resident memory, 5,000 rollouts',
				measured: rss / MB,
				unit: 'MB',
				budget: 250,
				note: `VmRSS ${settleMs / 1000} s after the first frame`,
			},
			{
				figure: '  for scale: first full frame, 5,000 rollouts',
				measured: frame,
				unit: 'ms',
			},
		);
	} finally {
		await console?.close();
		await cluster.stop();
	}
	// Keep the order of DESIGN.md's table.
	const order = [
		'first',
		'  for scale: bare',
		'change',
		'keypress',
		'bytes',
		'resident memory, 1',
		'resident memory, 5',
		'  for scale: first',
		'Prometheus',
	];
	return result.sort(
		(a, b) =>
			order.findIndex((o) => a.figure.startsWith(o)) -
			order.findIndex((o) => b.figure.startsWith(o)),
	);
}

const deadline = setTimeout(() => {
	log(`gave up after ${benchDeadlineMs / 60_000} minutes`);
	killAll();
	process.exit(1);
}, benchDeadlineMs);
deadline.unref();
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		killAll();
		process.exit(130);
	});
}

const began = performance.now();
bench().then(
	(result) => {
		process.stdout.write(`\n${table(result)}\n\n`);
		const missed = result.filter((row) => passes(row) === false);
		process.stdout.write(
			`${missed.length === 0 ? 'every budget met' : `${missed.length} budget(s) missed: ${missed.map((r) => r.figure.trim()).join('; ')}`} (bench took ${Math.round((performance.now() - began) / 1000)} s)\n`,
		);
		killAll();
		process.exit(missed.length === 0 ? 0 : 1);
	},
	(error: unknown) => {
		killAll();
		process.stderr.write(
			`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	},
);
