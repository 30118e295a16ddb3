import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {describe, expect, it, type TestContext} from 'vitest';
import {findKubectl, requireBinary} from '../helpers/binaries.js';
import {
	type Cluster,
	type Console,
	keys,
	rowWith,
	startCluster,
	startConsole,
	startupMs,
	testTimeout,
	typeOf,
} from './harness.js';

const weightKey = 'nginx.ingress.kubernetes.io/canary-weight';
const run = promisify(execFile);
// Without kubectl (outside CI: the helper says what to install) the change goes through the sim's API.
const kubectl = requireBinary('kubectl', findKubectl(), 'kubectl (the machine image ships it)')
	? undefined
	: findKubectl();

type Run = {cluster: Cluster; console: Console};

function weight(cluster: Cluster): string | undefined {
	return cluster.sim.store.get(typeOf('ingresses'), 'shop', 'shop-canary').metadata.annotations?.[
		weightKey
	];
}

/** Sets the weight behind the console's back, as `kubectl annotate --overwrite` would. */
function setWeight(cluster: Cluster, value: string): void {
	cluster.sim.store.patch(typeOf('ingresses'), 'shop', 'shop-canary', 'merge', {
		metadata: {annotations: {[weightKey]: value}},
	});
}

function stableImage(cluster: Cluster): string | undefined {
	return cluster.sim.store.get(typeOf('deployments'), 'shop', 'shop-stable').spec?.template?.spec
		?.containers?.[0]?.image;
}

/** A sim and the console on every namespace at 80x24; the shop canary at 10 % on the list. */
async function open(context: TestContext, args: string[] = []): Promise<Run> {
	const cluster = await startCluster();
	const console = startConsole({
		args: ['--kubeconfig', cluster.kubeconfig, '-A', ...args],
		columns: 80,
		rows: 24,
	});
	context.onTestFinished(async () => {
		await console.close();
		await cluster.stop();
	});
	await console.waitFor(
		(s) => /10%/.test(rowWith(s, 'shop/shop-canary') ?? '') && s.includes('default/myapp'),
		startupMs,
	);
	return {cluster, console};
}

/** From the list: filter to the shop canary, Enter, the detail at `w`/100. */
async function openDetail(console: Console, w = 10): Promise<string> {
	console.press('/', 'shop-canary', keys.enter);
	await console.waitFor((s) => /^[›>]/.test(rowWith(s, 'shop/shop-canary') ?? ''));
	console.press(keys.enter);
	return console.waitFor(`weight ${w}/100`);
}

/** Presses an action's key and y, and waits for the weight to be `to` in the sim and on screen. */
async function act(run: Run, key: string, question: string, to: string): Promise<string> {
	const {cluster, console} = run;
	const before = weight(cluster);
	console.press(key);
	await console.waitFor('y to confirm');
	const dialog = await console.waitFor(question);
	// Asking changes nothing.
	expect(weight(cluster)).toBe(before);
	console.press('y');
	const screen = await console.waitFor(
		(s) => s.includes(`weight ${to}/100`) && !s.includes('y to confirm') && s.includes(': done'),
		15_000,
	);
	expect(weight(cluster)).toBe(to);
	return `${dialog}\n---\n${screen}`;
}

