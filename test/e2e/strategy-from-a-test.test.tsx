/**
 * The proof of "one strategy, one file": a strategy defined only in a test file
 * (fixtures/configmap-strategy.ts) and added to the registry here appears in the console's list
 * and detail, in `status --json`, and offers its own action with its own key, from the
 * keyboard and as a subcommand, with no file of source/ changed for it.
 */
import {KubeConfig} from '@kubernetes/client-node';
import {render} from 'ink-testing-library';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KubeClient, pathOf} from '../../source/cluster/client.js';
import {runAction} from '../../source/commands/act.js';
import {type Session, startSession} from '../../source/commands/console.js';
import {runStatus} from '../../source/commands/status.js';
import {kinds} from '../../source/core/kinds.js';
import {builtinStrategies, registryOf} from '../../source/core/strategies/index.js';
import {App} from '../../source/ui/components/app.js';
import {makeTheme, ThemeContext} from '../../source/ui/theme.js';
import {configMapSplit, splitLabel} from '../fixtures/configmap-strategy.js';
import {collector, get, startCluster, type TestCluster, until} from '../helpers/sim-cluster.js';

const registry = registryOf([configMapSplit, ...builtinStrategies]);

let cluster: TestCluster;
let client: KubeClient;

function deployment(name: string, image: string) {
	const labels = {app: 'web', track: name};
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, namespace: 'default', labels},
		spec: {
			replicas: 2,
			selector: {matchLabels: labels},
			template: {metadata: {labels}, spec: {containers: [{name: 'web', image}]}},
		},
	};
}

beforeAll(async () => {
	cluster = await startCluster();
	const config = new KubeConfig();
	config.loadFromString(cluster.sim.kubeconfig);
	client = new KubeClient(config);
	const create = (kind: typeof kinds.deployment | typeof kinds.configMap, body: unknown) =>
		client.call('POST', pathOf({...kind, namespace: 'default'}), {body});
	await create(kinds.deployment, deployment('web-old', 'web:1.0'));
	await create(kinds.deployment, deployment('web-new', 'web:2.0'));
	await create(kinds.configMap, {
		apiVersion: 'v1',
		kind: 'ConfigMap',
		metadata: {name: 'web-split', namespace: 'default', labels: {[splitLabel]: 'true'}},
		data: {stable: 'web-old', canary: 'web-new', weight: '20'},
	});
});

afterAll(async () => {
	await cluster?.stop();
});

const weight = () =>
	(get(cluster.sim, 'configmaps', 'web-split') as unknown as {data: {weight: string}}).data.weight;

describe('a strategy defined in a test file', () => {
	it('is in status --json with its tracks, traffic, facts and its own action', async () => {
		const out = collector();
		expect(
			await runStatus(
				{kubeconfig: cluster.kubeconfig, namespace: 'default', json: true, registry},
				out,
			),
		).toBe(0);
		const {rollouts} = JSON.parse(out.text());
		const split = rollouts.find((r: {name: string}) => r.name === 'web-split');
		expect(split).toMatchObject({
			strategy: 'configmap-split',
			summary: 'ConfigMap web-split holds weight 20',
			phase: 'Split 20',
			facts: [{label: 'router', value: 'in-app'}],
			traffic: {kind: 'split', weight: 20, total: 100},
			actions: [{action: 'nudge', available: true}],
		});
		expect(
			split.tracks.map((t: {title: string; workload: string}) => `${t.title} ${t.workload}`),
		).toEqual(['OLD web-old', 'NEW web-new']);
		// Its Deployments are its own: the built-in blue/green myapp is still there, alone.
		expect(rollouts.map((r: {name: string}) => r.name).sort()).toEqual(['myapp', 'web-split']);
	});

	describe('in the console', () => {
		let session: Session;
		let instance: ReturnType<typeof render>;
		const screen = () => instance.lastFrame() ?? '';

		beforeAll(async () => {
			const config = new KubeConfig();
			config.loadFromString(cluster.sim.kubeconfig);
			session = startSession(
				{
					connection: {config, context: 'cutover-sim', namespace: 'default'},
					readonly: false,
					registry,
					actor: 'tester@test',
				},
				() => {},
			);
			instance = render(
				<ThemeContext.Provider value={makeTheme({color: false, ascii: false})}>
					<App
						store={session.store}
						controller={session.controller}
						bindings={session.bindings}
						patterns={session.patterns}
					/>
				</ThemeContext.Provider>,
			);
			Object.defineProperty(instance.stdout, 'columns', {value: 100, configurable: true});
			Object.defineProperty(instance.stdout, 'rows', {value: 30, configurable: true});
			instance.stdout.emit('resize');
		});

		afterAll(async () => {
			instance?.unmount();
			await session?.stop();
		});

		it('lists it, details it, and n then y nudges the weight in the cluster', async () => {
			await until('the list', () => screen().includes('default/web-split'), 10_000);
			expect(screen()).toMatch(/default\/web-split\s+cm split/);
			// Select it (the list is sorted: myapp first), then open the detail.
			session.controller.input('/web-split', {});
			session.controller.input('', {return: true});
			session.controller.input('', {return: true});
			await until(
				'the detail',
				() => screen().includes('ConfigMap web-split holds weight 20'),
				5000,
			);
			expect(screen()).toContain('router in-app');
			expect(screen()).toContain('NEW  20% of traffic');
			expect(screen()).toContain('deployment/web-new');
			expect(screen()).toContain('✔ n nudge');
			expect(screen()).toMatch(/n nudge/);
			session.controller.input('n', {});
			await until(
				'the confirm dialog',
				() => screen().includes('nudge web-split from 20 to 30?'),
				5000,
			);
			expect(screen()).toContain('{"op":"test","path":"/data/weight","value":"20"}');
			session.controller.input('y', {});
			await until('the weight in the sim', () => weight() === '30', 5000);
			await until('the detail to show it', () => screen().includes('holds weight 30'), 5000);
			const events = cluster.sim.store
				.peek(cluster.sim.store.typeOf({apiVersion: 'v1', kind: 'Event'})!)
				.filter((e) => (e as {reason?: string}).reason === 'CutoverNudge');
			expect(events.map((e) => (e as {message?: string}).message)).toEqual([
				'weight 20 -> 30 by tester@test',
			]);
		});

		it('help lists its key with its words', async () => {
			session.controller.input('?', {});
			await until('help', () => screen().includes('Keys'), 5000);
			expect(screen()).toMatch(/n\s+nudge the canary up by 10 % \(ConfigMap weight\)/);
			session.controller.input('', {escape: true});
			await until('back to the detail', () => screen().includes('holds weight'), 5000);
		});
	});

	it('its action is a subcommand: cutover nudge web-split --yes', async () => {
		const out = collector();
		const input = Object.assign(new (await import('node:stream')).PassThrough(), {isTTY: false});
		const before = weight();
		expect(
			await runAction(
				{
					kubeconfig: cluster.kubeconfig,
					namespace: 'default',
					action: 'nudge',
					name: 'web-split',
					yes: true,
					dryRun: false,
					registry,
				},
				{out, input},
			),
		).toBe(0);
		expect(out.text()).toContain(`nudge web-split from ${before} to ${Number(before) + 10}: done`);
		expect(weight()).toBe(String(Number(before) + 10));
	});
});
