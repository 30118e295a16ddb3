/**
 * A Prometheus that hangs, reached through the API server's service proxy (the sim's
 * `prometheus hang` fault in front of a real Prometheus scraping the sim): the console keeps
 * showing the cluster as it changes, says why the numbers are missing instead of drawing
 * stale ones as current, and shows numbers again once Prometheus answers.
 */
import {describe, expect, it} from 'vitest';
import {parseFaultSpec} from '../../source/sim/fault-spec.js';
import {requireBinary} from '../helpers/binaries.js';
import {findPrometheus, prometheusInstallHint, startPrometheus} from '../helpers/prometheus.js';
import {keys, rowWith, startCluster, startConsole, startupMs, typeOf} from './harness.js';

const prometheusBinary = findPrometheus();
const numbers = (s: string) => /\d+\.\d rps {2}err/.test(s);

describe.skipIf(requireBinary('prometheus', prometheusBinary, prometheusInstallHint))(
	'a hung Prometheus behind the service proxy',
	() => {
		it('the cluster stays live on screen, the cards say why there are no numbers, and numbers come back', {
			timeout: 150_000,
		}, async (context) => {
			const cluster = await startCluster();
			context.onTestFinished(() => cluster.stop());
			const prometheus = await startPrometheus({
				binary: prometheusBinary!,
				targets: [`127.0.0.1:${cluster.sim.port}`],
			});
			context.onTestFinished(() => prometheus.stop());
			cluster.sim.store.create(typeOf('services'), 'default', {
				apiVersion: 'v1',
				kind: 'Service',
				metadata: {name: 'prometheus', namespace: 'default'},
				spec: {ports: [{port: 9090}], selector: {app: 'prometheus'}},
			});
			cluster.sim.forwards.set('default/prometheus', prometheus.url);
			await prometheus.waitForSamples(3);
			const console = startConsole({
				args: [
					'--kubeconfig',
					cluster.kubeconfig,
					'--prometheus-service',
					'default/prometheus:9090',
					'--metrics-interval',
					'10s',
					'--refresh',
					'1',
				],
			});
			context.onTestFinished(() => console.close());
			await console.waitFor((s) => /›.*default\/myapp/.test(s), startupMs);
			console.press(keys.enter);
			await console.waitFor(numbers, 40_000);

			for (const fault of parseFaultSpec('prometheus default/prometheus:9090 hang').faults)
				cluster.sim.api.faults.add(fault);
			// The cluster's side does not wait on Prometheus: a switch by someone else shows at once.
			cluster.setSelector('green');
			await console.waitFor((s) => s.includes('GREEN') && s.includes('live'), 5000);
			const said = await console.waitFor(
				(s) => s.includes('prometheus unreachable: timed out'),
				40_000,
			);
			// No numbers drawn as current, and the guard does not call it healthy.
			expect(numbers(said)).toBe(false);
			expect(rowWith(said, 'Guard')).toContain('no data: prometheus unreachable: timed out');
			expect(said.split('\n')[0]).toMatch(/ live\b/);

			cluster.sim.api.faults.clear();
			await console.waitFor(numbers, 40_000);
			expect(rowWith(await console.waitFor('GREEN'), 'GREEN')).toBeDefined();
		});
	},
);
