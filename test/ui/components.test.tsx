import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {registry} from '../../source/core/strategies/index.js';
import {App} from '../../source/ui/components/app.js';
import {Help} from '../../source/ui/components/help.js';
import {TrackCard} from '../../source/ui/components/track-card.js';
import {Controller} from '../../source/ui/controller.js';
import {bindingsFor} from '../../source/ui/keymap.js';
import {Store} from '../../source/ui/store.js';
import {makeTheme, ThemeContext} from '../../source/ui/theme.js';
import {seedSnapshot} from '../fixtures/blue-green.js';
import {shopSnapshot} from '../fixtures/nginx-canary.js';

const instances: Array<ReturnType<typeof render>> = [];
afterEach(() => {
	for (const instance of instances.splice(0)) instance.unmount();
});

/** The console's App on a Store, drawn at columns x rows. */
async function renderApp({
	columns = 80,
	rows = 24,
	readonly = false,
	ascii = false,
	live = 'blue',
} = {}) {
	const store = new Store({context: 'cutover-sim', namespace: 'default', readonly});
	const snapshot = seedSnapshot({live});
	store.update({
		rollouts: registry.detect(snapshot),
		connection: {status: 'live', lastDataAt: Date.now(), missing: []},
	});
	const active = bindingsFor(registry.actions, readonly);
	const controller = new Controller({
		store,
		bindings: active,
		actions: registry.actions,
		plan: (action, rollout, input) => registry.plan(action, rollout, snapshot, input),
		apply: async (plan) => ({ok: true, summary: `${plan.summary}: done`}),
		quit: () => {},
	});
	const instance = render(
		<ThemeContext.Provider value={makeTheme({color: false, ascii})}>
			<App
				store={store}
				controller={controller}
				bindings={active}
				patterns={['blue/green', 'nginx']}
			/>
		</ThemeContext.Provider>,
	);
	instances.push(instance);
	// ink-testing-library's stdout is 100 columns and has no rows: size it, as a resize would.
	Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
	const drawn = instance.frames.length;
	instance.stdout.emit('resize');
	// The frame drawn at the new size, however busy the machine is (a fixed pause was not always enough).
	for (let waited = 0; instance.frames.length === drawn && waited < 2000; waited += 20)
		await tick();
	await tick();
	const frame = () => (instance.lastFrame() ?? '').split('\n');
	return {store, controller, instance, frame};
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('components at 80x24', () => {
	it('the list: one line for myapp with BLUE live, never wider or taller than the terminal', async () => {
		const {frame} = await renderApp();
		const lines = frame();
		expect(lines.length).toBeLessThan(24);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		expect(lines[0]).toMatch(/^cutover +cutover-sim → default +● live/);
		const row = lines.find((line) => line.includes('default/myapp'));
		expect(row).toMatch(/^› default\/myapp +blue\/green +● BLUE live .*✔ Healthy/);
		expect(lines.at(-1)).toMatch(/\? help {2}q quit$/);
	});

	it('the list says GREEN live when the Service selects green', async () => {
		const {frame} = await renderApp({live: 'green'});
		expect(frame().find((line) => line.includes('default/myapp'))).toContain('● GREEN live');
	});

	it('the detail: both tracks side by side, the actions and Events', async () => {
		const {store, frame} = await renderApp();
		store.update({screen: 'detail'});
		await tick();
		const lines = frame();
		expect(lines.length).toBeLessThan(24);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		const row = (text: string) => lines.find((line) => line.includes(text)) ?? '';
		expect(row('default/myapp')).toContain('Service myapp selects version=blue');
		expect(row('BLUE')).toMatch(/● BLUE +LIVE.*○ GREEN +standby/);
		expect(row('deployment/app-blue')).toContain('deployment/app-green');
		expect(row('myapp:1.0.0')).toContain('myapp:1.1.0');
		expect(row('ready 3/3').match(/ready 3\/3/g)).toHaveLength(2);
		for (const action of ['p +promote', 'r +rollback', 'd +deploy', 't +smoke'])
			expect(lines.join('\n')).toMatch(new RegExp(`✔ ${action}`));
		expect(lines.some((line) => line.startsWith('Events'))).toBe(true);
		// Without a metrics source it says so, and how to give one, rather than showing nothing.
		expect(row('metrics:')).toContain(
			'? metrics: no metrics source: start cutover with --prometheus',
		);
	});

	it('the confirm dialog shows the plan with its test and precondition', async () => {
		const {controller, frame} = await renderApp();
		controller.key('p', {});
		await tick();
		const text = frame().join('\n');
		expect(text).toContain('switch myapp from BLUE to GREEN?');
		expect(text).toContain('{"op":"test","path":"/spec/selector/version","value":"blue"}');
		expect(text).toContain('only if the live color is still "blue"');
		expect(text).toContain('y to confirm, any other key cancels');
	});

	it('help lists every binding of the keymap, with its key and description', async () => {
		const {controller, frame} = await renderApp();
		controller.key('?', {});
		await tick();
		const text = frame().join('\n');
		for (const binding of bindingsFor(registry.actions, false)) {
			expect(text).toMatch(
				new RegExp(
					// At the start of a line, or of the second column.
					`(^|\\S {2,}) +${binding.label.replace(/[?/]/g, '\\$&')} +${binding.description.replace(/[()]/g, '\\$&')}`,
					'm',
				),
			);
		}
	});

	it('help in --readonly lists no dangerous binding and says why', () => {
		const {lastFrame, unmount} = render(
			<Help bindings={bindingsFor(registry.actions, true)} readonly={true} width={80} />,
		);
		const text = lastFrame() ?? '';
		unmount();
		for (const binding of bindingsFor(registry.actions, false)) {
			if (binding.dangerous) expect(text).not.toContain(binding.description);
			else expect(text).toContain(binding.description);
		}
		expect(text).toContain('Read-only: keys that change the cluster are not bound.');
	});

	it('--readonly: the footer offers no p promote, the header says read-only', async () => {
		const {frame} = await renderApp({readonly: true});
		const lines = frame();
		expect(lines[0]).toContain('[read-only]');
		expect(lines.at(-1)).not.toContain('p promote');
		expect(lines.at(-1)).toContain('t smoke test');
	});

	it('--ascii: no character beyond ASCII on the list, the detail or a dialog', async () => {
		const {store, controller, frame} = await renderApp({ascii: true});
		const ascii = /^[\x20-\x7E\n]*$/;
		expect(frame().join('\n')).toMatch(ascii);
		store.update({screen: 'detail'});
		await tick();
		expect(frame().join('\n')).toMatch(ascii);
		controller.key('p', {});
		await tick();
		expect(frame().join('\n')).toMatch(ascii);
	});

	it('an error wraps so the failing pods and what they answered stay on screen', async () => {
		const {store, frame} = await renderApp();
		const pods = [
			'app-green-8jq2bjhbzq-55vdd',
			'app-green-8jq2bjhbzq-r985s',
			'app-green-8jq2bjhbzq-zt7xq',
		];
		store.update({
			notice: {
				kind: 'error',
				text: `smoke test failed: 3 of 3 pods of app-green answered /health badly: ${pods
					.map((pod) => `${pod}: 503 {"status":"unhealthy","pod":"${pod}","version":"myapp:1.1.0"}`)
					.join('; ')}`,
			},
		});
		await tick();
		const lines = frame();
		expect(lines.length).toBeLessThan(24);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		const text = lines.join('\n');
		for (const pod of pods) expect(text).toContain(`${pod}: 503`);
		// The keys stay on the last line.
		expect(lines.at(-1)).toMatch(/q quit$/);
	});

	it('below 80x24 it says the terminal is too small', async () => {
		const {frame} = await renderApp({columns: 70, rows: 20});
		expect(frame().join('\n')).toContain('terminal too small: 70x20');
	});
});

describe('an empty list', () => {
	it('says why nothing can be read when the API server never answered, not "no rollouts found"', async () => {
		const {store, frame} = await renderApp();
		const error =
			'unauthorized: the API server did not accept your credentials (context prod, user oncall, at https://10.0.0.1:6443; asked to get services): log in again';
		store.update({
			rollouts: [],
			connection: {status: 'disconnected', lastDataAt: 0, error, missing: []},
		});
		await tick();
		const text = frame().join('\n');
		expect(text).toContain(
			'cannot list rollouts: unauthorized: the API server did not accept your',
		);
		expect(text).toContain('(retrying)');
		expect(text).not.toContain('no rollouts found');
		store.update({connection: {status: 'connecting', lastDataAt: 0, missing: []}});
		await tick();
		expect(frame().join('\n')).toContain("waiting for the API server's first answer");
		store.update({connection: {status: 'live', lastDataAt: Date.now(), missing: []}});
		await tick();
		expect(frame().join('\n')).toContain('no rollouts found: nothing here is a rollout');
	});

	it('with only settled rolling updates, says they are hidden and how to show them', async () => {
		const {store, frame} = await renderApp({columns: 100});
		const [first] = store.get().rollouts;
		store.update({rollouts: [{...first!, quiet: true}]});
		await tick();
		const text = frame().join('\n');
		expect(text).toContain('nothing rolling out, paused or stuck: 1 settled rolling update hidden');
		expect(text).not.toContain('no rollouts found');
	});
});

describe('a track card', () => {
	it('says traffic ? beside an unreadable canary weight, never 100 % and 0 %', () => {
		const snapshot = shopSnapshot({canary: {'nginx.ingress.kubernetes.io/canary-weight': 'abc'}});
		const shop = registry.detect(snapshot).find((r) => r.name === 'shop-canary')!;
		const cards = shop.tracks.map((track) => {
			const instance = render(
				<ThemeContext.Provider value={makeTheme({color: false, ascii: false})}>
					<TrackCard track={track} width={40} />
				</ThemeContext.Provider>,
			);
			instances.push(instance);
			return instance.lastFrame() ?? '';
		});
		expect(cards[0]).toMatch(/STABLE +traffic \?/);
		expect(cards[1]).toMatch(/CANARY +traffic \?/);
		expect(cards.join('\n')).not.toContain('% of traffic');
	});
});
