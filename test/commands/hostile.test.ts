/**
 * Cluster text that tries to drive the terminal, through cutover's text output: `status`, a
 * plan's `--dry-run`, an action's progress, and the audit Event it writes back to the cluster.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runAction} from '../../source/commands/act.js';
import {runStatus} from '../../source/commands/status.js';
import {
	hostile,
	payloadShown,
	poison,
	poisonEveryStrategy,
	rawPayloads,
} from '../helpers/hostile.js';
import {
	collector,
	nonTtyInput,
	settled,
	startCluster,
	type TestCluster,
	typeOf,
} from '../helpers/sim-cluster.js';

/** No control character but the newline, no bidi control: nothing a terminal would act on. */
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold the very control characters the lint forbids
const controls = new RegExp(
	'[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]',
);

function expectInert(text: string): void {
	for (const payload of rawPayloads) expect(text).not.toContain(payload);
	expect(text.match(controls)).toBeNull();
}

describe('hostile cluster text in the subcommands', () => {
	let cluster: TestCluster;
	let poisoned = false;
	beforeAll(async () => {
		cluster = await startCluster();
		poison(cluster.sim);
		await settled(cluster.sim);
	}, 30_000);
	afterAll(async () => cluster?.stop());

	const status = async (json: boolean) => {
		const out = collector();
		await runStatus({kubeconfig: cluster.kubeconfig, namespace: 'default', json}, out);
		return out.text();
	};
	const act = async (extra: {dryRun: boolean; yes: boolean}) => {
		const out = collector();
		const code = await runAction(
			{
				kubeconfig: cluster.kubeconfig,
				namespace: 'default',
				action: 'switch',
				name: 'myapp',
				force: true,
				actor: 'oncall@test',
				...extra,
			},
			{out, input: nonTtyInput()},
		);
		return {code, text: out.text()};
	};

	it('status prints the escapes as visible text, its columns in line, and JSON exact', async () => {
		const text = await status(false);
		expectInert(text);
		expect(text).toContain('myapp:1.1.0\\x1b]0;pwned\\x07');
		expect(text).toContain('\\x1b]52;c;cHduZWQ=\\x07');
		const json = JSON.parse(await status(true)) as {
			rollouts: Array<{tracks: Array<{images: string[]}>; problems: string[]}>;
		};
		expect(json.rollouts[0]!.tracks.flatMap((t) => t.images)).toContain(hostile.image);
	});

	it('a dry run and a switch print no escape, and the audit Event carries the escaped form', async () => {
		const dry = await act({dryRun: true, yes: false});
		expectInert(dry.text);
		expect(dry.text).toContain('GET /health\\x1b[31mRED');
		const done = await act({dryRun: false, yes: true});
		expectInert(done.text);
		const audit = cluster.sim.store
			.peek(typeOf('events'), {namespace: 'default'})
			.find((e) => (e as {reason?: string}).reason === 'CutoverSwitch') as
			| {message: string}
			| undefined;
		expect(audit?.message).toContain('myapp:1.1.0\\x1b]0;pwned\\x07');
		expectInert(audit!.message);
	});

	it.for([
		['shop', 'shop-canary'],
		['test', 'podinfo'],
		['argo', 'rollouts-demo'],
		['test', 'flagger-loadtester'],
	])("every strategy's cluster text is shown escaped: status %s/%s", async ([namespace, name]) => {
		if (!poisoned) {
			await poisonEveryStrategy(cluster.sim);
			await settled(cluster.sim);
			poisoned = true;
		}
		for (const allNamespaces of [true, false]) {
			const out = collector();
			await runStatus(
				allNamespaces
					? {kubeconfig: cluster.kubeconfig, allNamespaces, json: false}
					: {kubeconfig: cluster.kubeconfig, namespace, name, json: false},
				out,
			);
			expectInert(out.text());
			if (!allNamespaces) expect(out.text()).toContain(payloadShown);
		}
	});
});
