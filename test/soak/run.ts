/**
 * `npm run soak -- --minutes N [--json]`: the real console in a pseudo-terminal against the sim
 * for N minutes of continuous churn (another writer's switches and weight steps, deploys into
 * the idle color, switches confirmed from the keyboard, and the fault table's faults), with a
 * check after each round that the screen equals the sim's store, the console's resident memory
 * sampled throughout, and every error line it showed. Exits 1 when a check failed, a confirmed
 * switch was sent other than once, the console died or left the terminal broken, or its memory
 * grew after warm-up.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {startSim} from '../../source/sim/index.js';
import {resourceTypes} from '../../source/sim/resources.js';
import {startConsole} from '../bench/terminal.js';
import {agrees, churn, faultTable, truth} from '../helpers/fault-table.js';
import {flat, type MemorySample} from './memory.js';

const {values} = parseArgs({
	options: {minutes: {type: 'string', default: '1'}, json: {type: 'boolean', default: false}},
});
const minutes = Number(values.minutes);
if (!(minutes > 0)) {
	console.error(
		`soak: --minutes "${values.minutes}" is not a positive number: give e.g. --minutes 1`,
	);
	process.exit(2);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const type = (plural: string) => resourceTypes.find((t) => t.plural === plural)!;
const myapp = '/api/v1/namespaces/default/services/myapp';

let patches = 0;
const sim = await startSim({
	port: 0,
	rolloutSeconds: 1,
	podStartSeconds: 0.2,
	log: (line) => {
		if (line.startsWith(`PATCH ${myapp}`) && line.endsWith(' 200')) patches += 1;
	},
});
const dir = mkdtempSync(join(tmpdir(), 'cutover-soak-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, sim.kubeconfig);
const term = startConsole(['--kubeconfig', kubeconfig, '-A'], 120, 40);
const screen = () => term.screen().join('\n');
const agreeing = (what: string, ms: number) =>
	term.waitFor(what, (rows) => agrees(rows.join('\n'), sim), ms);

const memory: MemorySample[] = [];
const errors = new Set<string>();
const checks: Array<{round: number; what: string; ok: boolean; ms: number; detail?: string}> = [];
const startedAt = performance.now();
const sampler = setInterval(() => {
	try {
		memory.push({s: (performance.now() - startedAt) / 1000, rss: term.rss()});
	} catch {
		// the console is gone: said by the exit check
	}
	// What went wrong as the screen said it (the header's stale or disconnected too), ages as N.
	for (const row of term.screen())
		if (/cannot|error|failed|refused|unknown|stale|disconnected|throttl|timed out/i.test(row))
			errors.add(row.trim().replace(/\d+/g, 'N'));
}, 2000);

/** Moves the selection to myapp's row (the list's order may change as rollouts come and go). */
async function selectMyapp(): Promise<boolean> {
	for (let tries = 0; tries < 12; tries++) {
		const selected = term.screen().find((row) => row.trimStart().startsWith('›')) ?? '';
		if (selected.includes('default/myapp')) return true;
		term.press(tries < 6 ? '\u001b[B' : '\u001b[A');
		await pause(150);
	}
	return false;
}

/** A switch confirmed from the keyboard on myapp's row: sent exactly once. */
async function switchFromKeys(): Promise<string> {
	if (!(await selectMyapp())) return 'myapp row not selectable';
	const live = truth(sim).color.startsWith('BLUE') ? 'p' : 'r';
	term.press(live);
	const asked = await term
		.waitFor('the confirm dialog', (rows) => rows.join('\n').includes('y to confirm'), 5000)
		.then(
			() => true,
			() => false,
		);
	if (!asked) {
		term.press('\u001b');
		return 'refused';
	}
	const before = patches;
	term.press('y');
	await term.waitFor(
		'the switch',
		(rows) => /: done|nothing was changed|changed since/.test(rows.join('\n')),
		20_000,
	);
	await pause(500);
	return patches - before === 1 ? 'switched' : `sent ${patches - before} times`;
}

let round = 0;
let switches = 0;
let exitCode = 0;
try {
	await agreeing('the first screen', 40_000);
	const deadline = startedAt + minutes * 60_000;
	while (performance.now() < deadline) {
		round += 1;
		const kind = round % 4;
		let what: string;
		if (kind === 0) {
			const row = faultTable[(round / 4 - 1) % faultTable.length]!;
			what = `fault: ${row.name}`;
			for (const fault of row.faults ?? []) sim.api.faults.add(fault);
			row.act?.(sim);
			churn(sim, round);
			await pause(row.ms);
			sim.api.faults.clear();
		} else if (kind === 1) {
			const idle = truth(sim).color.startsWith('BLUE') ? 'app-green' : 'app-blue';
			what = `deploy myapp:1.${round}.0 to ${idle}`;
			const deployment = sim.store.get(type('deployments'), 'default', idle);
			const containers = structuredClone(deployment.spec.template.spec.containers);
			containers[0].image = `myapp:1.${round}.0`;
			sim.store.patch(type('deployments'), 'default', idle, 'merge', {
				spec: {template: {spec: {containers}}},
			});
			await pause(2500);
		} else if (kind === 2) {
			const result = await switchFromKeys();
			what = `switch from the keyboard: ${result}`;
			if (result === 'switched') switches += 1;
			if (result.startsWith('sent')) exitCode = 1;
		} else {
			what = 'another writer switches and steps';
			churn(sim, round);
			await pause(1000);
		}
		const began = performance.now();
		const ok = await agreeing(what, 40_000).then(
			() => true,
			() => false,
		);
		checks.push({
			round,
			what,
			ok,
			ms: Math.round(performance.now() - began),
			...(ok ? {} : {detail: screen()}),
		});
	}
	term.press('q');
	await pause(1500);
} finally {
	clearInterval(sampler);
}
const tail = term.tail();
const restored = tail.endsWith('\u001b[?1049l');
await term.close();
await sim.stop();
rmSync(dir, {recursive: true, force: true});

const failed = checks.filter((c) => !c.ok);
const mem = flat(memory);
const report = {
	minutes,
	rounds: round,
	checks: {passed: checks.length - failed.length, total: checks.length},
	slowestToAgreeMs: Math.max(0, ...checks.map((c) => c.ms)),
	switchesFromKeys: switches,
	/** PATCHes of myapp's Service the sim answered: the console is its only writer over HTTP. */
	patchesSent: patches,
	memoryMB: mem,
	errorsShown: [...errors].sort(),
	terminalRestored: restored,
	failures: failed,
};
if (failed.length > 0 || !restored || !mem.flat || patches !== switches) exitCode = 1;
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
	console.log(
		`soak: ${minutes} min, ${round} rounds, checks ${report.checks.passed}/${report.checks.total} agreed with the sim (slowest ${report.slowestToAgreeMs} ms)`,
	);
	console.log(
		`soak: ${switches} switches confirmed from the keyboard, ${patches} PATCHes sent${patches === switches ? ': each once' : ': NOT each once'}`,
	);
	console.log(
		`soak: memory (MB RSS) ${mem.series.join(' ')}; after warm-up ${mem.early} -> ${mem.late}: ${mem.flat ? 'flat' : 'GROWING'}`,
	);
	console.log(`soak: error lines shown: ${report.errorsShown.length === 0 ? 'none' : ''}`);
	for (const line of report.errorsShown) console.log(`  ${line}`);
	console.log(`soak: terminal ${restored ? 'restored' : 'NOT restored'} on q`);
	for (const f of failed)
		console.log(`soak: round ${f.round} (${f.what}) never agreed:\n${f.detail}`);
}
process.exit(exitCode);