describe.concurrent('the console walks the nginx canary on the simulated seed', {
	timeout: testTimeout,
}, () => {
	it('shows 10 %, then s y 25, p y 100, r y 0, s y 5, f y finalizes (80x24)', async (context) => {
		const run = await open(context);
		const {cluster, console} = run;
		let screen = (await console.screen()).join('\n');
		expect(rowWith(screen, 'shop/shop-canary')).toMatch(/shop\/shop-canary .*█░{7} 10% /);
		// Flagger's and Argo's canary Ingresses are not nginx-canary rollouts of their own.
		expect(screen).not.toContain('podinfo-canary');
		expect(screen).not.toContain('rollouts-demo-rollouts-demo-canary');

		screen = await openDetail(console);
		const lines = screen.split('\n');
		expect(lines).toHaveLength(24);
		const head = lines.findIndex((l) => l.includes('weight 10/100'));
		expect(lines[head]).toMatch(/^ canary 10% +weight 10\/100 +stable 90%$/);
		// The bar: 10 % of 78 cells is 8 filled, then the steps' ticks and values.
		expect(lines[head + 1]).toBe(` ${'█'.repeat(8)}${'░'.repeat(70)}`);
		expect(lines[head + 2]).toMatch(/^ +▴ +▴ +▴ +▴$/);
		// The labels on one line: "steps" only where it fits beside the last one.
		expect(lines[head + 3]).toMatch(/^ +5 +25 +50 +100 *$/);
		// The track cards (their layout is the detail's own): shares and images.
		expect(screen).toMatch(/STABLE +90% of traffic/);
		expect(screen).toMatch(/CANARY +10% of traffic/);
		expect(screen).toMatch(/STABLE[^\n]*\n[^\n]*shop-stable[^\n]*\n[^\n]*shop:2\.3\.0/);
		expect(screen).toMatch(/CANARY[^\n]*\n[^\n]*shop-canary[^\n]*\n[^\n]*shop:2\.4\.0/);

		screen = await act(run, 's', 'step shop-canary from 10 to 25 of 100?', '25');
		expect(screen).toContain('only if the canary weight is still "10"');
		expect(screen).toMatch(/ canary 25% +weight 25\/100 +stable 75%/);
		expect(screen).toContain(` ${'█'.repeat(20)}${'░'.repeat(58)}`);
		expect(screen).toContain('CutoverStep');

		screen = await act(
			run,
			'p',
			'promote shop-canary: all traffic to the canary (25 -> 100)?',
			'100',
		);
		expect(screen).toContain(` ${'█'.repeat(78)}`);
		expect(screen).toMatch(/step\b[^\n]*the canary already takes all traffic/);

		screen = await act(
			run,
			'r',
			'roll back shop-canary: no traffic to the canary (100 -> 0)?',
			'0',
		);
		expect(screen).toContain(` ${'░'.repeat(78)}`);
		expect(screen).toMatch(/rollback\b[^\n]*the canary already takes no traffic/);

		await act(run, 's', 'step shop-canary from 0 to 5 of 100?', '5');
		expect(stableImage(cluster)).toBe('shop:2.3.0');

		console.press('f');
		await console.waitFor('y to confirm');
		const dialog = await console.waitFor('wait for shop-stable to roll out, weight stays 5');
		// The whole plan fits at 80x24: the summary row is intact, not overdrawn.
		expect(dialog).toContain(
			'║ finalize shop-canary: shop-stable takes shop:2.4.0, then weight 5 -> 0?',
		);
		expect(stableImage(cluster)).toBe('shop:2.3.0');
		console.press('y');
		// Progress while the stable rolls out, the weight still 5.
		await console.waitFor((s) =>
			/wait for shop-stable to roll out, weight stays 5: updated \d\/3, ready \d\/3/.test(s),
		);
		expect(weight(cluster)).toBe('5');
		screen = await console.waitFor(
			'finalize shop-canary: shop-stable takes shop:2.4.0, then weight 5 -> 0: done',
			15_000,
		);
		expect(stableImage(cluster)).toBe('shop:2.4.0');
		expect(weight(cluster)).toBe('0');
		screen = await console.waitFor((s) => s.includes('weight 0/100') && s.includes('✔ Stable'));
		expect(screen).toMatch(
			/STABLE[^\n]*\n[^\n]*shop-stable[^\n]*\n[^\n]*shop:2\.4\.0 [^\n]*shop:2\.4\.0/,
		);
		expect(screen).toMatch(/finalize\b[^\n]*stable already runs the canary images/);
	});

	it('shows a weight changed behind its back, in the list and in the detail', async (context) => {
		const {cluster, console} = await open(context);
		// The first change by the real kubectl, as an engineer at another terminal would make it.
		if (kubectl) {
			await run(
				kubectl,
				['annotate', 'ingress', 'shop-canary', '-n', 'shop', `${weightKey}=40`, '--overwrite'],
				{
					env: {...process.env, KUBECONFIG: cluster.kubeconfig},
					timeout: 20_000,
				},
			);
		} else setWeight(cluster, '40');
		expect(weight(cluster)).toBe('40');
		await console.waitFor((s) => /40%/.test(rowWith(s, 'shop/shop-canary') ?? ''), 10_000);
		await openDetail(console, 40);
		setWeight(cluster, '55');
		const screen = await console.waitFor('weight 55/100', 10_000);
		expect(screen).toMatch(/ canary 55% +weight 55\/100 +stable 45%/);
		// A weight nobody can read: said so, no bar drawn, no step offered.
		setWeight(cluster, 'abc');
		const bad = await console.waitFor('canary-weight "abc" is not an integer', 10_000);
		expect(bad).toContain('the canary weight cannot be read');
		expect(bad).toMatch(/step\b[^\n]*canary-weight "abc"/);
		expect(bad).not.toContain('█');
		// Taking the canary out stays possible: rollback tests the text it saw and writes 0.
		expect(bad).toMatch(/Actions[^\n]*r rollback/);
	});

	it('refuses a step raced by another writer, with the conflict on screen', async (context) => {
		const {cluster, console} = await open(context);
		await openDetail(console);
		console.press('s');
		await console.waitFor('only if the canary weight is still "10"');
		setWeight(cluster, '30');
		console.press('y');
		const screen = await console.waitFor('changed since you looked');
		expect(rowWith(screen, 'changed since you looked')).toContain(
			'the canary weight changed since you looked: now 30',
		);
		expect(weight(cluster)).toBe('30');
		await console.waitFor('weight 30/100');
		// Still 30 a moment later: nothing retried the step.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(weight(cluster)).toBe('30');
		const events = cluster.sim.store
			.peek(typeOf('events'), {namespace: 'shop'})
			.filter((e) => e.reportingComponent === 'cutover');
		expect(events).toEqual([]);
	});

	it('--ascii draws the bars with # and . and the ticks with ^', async (context) => {
		const {console} = await open(context, ['--ascii']);
		let screen = (await console.screen()).join('\n');
		expect(rowWith(screen, 'shop/shop-canary')).toContain('#....... 10%');
		screen = await openDetail(console);
		expect(screen).toContain(` ${'#'.repeat(8)}${'.'.repeat(70)}`);
		expect(screen).toMatch(/\n +\^ +\^ +\^ +\^\n/);
		expect(screen).not.toMatch(/[█░▴]/);
	});
});
