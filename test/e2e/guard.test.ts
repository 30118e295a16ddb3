/**
 * The guard acting by itself, in the real console in a pseudo-terminal: `cutover demo --scenario
 * bad-canary --auto-rollback` counts the bad canary's breaches, rolls it back once the verdict
 * turns failing, and says so in a banner that stays until acknowledged, with the audit Event.
 */
import {describe, expect, it} from 'vitest';
import {expectRestored, keys, startConsole, startupMs, testTimeout} from './harness.js';

describe('the guard in the console', {timeout: testTimeout * 3}, () => {
	it('--auto-rollback: the bad canary is counted to failing, rolled back once, and a banner says so until !', async (context) => {
		const console = startConsole({
			args: ['demo', '--scenario', 'bad-canary', '--auto-rollback'],
			columns: 100,
			rows: 40,
		});
		context.onTestFinished(() => console.close());
		await console.waitFor('shop/shop-canary', startupMs);
		console.press('/', 'shop-canary', keys.enter, keys.enter);
		// Before it fails: breached, counted, and the guard says what it will do.
		let screen = await console.waitFor(
			(s) => /Guard ✖ breached: .*breach \d\/5/.test(s),
			startupMs,
		);
		expect(screen).toMatch(
			/rate 15s · at least 50 requests · fails after 5 breaches · auto-rollback on/,
		);
		// Five 15-second windows after the first breach: failing, then rolled back by the guard.
		screen = await console.waitFor('AUTO-ROLLBACK shop/shop-canary', 5 * 15_000 + 15_000);
		expect(screen).toMatch(
			/AUTO-ROLLBACK shop\/shop-canary at [\d:]+: roll back shop-canary[\s\S]*done, as error ratio [\d.]+ % > 1\.0 %/,
		);
		// The canary takes nothing now, and the audit Event names the guard and why.
		screen = await console.waitFor(
			(s) => s.includes('weight 0/100') && s.includes('CutoverAutoRollba'),
			20_000,
		);
		// Once: a second rollback would have shown a second banner.
		await new Promise((resolve) => setTimeout(resolve, 5000));
		screen = (await console.screen()).join('\n');
		expect(screen.match(/AUTO-ROLLBACK/g)).toHaveLength(1);
		expect(screen).toContain('(! acknowledges)');
		// What the engineer sees after: the guard judges the stable now, which is healthy (at
		// 0.2 % errors a 15 s window can still catch a few; the next windows are clean).
		await console.waitFor((s) => /Guard ✔ healthy/.test(s), 30_000);
		// The banner stays through navigation and goes on !.
		console.press(keys.escape);
		await console.waitFor((s) => s.includes('AUTO-ROLLBACK') && s.includes('NAMESPACE'));
		console.press('!');
		await console.waitFor((s) => !s.includes('AUTO-ROLLBACK'));
		console.press('q');
		await expectRestored(console);
	});
});
