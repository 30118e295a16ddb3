import {describe, expect, it, type TestContext} from 'vitest';
import {
	blueLive,
	type Cluster,
	keys,
	openConsole,
	rowWith,
	startupMs,
	testTimeout,
	typeOf,
} from './harness.js';

/** The seed, with the standby's image failing its health check. */
async function open(context: TestContext, scenario?: string) {
	const run = await openConsole(context, scenario ? {scenario} : {});
	await run.console.waitFor(blueLive, startupMs);
	return run;
}

const unhealthyStandby = `
name: unhealthy-standby
extends: seed
behaviours:
  "myapp:1.1.0": { healthy: false }
`;

function image(cluster: Cluster, name: string): string | undefined {
	return cluster.deployment(name).spec?.template?.spec?.containers?.[0]?.image;
}

describe.concurrent('deploy and smoke test from the keyboard', {timeout: testTimeout}, () => {
	it('d deploys an image to the standby, shows progress, then offers the switch', async (context) => {
		const {cluster, console} = await open(context);
		console.press('d');
		let screen = await console.waitFor('image to deploy to app-green');
		expect(screen).toContain('(now myapp:1.1.0)');
		console.press(...'myapp:1.2.0'.split(''));
		await console.waitFor('> myapp:1.2.0');
		console.press(keys.enter);
		screen = await console.waitFor('y to confirm');
		expect(screen).toContain('myapp:1.2.0');
		expect(screen).toContain('app-green');
		// Asking changes nothing.
		expect(image(cluster, 'app-green')).toBe('myapp:1.1.0');
		console.press('y');
		// The rollout's progress: updated/ready of desired while it runs.
		await console.waitFor((s) => /updated \d\/3, ready \d\/3/.test(s) || s.includes('rolling out'));
		expect(image(cluster, 'app-green')).toBe('myapp:1.2.0');
		expect(image(cluster, 'app-blue')).toBe('myapp:1.0.0');
		// Then the switch, asked for.
		screen = await console.waitFor('switch myapp from BLUE to GREEN?', 20_000);
		expect(screen).toContain('y to confirm');
		expect(screen).toMatch(/: done\. Switch now\?/);
		expect(cluster.selector()).toBe('blue');
		console.press('y');
		await console.waitFor('switch myapp from BLUE to GREEN: done');
		expect(cluster.selector()).toBe('green');
		await console.waitFor((s) => (rowWith(s, 'default/myapp') ?? '').includes('GREEN live'));
		console.press(keys.enter);
		screen = await console.waitFor('CutoverDeploy');
		expect(rowWith(screen, 'myapp:1.2.0')).toContain('myapp:1.0.0');
	});

	it('t smoke-tests the standby without asking; Esc in the image prompt cancels', async (context) => {
		const {cluster, console} = await open(context);
		console.press('t');
		const screen = await console.waitFor('3/3 pods answered /health with 200');
		expect(screen).not.toContain('y to confirm');
		expect(cluster.selector()).toBe('blue');

		console.press('d');
		await console.waitFor('image to deploy to app-green');
		console.press('x', keys.escape);
		await console.waitFor('cancelled: nothing was changed');
		expect(image(cluster, 'app-green')).toBe('myapp:1.1.0');
	});

	it('t on an unhealthy standby names the failing pods and 503, and changes nothing', async (context) => {
		const {cluster, console} = await open(context, unhealthyStandby);
		const pods = cluster.sim.store
			.peek(typeOf('pods'), {namespace: 'default'})
			.map((pod) => pod.metadata.name as string)
			.filter((name) => name.startsWith('app-green-'));
		expect(pods).toHaveLength(3);
		console.press('t');
		const screen = await console.waitFor(
			(s) => s.includes('smoke test failed') && s.includes('NAMESPACE/NAME'),
		);
		expect(screen).toContain('503');
		for (const pod of pods) expect(screen).toContain(pod);
		expect(cluster.selector()).toBe('blue');

		// A switch smoke-tests first and stops there, back on the list with the error.
		console.press('p');
		await console.waitFor('y to confirm');
		console.press('y');
		const after = await console.waitFor(
			(s) =>
				s.includes('smoke test failed') &&
				s.includes('NAMESPACE/NAME') &&
				!s.includes('y to confirm'),
		);
		expect(cluster.selector()).toBe('blue');
		expect(rowWith(after, 'default/myapp')).toContain('BLUE live');
	});
});
