/**
 * Cluster text that tries to drive the terminal, in the console: the bytes written to the
 * pseudo-terminal hold none of it raw, the screen shows it escaped, and the window title and
 * the layout are untouched.
 */
import {describe, expect, it} from 'vitest';
import {hostile, poison, poisonEveryStrategy, rawPayloads} from '../helpers/hostile.js';
import {settled} from '../helpers/sim-cluster.js';
import {keys, openConsole, rowWith, startupMs, testTimeout} from './harness.js';

describe('hostile cluster text in the console', {timeout: testTimeout}, () => {
	it('shows every escape as text, in the list, the detail, the Events and the confirm dialog', async (context) => {
		const {cluster, console} = await openConsole(context, {columns: 100, rows: 30});
		poison(cluster.sim);
		let title = '';
		console.term.onTitleChange((t) => {
			title = t;
		});
		let screen = await console.waitFor(
			(s) => (rowWith(s, 'default/myapp') ?? '').includes('!'),
			startupMs,
		);
		// The list's columns stay in line: the row is one row, as wide as the others.
		const rows = screen.split('\n');
		expect(rows.every((row) => row.length <= 100)).toBe(true);
		console.press(keys.enter);
		screen = await console.waitFor('evil');
		expect(screen).toContain('myapp:1.1.0\\x1b]0;pwned\\x07');
		expect(screen).toContain('evil\\x1b[2J\\x1b[?1049l\\x1b[6n');
		expect(screen).toContain('\\u202eRTL');
		expect(screen).toContain('cutover.dev/max-error-ratio "\\x1b]52;c;cHduZWQ=\\x07"');
		await settled(cluster.sim);
		// p once the console has seen green rolled out (before, it says green is still rolling out).
		for (let tries = 0; ; tries++) {
			console.press('p');
			try {
				screen = await console.waitFor('y to confirm, any other key cancels', 2000);
				break;
			} catch (error) {
				if (tries >= 5) throw error;
			}
		}
		// What the engineer confirms is what is sent: the health path as it is, escapes shown.
		expect(screen).toContain('GET /health\\x1b[31mRED');
		console.press('n');
		await console.waitFor('cancelled');
		const bytes = console.output();
		for (const payload of rawPayloads) expect(bytes).not.toContain(payload);
		// The console writes no OSC, DCS or APC of its own, and nothing from the cluster made one.
		for (const introducer of [']', 'P', '_', '^'])
			expect(bytes).not.toContain(`\u001b${introducer}`);
		expect(title).toBe('');
		expect(hostile.image).toContain('\u001b]0;');
	});

	it("every strategy's detail shows its cluster text escaped, and none of it reaches the terminal raw", async (context) => {
		const {cluster, console} = await openConsole(context, {args: ['-A'], columns: 120, rows: 40});
		await poisonEveryStrategy(cluster.sim);
		await settled(cluster.sim);
		await console.waitFor((s) => (rowWith(s, 'shop/shop-canary') ?? '').includes('?'), startupMs);
		console.press('H');
		await console.waitFor('test/flagger-loadtester');
		const shown = 'x\\x1b]0;pwned\\x07';
		for (const name of [
			'argo/rollouts-demo',
			'shop/shop-canary',
			'test/flagger-loadtester',
			'test/podinfo',
		]) {
			// Down until the selection is on the row, then its detail.
			for (let tries = 0; tries < 8; tries++) {
				const selected = (await console.screen()).find((row) => row.trimStart().startsWith('›'));
				if (selected?.includes(name)) break;
				console.press(keys.down);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			console.press(keys.enter);
			await console
				.waitFor((s) => s.includes(shown), 10_000)
				.catch((error: Error) => {
					throw new Error(`the detail of ${name}: ${error.message}`);
				});
			console.press(keys.escape);
			await console.waitFor('NAMESPACE/NAME');
		}
		const bytes = console.output();
		for (const raw of rawPayloads) expect(bytes).not.toContain(raw);
		for (const introducer of [']', 'P', '_', '^'])
			expect(bytes).not.toContain(`\u001b${introducer}`);
	});
});
