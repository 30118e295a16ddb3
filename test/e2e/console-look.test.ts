import {describe, expect, it} from 'vitest';
import {
	blueLive,
	ESC,
	expectRestored,
	keys,
	openConsole,
	rowWith,
	startConsole,
	startupMs,
	testTimeout,
} from './harness.js';

/** SGR sequences that set a foreground or background color. */
function colorCodes(bytes: string): string[] {
	const found: string[] = [];
	for (const match of bytes.matchAll(new RegExp(`${ESC}\\[([\\d;]*)m`, 'g'))) {
		const params = (match[1] ?? '').split(';').map(Number);
		if (params.some((p) => (p >= 30 && p <= 49 && p !== 39 && p !== 49) || (p >= 90 && p <= 107)))
			found.push(match[0]);
	}
	return found;
}

describe.concurrent('how the console looks: --ascii, colors, demo', {timeout: testTimeout}, () => {
	it('--ascii draws no character beyond ASCII', async (context) => {
		const {console} = await openConsole(context, {args: ['--ascii']});
		let screen = await console.waitFor(blueLive, startupMs);
		expect(rowWith(screen, 'default/myapp')).toContain('* BLUE live');
		expect(screen).toMatch(/^[\x20-\x7E\n]*$/);
		console.press(keys.enter);
		screen = await console.waitFor('Actions');
		expect(screen).toContain('deployment/app-green');
		expect(screen).toMatch(/^[\x20-\x7E\n]*$/);
		console.press('p');
		screen = await console.waitFor('y to confirm');
		expect(screen).toMatch(/^[\x20-\x7E\n]*$/);
	});

	it('colors by default; --no-color and NO_COLOR=1 write no color codes', async (context) => {
		const runs = [
			{name: 'default', options: {}},
			{name: '--no-color', options: {args: ['--no-color']}},
			{name: 'NO_COLOR=1', options: {env: {NO_COLOR: '1'}}},
		];
		const started = await Promise.all(
			runs.map(async (run) => ({...run, ...(await openConsole(context, run.options))})),
		);
		for (const {console} of started) {
			await console.waitFor(blueLive, startupMs);
			console.press(keys.enter);
			await console.waitFor('Actions');
		}
		const [colored, ...plain] = started;
		expect(colorCodes(colored!.console.output()).length).toBeGreaterThan(0);
		for (const {name, console} of plain) {
			expect(colorCodes(console.output()), name).toEqual([]);
			console.press(keys.escape);
			expect(rowWith(await console.waitFor('NAMESPACE/NAME'), 'default/myapp'), name).toContain(
				'BLUE live',
			);
			expect(colorCodes(console.output()), name).toEqual([]);
		}
	});

	it('cutover demo starts its own cluster and shows myapp live on blue', async (context) => {
		const console = startConsole({args: ['demo']});
		context.onTestFinished(() => console.close());
		const screen = await console.waitFor(blueLive, startupMs);
		expect(screen.split('\n')[0]).toMatch(/^cutover +cutover-sim/);
		console.press('q');
		await expectRestored(console);
	});

	it('cutover demo --scenario bad-canary: the numbers come from the sim, and the bad canary is red', async (context) => {
		const console = startConsole({
			args: ['demo', '--scenario', 'bad-canary'],
			columns: 100,
			rows: 30,
		});
		context.onTestFinished(() => console.close());
		await console.waitFor(blueLive, startupMs);
		// Blue serves 50 rps at 0.2 % errors: its health cell turns to numbers within a refresh.
		let screen = await console.waitFor(
			(s) => /default\/myapp.*\d+(\.\d)?% \d+ms/.test(s),
			startupMs,
		);
		console.press('/', 'shop-canary', keys.enter, keys.enter);
		// The canary takes 10 % of shop's 40 rps, at 4 % errors and a p99 near 900 ms: over both thresholds.
		screen = await console.waitFor((s) => /rps .*p99 \d+ms ✖/.test(s), startupMs);
		expect(screen).toMatch(/STABLE[^\n]*CANARY/);
		expect(screen).toContain('p99 ms (max 500)');
		expect(screen).toContain('error % (max 1)');
		console.press('q');
		await expectRestored(console);
	});
});
