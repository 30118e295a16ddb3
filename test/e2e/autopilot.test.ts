/**
 * Autopilot in the console on the degrading canary: every threshold passes at 10 %, yet the
 * canary is 2.5x slower than stable; the comparison marks it down and autopilot holds it there,
 * before the 25 % step that would break it.
 */
import {describe, expect, it} from 'vitest';
import {expectRestored, keys, startConsole, startupMs, testTimeout} from './harness.js';

describe('autopilot in the console', {timeout: testTimeout * 2}, () => {
	it('holds the degrading canary at 10 %: healthy by the thresholds, worse than stable by the comparison', async (context) => {
		const console = startConsole({
			args: ['demo', '--scenario', 'degrading-canary', '--autopilot'],
			columns: 100,
			rows: 40,
		});
		context.onTestFinished(() => console.close());
		await console.waitFor('shop/shop-canary', startupMs);
		// The list: the health cell ends with the comparison's mark, ▲ worse.
		let screen = await console.waitFor((s) => /shop\/shop-canary .*▲/.test(s), startupMs);
		console.press('/', 'shop-canary', keys.enter, keys.enter);
		// Healthy by the thresholds and marginal by the comparison, on one screen (a 15 s window of
		// a canary at 4 requests a second may read over 500 ms now and then: wait for a clean one).
		screen = await console.waitFor(
			(s) => s.includes('vs STABLE ✖ marginal') && s.includes('Guard ✔ healthy'),
			startupMs,
		);
		expect(screen).toMatch(/Guard ✔ healthy/);
		expect(screen).toMatch(
			/vs STABLE ✖ marginal, score 50: p99 High: canary \d\.\d+x baseline \(98 % confidence\) \(\d+\/\d+ intervals\)/,
		);
		expect(screen).toMatch(
			/autopilot \(while this cutover runs\): holds: compared with STABLE, score 50/,
		);
		// And it stays there: no step while the comparison holds it.
		await new Promise((resolve) => setTimeout(resolve, 20_000));
		screen = (await console.screen()).join('\n');
		expect(screen).toContain('weight 10/100');
		// Autopilot is on for every rollout (the Flagger canary may be stepped), never this one.
		expect(screen).not.toMatch(/AUTOPILOT \w+ shop\/shop-canary/);
		expect(screen).not.toContain('CutoverAutopilo');
		console.press('q');
		await expectRestored(console);
	});
});
