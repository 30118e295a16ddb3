import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {RolloutMetrics, TrackMetrics} from '../../source/core/metrics.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Rollout} from '../../source/core/types.js';
import {App} from '../../source/ui/components/app.js';
import {Chart} from '../../source/ui/components/chart.js';
import {Controller} from '../../source/ui/controller.js';
import {bindingsFor} from '../../source/ui/keymap.js';
import {Store} from '../../source/ui/store.js';
import {makeTheme, ThemeContext} from '../../source/ui/theme.js';
import {seedSnapshot} from '../fixtures/blue-green.js';

const instances: Array<ReturnType<typeof render>> = [];
afterEach(() => {
	for (const instance of instances.splice(0)) instance.unmount();
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

function sized(node: React.ReactElement, columns: number, rows: number, ascii = false) {
	const instance = render(
		<ThemeContext.Provider value={makeTheme({color: false, ascii})}>{node}</ThemeContext.Provider>,
	);
	instances.push(instance);
	Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
	instance.stdout.emit('resize');
	return instance;
}

/** A minute of points, a reading every 5 s; `bad` makes the track breach both thresholds. */
function trackMetrics(key: string, bad: boolean, gapFrom?: number): TrackMetrics {
	const points = Array.from({length: 12}, (_, i) => {
		const missing = gapFrom !== undefined && i >= gapFrom && i < gapFrom + 3;
		return {
			t: i * 5000,
			rps: missing ? null : 40 + i,
			errorRatio: missing ? null : bad ? 0.04 : 0.002,
			p99Seconds: missing ? null : bad ? 0.9 : 0.12,
			requests: missing ? null : (40 + i) * 60,
			errors: missing ? null : (40 + i) * 60 * (bad ? 0.04 : 0.002),
		};
	});
	return {key, points, now: points.at(-1)!};
}

function blueGreen(): {rollout: Rollout; metrics: RolloutMetrics} {
	const rollout = registry.detect(seedSnapshot({live: 'blue'}))[0]!;
	return {
		rollout,
		metrics: {
			rolloutId: rollout.id,
			windowMinutes: 5,
			rateWindow: '1m',
			tracks: [
				trackMetrics('blue', true, 4),
				{
					key: 'green',
					points: [],
					now: {rps: null, errorRatio: null, p99Seconds: null, requests: null, errors: null},
					noData: 'no traffic',
				},
			],
		},
	};
}

describe('the charts', () => {
	it('draws each series, the threshold line and the axis within its width; a gap is no line, not zero', async () => {
		const instance = sized(
			<Chart
				title="error %"
				series={[{name: 'BLUE', values: [1, 2, null, null, 3, 4, 4, 4], color: undefined}]}
				threshold={1}
				height={5}
				width={26}
				format={(x) => x.toFixed(1)}
				noData="no traffic"
			/>,
			80,
			24,
		);
		await tick();
		const lines = (instance.lastFrame() ?? '').split('\n');
		expect(lines[0]).toBe('error %');
		expect(lines).toHaveLength(6);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(26);
		expect(lines.join('\n')).toContain('╌');
		expect(lines.join('\n')).toContain('┤');
		// The axis sits right after the labels; the segments that touch the gap (points 1 to 3)
		// hold nothing but the threshold line, while the points before and after are drawn.
		const plotStart = lines[1]!.search(/[┤┼]/) + 1;
		expect(plotStart).toBeGreaterThan(0);
		for (const line of lines.slice(1))
			expect(
				line
					.slice(plotStart + 1, plotStart + 4)
					.replaceAll('╌', '')
					.trim(),
			).toBe('');
		expect(
			lines
				.slice(1)
				.some(
					(line) =>
						line[plotStart] !== ' ' && line[plotStart] !== '╌' && line[plotStart] !== undefined,
				),
		).toBe(true);
		expect(lines.slice(1).some((line) => /[╭╯─]/.test(line.slice(plotStart + 4)))).toBe(true);
	});

	it('says "no data" and why, instead of drawing zeros', async () => {
		const instance = sized(
			<Chart
				title="p99 ms"
				series={[{name: 'GREEN', values: [null, null], color: undefined}]}
				height={5}
				width={26}
				format={(x) => x.toFixed(0)}
				noData="prometheus unreachable"
			/>,
			80,
			24,
		);
		await tick();
		expect((instance.lastFrame() ?? '').replaceAll('\n', ' ')).toContain(
			'no data: prometheus unreachable',
		);
		expect(instance.lastFrame()).not.toMatch(/\b0\b/);
	});

	it('--ascii draws with ASCII only', async () => {
		const instance = sized(
			<Chart
				title="req/s"
				series={[{name: 'A', values: [1, 5, 2, 8, 3], color: undefined}]}
				threshold={6}
				height={5}
				width={26}
				format={(x) => x.toFixed(0)}
				noData="-"
			/>,
			80,
			24,
			true,
		);
		await tick();
		const frame = instance.lastFrame() ?? '';
		expect(frame).toMatch(/[|+/\\-]/);
		expect([...frame].every((char) => char.charCodeAt(0) < 128)).toBe(true);
	});
});

describe('metrics in the console at 80x24', () => {
	async function app(ascii = false) {
		const {rollout, metrics} = blueGreen();
		const store = new Store({context: 'cutover-sim', namespace: 'default', readonly: false});
		const snapshot = seedSnapshot({live: 'blue'});
		store.update({
			rollouts: [rollout],
			connection: {status: 'live', lastDataAt: Date.now(), missing: []},
			metrics: new Map([[rollout.id, metrics]]),
		});
		const bindings = bindingsFor(registry.actions, false);
		const controller = new Controller({
			store,
			bindings,
			actions: registry.actions,
			plan: (action, rollout, input) => registry.plan(action, rollout, snapshot, input),
			apply: async (plan) => ({ok: true, summary: plan.summary}),
			quit: () => {},
		});
		const instance = sized(
			<App
				store={store}
				controller={controller}
				bindings={bindings}
				patterns={['blue/green', 'nginx']}
			/>,
			80,
			24,
			ascii,
		);
		await tick();
		return {store, controller, instance, frame: () => (instance.lastFrame() ?? '').split('\n')};
	}

	it('the list shows the live track breaching: ✖, its error % and p99, never ✔ Healthy beside it', async () => {
		const {frame} = await app();
		const row = frame().find((line) => line.includes('default/myapp'))!;
		expect(row).toContain('✖ breached');
		expect(row).not.toContain('✔');
		expect(row).not.toContain('Healthy');
		expect(row).toContain('4.0%');
		expect(row).toContain('900ms');
	});

	it('the detail shows numbers with ✔/✖ per track, three charts with thresholds, within 80x24', async () => {
		const {controller, frame} = await app();
		controller.key('', {return: true});
		await tick();
		const lines = frame();
		expect(lines.length).toBeLessThan(24);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		const text = lines.join('\n');
		expect(text).toContain('err 4.0% ✖');
		expect(text).toContain('p99 900ms ✖');
		expect(text).toContain('no data: no traffic');
		expect(text).toContain('req/s');
		expect(text).toContain('error % (max 1)');
		expect(text).toContain('p99 ms (max 500)');
		expect(text).toContain('last 5m');
	});

	it('--ascii: the detail with charts has no character outside ASCII', async () => {
		const {controller, frame} = await app(true);
		controller.key('', {return: true});
		await tick();
		const text = frame().join('\n');
		expect(text).toContain('err 4.0% x');
		expect([...text].every((char) => char.charCodeAt(0) < 128)).toBe(true);
	});
});
