import {describe, expect, it} from 'vitest';
import {registry} from '../../source/core/strategies/index.js';
import {bindingsFor} from '../../source/ui/keymap.js';
import {
	blueLive,
	ESC,
	expectRestored,
	keys,
	openConsole,
	rowWith,
	startupMs,
	testTimeout,
} from './harness.js';

describe.concurrent('the console in a terminal', {timeout: testTimeout}, () => {
	it('? shows help generated from the keymap; q leaves the terminal as it was', async (context) => {
		const {console} = await openConsole(context);
		await console.waitFor(blueLive, startupMs);
		expect(console.term.buffer.active.type).toBe('alternate');
		expect(console.output()).toContain(`${ESC}[?1049h${ESC}[?25l`);
		console.press('?');
		const screen = await console.waitFor('Keys');
		// At the start of a line, or of the second column of the keys that move around.
		for (const [key, description] of [
			['p', 'promote: switch traffic to the new version'],
			['r', 'roll back to the previous version'],
			['d', 'deploy an image to the standby'],
			['t', 'smoke-test the standby (changes nothing)'],
			['q', 'quit'],
		] as const)
			expect(screen).toMatch(
				new RegExp(`(^|\\S {2,}) +${key} +${description.replace(/[()]/g, '\\$&')}`, 'm'),
			);
		for (const binding of bindingsFor(registry.actions, false))
			expect(screen).toContain(binding.description);
		console.press(keys.escape);
		await console.waitFor('NAMESPACE/NAME');
		console.press('q');
		await expectRestored(console);
	});

	it('--readonly binds no key that changes the cluster; Ctrl-C quits', async (context) => {
		const {cluster, console} = await openConsole(context, {args: ['--readonly']});
		let screen = await console.waitFor(blueLive, startupMs);
		expect(screen.split('\n')[0]).toContain('[read-only]');
		const footer = rowWith(screen, 'q quit') ?? '';
		expect(footer).toContain('t smoke test');
		expect(footer).not.toContain('p promote');
		expect(footer).not.toContain('r rollback');
		expect(footer).not.toContain('d deploy');
		console.press('p', 'r', 'd');
		// Then a key that does draw, so the ones before it had their chance.
		console.press('?');
		screen = await console.waitFor('Keys');
		expect(screen).not.toContain('y to confirm');
		expect(screen).not.toContain('image to deploy');
		expect(screen).toContain('Read-only: keys that change the cluster are not bound.');
		expect(screen).not.toContain('promote: switch traffic');
		expect(cluster.selector()).toBe('blue');
		console.press(keys.ctrlC);
		await expectRestored(console);
	});

	it('when the API server goes away it keeps the last state and says how old it is', async (context) => {
		const {cluster, console} = await openConsole(context);
		await console.waitFor(blueLive, startupMs);
		await cluster.sim.stop();
		const screen = await console.waitFor((s) => s.split('\n')[0]!.includes('disconnected'), 15_000);
		expect(screen.split('\n')[0]).toMatch(/disconnected, data \d+s old, actions off/);
		// The last state stays on screen: myapp, blue live.
		expect(blueLive(screen)).toBe(true);
		// Nothing is planned on it.
		console.press('p');
		await console.waitFor('the data is');
		expect((await console.screen()).join('\n')).not.toContain('y to confirm');
		console.press('q');
		await expectRestored(console);
	});

	it('/ filters the list by namespace/name', async (context) => {
		const {console} = await openConsole(context, {args: ['-A']});
		let screen = await console.waitFor(
			(s) => blueLive(s) && s.includes('shop/shop-canary'),
			startupMs,
		);
		console.press('/', ...'myapp');
		screen = await console.waitFor('filter: myapp');
		expect(screen).toContain('1 rollout');
		expect(rowWith(screen, 'default/myapp')).toContain('BLUE live');
		expect(screen).not.toContain('shop/shop-canary');
		// Keys typed into the filter are text, not commands.
		expect(screen).not.toContain('y to confirm');
		console.press(...'zz');
		screen = await console.waitFor('no rollout matches the filter');
		expect(rowWith(screen, 'default/myapp')).toBeUndefined();
		console.press(keys.escape);
		screen = await console.waitFor((s) => blueLive(s) && s.includes('shop/shop-canary'));
		expect(screen).not.toContain('filter:');
	});

	it('below 80x24 says the terminal is too small, and draws once it grows', async (context) => {
		const {console} = await openConsole(context, {columns: 70, rows: 20});
		const screen = await console.waitFor('terminal too small', startupMs);
		expect(screen).toContain('70x20');
		expect(screen).not.toContain('NAMESPACE/NAME');
		console.child.resize(80, 24);
		console.term.resize(80, 24);
		await console.waitFor(blueLive);
		console.press('q');
		await expectRestored(console);
	});
});
