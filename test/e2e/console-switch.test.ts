import {describe, expect, it, type TestContext} from 'vitest';
import {
	blueLive,
	type Cluster,
	type Console,
	ESC,
	keys,
	openConsole,
	rowWith,
	startupMs,
	testTimeout,
	typeOf,
} from './harness.js';

type Run = {cluster: Cluster; console: Console};

/** A sim and the console on it at BLUE live; both stopped when the test ends. */

/** A sim and the console on it at BLUE live; both stopped when the test ends. */
async function open(
	context: TestContext,
	size: {columns: number; rows: number} = {columns: 100, rows: 30},
): Promise<Run> {
	const run = await openConsole(context, size);
	await run.console.waitFor(blueLive, startupMs);
	return run;
}

describe.concurrent('the console switches blue/green on the simulated cluster', {
	timeout: testTimeout,
}, () => {
	it.for([
		{columns: 100, rows: 30},
		{columns: 80, rows: 24},
	])(
		'shows the seed live on blue, p y switches to green, r y back ($columns x $rows)',
		async (size, context) => {
			const {cluster, console} = await open(context, size);
			let screen = await console.waitFor((s) => /^cutover .*● live/.test(s));
			const lines = screen.split('\n');
			expect(lines[0]).toMatch(/^cutover +cutover-sim → default +● live/);
			expect(rowWith(screen, 'default/myapp')).toMatch(
				/default\/myapp +blue\/green +● BLUE live .*✔ Healthy/,
			);
			// With room, the replicas of both tracks too.
			if (size.columns >= 100)
				expect(rowWith(screen, 'default/myapp')).toMatch(/● BLUE live +3\/3 3\/3/);
			expect(lines).toHaveLength(size.rows);
			// The keys fit the width: help and quit are always there.
			expect(lines[size.rows - 2]).toMatch(/p promote .*\? help {2}q quit$/);
			// Never a frame as tall as the terminal: the last row stays empty.
			expect(lines[size.rows - 1]).toBe('');

			console.press('p');
			screen = await console.waitFor('y to confirm, any other key cancels');
			expect(screen).toContain('switch myapp from BLUE to GREEN?');
			expect(screen).toContain('{"op":"test","path":"/spec/selector/version","value":"blue"}');
			expect(screen).toContain('{"op":"replace","path":"/spec/selector/version","value":"green"}');
			expect(screen).toContain('only if the live color is still "blue"');
			// Nothing happens before y.
			expect(cluster.selector()).toBe('blue');

			console.press('y');
			screen = await console.waitFor('switch myapp from BLUE to GREEN: done');
			expect(cluster.selector()).toBe('green');
			screen = await console.waitFor((s) =>
				(rowWith(s, 'default/myapp') ?? '').includes('GREEN live'),
			);
			expect(screen).not.toContain('BLUE live');

			console.press('r');
			screen = await console.waitFor('y to confirm');
			expect(screen).toContain('only if the live color is still "green"');
			expect(cluster.selector()).toBe('green');
			console.press('y');
			await console.waitFor((s) => (rowWith(s, 'default/myapp') ?? '').includes('BLUE live'));
			expect(cluster.selector()).toBe('blue');
		},
	);

	it('cancels on any key but y; shows changes made behind its back; Ctrl-C quits from a dialog', async (context) => {
		const {cluster, console} = await open(context);
		for (const key of ['n', keys.escape, keys.enter, 'x', ' ']) {
			console.press('p');
			// Opening the dialog clears the last notice, so the one awaited next is new.
			await console.waitFor(
				(s) => s.includes('y to confirm') && !s.includes('nothing was changed'),
			);
			console.press(key);
			const screen = await console.waitFor('nothing was changed');
			expect(screen).not.toContain('y to confirm');
			expect(rowWith(screen, 'nothing was changed')).toContain(
				'cancelled: switch myapp from BLUE to GREEN; nothing was changed',
			);
			expect(rowWith(screen, 'default/myapp')).toContain('BLUE live');
			expect(cluster.selector()).toBe('blue');
		}

		// Another writer (kubectl, a pipeline) switches: the screen follows within a couple of seconds.
		cluster.setSelector('green');
		await console.waitFor(
			(s) => (rowWith(s, 'default/myapp') ?? '').includes('GREEN live'),
			10_000,
		);
		cluster.setSelector('blue');
		await console.waitFor((s) => (rowWith(s, 'default/myapp') ?? '').includes('BLUE live'), 10_000);

		console.press('p');
		await console.waitFor('y to confirm');
		console.press(keys.ctrlC);
		expect((await console.exited).exitCode).toBe(0);
		await console.screen();
		expect(console.term.buffer.active.type).toBe('normal');
		expect(console.output().endsWith(`${ESC}[?25h${ESC}[?1049l`)).toBe(true);
		expect(cluster.selector()).toBe('blue');
	});

	it('refuses a switch raced by another writer and flips nothing, whatever the other wrote', async (context) => {
		const {cluster, console} = await open(context);
		console.press('p');
		await console.waitFor('only if the live color is still "blue"');
		// Someone else switches while the dialog is open.
		cluster.setSelector('green');
		console.press('y');
		let screen = await console.waitFor('changed since you looked');
		expect(rowWith(screen, 'changed since you looked')).toContain(
			'the live color changed since you looked: now green',
		);
		expect(cluster.selector()).toBe('green');
		await console.waitFor((s) => (rowWith(s, 'default/myapp') ?? '').includes('GREEN live'));

		// A third color: a Deployment app-red, and the other writer points the Service at it.
		const blue = cluster.deployment('app-blue');
		cluster.sim.store.create(typeOf('deployments'), 'default', {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'app-red', namespace: 'default', labels: {app: 'myapp', version: 'red'}},
			spec: {
				...blue.spec,
				selector: {matchLabels: {app: 'myapp', version: 'red'}},
				template: {...blue.spec.template, metadata: {labels: {app: 'myapp', version: 'red'}}},
			},
		});
		console.press('r');
		await console.waitFor('only if the live color is still "green"');
		cluster.setSelector('red');
		console.press('y');
		screen = await console.waitFor('now red');
		expect(rowWith(screen, 'changed since you looked')).toContain(
			'the live color changed since you looked: now red',
		);
		expect(cluster.selector()).toBe('red');
		// Still red a moment later: nothing retried behind the message.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(cluster.selector()).toBe('red');
	});

	it('Enter shows both tracks, the actions and the Events; a switch adds CutoverSwitch', async (context) => {
		const {cluster, console} = await open(context);
		console.press(keys.enter);
		let screen = await console.waitFor('Actions');
		const row = (text: string) => rowWith(screen, text) ?? '';
		expect(row('deployment/app-blue')).toContain('deployment/app-green');
		expect(row('myapp:1.0.0')).toContain('myapp:1.1.0');
		expect(row('BLUE')).toMatch(/● BLUE +LIVE.*○ GREEN +standby/);
		expect(row('ready 3/3').match(/ready 3\/3/g)).toHaveLength(2);
		expect(screen).toContain('Service myapp selects version=blue');
		// The actions available now, each with its key (and a mark, never color alone).
		for (const action of ['p +promote', 'r +rollback', 'd +deploy', 't +smoke'])
			expect(screen).toMatch(new RegExp(`✔ ${action}`));
		expect(screen).not.toContain('unavailable');
		expect(screen).toMatch(/^Events/m);
		expect(screen).not.toContain('CutoverSwitch');

		console.press('p');
		await console.waitFor('y to confirm');
		console.press('y');
		await console.waitFor('switch myapp from BLUE to GREEN: done');
		screen = await console.waitFor('CutoverSwitch');
		expect(row('CutoverSwitch')).toMatch(
			/Normal +CutoverSwitch +service\/myapp: switched default\/myapp from blue/,
		);
		expect(row('GREEN')).toMatch(/● GREEN +LIVE/);
		expect(cluster.selector()).toBe('green');

		console.press(keys.escape);
		screen = await console.waitFor('NAMESPACE/NAME');
		expect(row('default/myapp')).toContain('GREEN live');
	});

	it('a switch whose answer is lost is read back and shown applied, audited once, never sent twice', async (context) => {
		const {cluster, console} = await open(context);
		// The sim makes the change, then cuts the connection where its answer would go.
		cluster.sim.api.faults.add({
			method: 'PATCH',
			path: '/api/v1/namespaces/default/services/myapp',
			loseAnswer: true,
			times: 1,
		});
		console.press('p');
		await console.waitFor('y to confirm');
		console.press('y');
		const screen = await console.waitFor('an answer was lost');
		expect(rowWith(screen, 'an answer was lost')).toContain(
			'switch myapp from BLUE to GREEN: done (an answer was lost; the cluster, read back, shows it',
		);
		expect(screen).not.toMatch(/cannot reach|failed/);
		expect(cluster.selector()).toBe('green');
		await console.waitFor((s) => (rowWith(s, 'default/myapp') ?? '').includes('GREEN live'));
		const audits = cluster.sim.store
			.peek(typeOf('events'), {namespace: 'default'})
			.filter((e) => e.reason === 'CutoverSwitch');
		expect(audits).toHaveLength(1);
	});
});
