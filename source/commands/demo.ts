import {writeFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {KubeConfig} from '@kubernetes/client-node';
import {SimulatedSource} from '../metrics/simulated.js';
import {startSim} from '../sim/index.js';
import {simContext} from '../sim/kubeconfig.js';
import {ScenarioError} from '../sim/scenario.js';
import type {ConsoleOptions} from './console.js';
import {CommandError, exitCodes} from './exit-codes.js';

export type DemoOptions = Omit<ConsoleOptions, 'connection'> & {
	scenario: string;
	writeKubeconfig?: string;
};

/**
 * `cutover demo`: the simulated cluster in-process, and the console against it over a real
 * HTTP connection through @kubernetes/client-node, exactly as for a real cluster.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
	let sim: Awaited<ReturnType<typeof startSim>>;
	try {
		sim = await startSim({scenario: options.scenario});
	} catch (error) {
		if (error instanceof ScenarioError) throw new CommandError(error.message, exitCodes.usage);
		throw error;
	}
	try {
		if (options.writeKubeconfig) {
			const file = resolve(options.writeKubeconfig);
			writeFileSync(file, sim.kubeconfig, {mode: 0o600});
		}
		const config = new KubeConfig();
		config.loadFromString(sim.kubeconfig);
		const {runConsole} = await import('./console.js');
		// The demo's numbers come from the sim's own traffic, so they move with every switch and step.
		// Rates over 15 s: a canary at 4 requests a second has enough requests (60 of 50) to be
		// judged, and the guard's five windows to an automatic rollback take a minute and a bit.
		const metrics = new SimulatedSource({traffic: sim.traffic, intervalSeconds: 15});
		return await runConsole({
			...options,
			metrics,
			refreshSeconds: 2,
			windowMinutes: 5,
			connection: {config, context: simContext, namespace: undefined},
		});
	} finally {
		await sim.stop();
	}
}
