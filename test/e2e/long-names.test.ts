/**
 * Names at Kubernetes' length limits (a Service of 63 characters, Deployments of 240 (their ReplicaSets' names, with the hash, stay within 253), a
 * namespace of 63) and an image of 250: the console at 80x24 stays one line per row and
 * within its frame, the detail and the confirm dialog name them, and `p` `y` still switches
 * the right Service.
 */
import {describe, expect, it} from 'vitest';
import {keys, openConsole, rowWith, startupMs, testTimeout, typeOf} from './harness.js';

const namespace = `n${'s'.repeat(61)}1`;
const service = `s${'v'.repeat(61)}c`;
const deploymentOf = (color: string) => `${color}-${'d'.repeat(239 - color.length)}`;
const image = `registry.example.com/${'i'.repeat(200)}:1.0.0`;

function bluegreen(color: string): string {
	return `
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: ${deploymentOf(color)}, namespace: ${namespace}, labels: { app: long, version: ${color} } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: long, version: ${color} } }
      template:
        metadata: { labels: { app: long, version: ${color} } }
        spec: { containers: [{ name: app, image: "${image}", ports: [{ containerPort: 8080 }] }] }`;
}

const scenario = `
name: long-names
description: a blue/green whose names are as long as Kubernetes allows
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: ${namespace} }
${bluegreen('blue')}
${bluegreen('green')}
  - apiVersion: v1
    kind: Service
    metadata: { name: ${service}, namespace: ${namespace} }
    spec:
      selector: { app: long, version: blue }
      ports: [{ port: 80, targetPort: 8080 }]
`;

describe('names at the length limit', {timeout: testTimeout}, () => {
	it('fit the 80x24 frame one line per row, and p y switches that Service', async (context) => {
		const {cluster, console} = await openConsole(context, {
			scenario,
			args: ['-A'],
			columns: 80,
			rows: 24,
		});
		const row = (s: string) => rowWith(s, 'blue/green') ?? '';
		let screen = await console.waitFor(
			(s) => row(s).includes('BLUE live') && row(s).includes('Healthy'),
			startupMs,
		);
		let lines = screen.split('\n');
		expect(lines).toHaveLength(24);
		expect(lines[0]).toMatch(/^cutover +cutover-sim/);
		expect(lines[22]).toMatch(/\? help {2}q quit$/);
		expect(lines[23]).toBe('');
		// The name is cut with an ellipsis, the live color still on its row.
		expect(row(screen)).toContain('…');

		console.press(keys.enter);
		screen = await console.waitFor('Actions');
		lines = screen.split('\n');
		expect(lines).toHaveLength(24);
		expect(lines[23]).toBe('');
		expect(screen).toContain(service.slice(0, 30));
		// The title row: the namespace cut first, then the name; then the strategy and the phase whole, on one row.
		expect(lines[1]).toMatch(/^ns+…\/sv+… +blue\/green +✔ Healthy/);

		console.press('p');
		screen = await console.waitFor('y to confirm');
		expect(screen).toContain(`switch ${service.slice(0, 30)}`);
		// The question is the dialog's first row, not pushed off by what wraps below it.
		expect(rowWith(screen, '╔')).toBeDefined();
		expect(screen.split('\n')[2]).toMatch(/^║ switch s/);
		console.press('y');
		await console.waitFor((s) => /GREEN LIVE/.test(s) && /^✔ switch s/m.test(s), 15_000);
		const selector = cluster.sim.store.get(typeOf('services'), namespace, service).spec.selector;
		expect(selector.version).toBe('green');
	});
});
