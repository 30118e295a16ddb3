/**
 * A plain rolling update in the console: `kubectl set image` behind its back shows both
 * ReplicaSets by revision, and `u` then `y` puts the old image back, as `kubectl rollout undo`.
 */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {findKubectl, requireBinary} from '../helpers/binaries.js';
import {keys, openConsole, rowWith, startupMs, testTimeout, typeOf} from './harness.js';

const run = promisify(execFile);
const kubectl = findKubectl();

const scenario = `
name: rolling-web
description: one Deployment, rolled by kubectl
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: default, labels: { app: web } }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: "registry.example.com/web:1.0.0" }] }
`;

describe.skipIf(requireBinary('kubectl', kubectl, 'install kubectl 1.27 or newer'))(
	'a rolling update in the console',
	() => {
		it(
			'kubectl set image shows both revisions; u y undoes it and the old image returns',
			async (context) => {
				const {cluster, console} = await openConsole(context, {
					scenario,
					args: ['-n', 'default'],
					columns: 100,
					rows: 30,
				});
				const image = () =>
					cluster.deployment('web').spec?.template?.spec?.containers?.[0]?.image as string;
				// Settled since the scenario began: hidden, and the list says so.
				await console.waitFor('1 settled rolling update hidden (H shows them)', startupMs);
				await run(
					kubectl!,
					['set', 'image', 'deployment/web', 'web=registry.example.com/web:1.1.0'],
					{env: {...process.env, KUBECONFIG: cluster.kubeconfig}, timeout: 20_000},
				);
				// Changed now: it is news, listed without asking.
				await console.waitFor((s) => /rolling/.test(rowWith(s, 'default/web') ?? ''), 10_000);
				console.press(keys.enter);
				const detail = await console.waitFor(
					(s) => s.includes('REVISION 1') && s.includes('REVISION 2') && !s.includes('rolling out'),
					20_000,
				);
				expect(detail).toContain('registry.example.com/web:1.0.0');
				expect(detail).toContain('registry.example.com/web:1.1.0');

				console.press('u');
				const dialog = await console.waitFor('y to confirm');
				expect(dialog).toMatch(/back to revision 1 \(registry\.example\.com\/web:1\.0\.0\)/);
				// Asking changes nothing.
				expect(image()).toBe('registry.example.com/web:1.1.0');
				console.press('y');
				await console.waitFor((s) => s.includes('REVISION 3'), 20_000);
				expect(image()).toBe('registry.example.com/web:1.0.0');
				const undone = cluster.sim.store
					.peek(typeOf('events'), {namespace: 'default'})
					.filter((e) => (e as {reason?: string}).reason === 'CutoverUndo');
				expect(undone).toHaveLength(1);
			},
			testTimeout,
		);
	},
);
