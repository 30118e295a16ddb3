import {writeFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {type FaultPlan, FaultSpecError, parseFaultSpec} from './fault-spec.js';
import {startSim} from './index.js';
import {simContext} from './kubeconfig.js';
import {ScenarioError} from './scenario.js';

export type SimCommandOptions = {
	port: number;
	scenario: string;
	writeKubeconfig?: string;
	/** A fault spec (`error 503 10%; restart every 2m`): refused with exit 2 before the sim starts. */
	faults?: string;
	verbose: boolean;
	/** Printed when the sim is up: the demo says what comes next. */
	banner?: string[];
};

/** Exit codes: 2 for bad input (scenario, port, faults), 1 for a failure to start. */
export class SimStartError extends Error {
	override name = 'SimStartError';
	constructor(
		message: string,
		readonly exitCode: number,
	) {
		super(message);
	}
}

/** `cutover sim`: runs a simulated cluster until SIGINT or SIGTERM. */
export async function runSimCommand(options: SimCommandOptions): Promise<number> {
	if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
		throw new SimStartError(
			`--port ${options.port} is not a port: give 0..65535 (0 picks any free port)`,
			2,
		);
	}
	const faults = options.faults === undefined ? undefined : faultPlan(options.faults);
	let sim: Awaited<ReturnType<typeof startSim>>;
	try {
		sim = await startSim({
			port: options.port,
			scenario: options.scenario,
			...(faults ? {faults} : {}),
			notice: (line: string) => process.stdout.write(`sim: ${line}\n`),
			...(options.verbose ? {log: (line: string) => process.stderr.write(`sim: ${line}\n`)} : {}),
		});
	} catch (error) {
		if (error instanceof ScenarioError) throw new SimStartError(error.message, 2);
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') {
			throw new SimStartError(
				`port ${options.port} on 127.0.0.1 is in use: pick another with --port, or --port 0 for any free port`,
				1,
			);
		}
		if (code === 'EACCES')
			throw new SimStartError(`port ${options.port} needs privileges: pick one above 1023`, 1);
		throw error;
	}
	process.stdout.write(`sim: listening on ${sim.url}\n`);
	process.stdout.write(`sim: scenario ${sim.scenario.name} (${sim.scenario.source})\n`);
	if (faults) process.stdout.write(`sim: faults: ${faults.rules.join('; ')}\n`);
	if (options.writeKubeconfig) {
		const file = resolve(options.writeKubeconfig);
		try {
			writeFileSync(file, sim.kubeconfig, {mode: 0o600});
		} catch (error) {
			await sim.stop();
			throw new SimStartError(
				`cannot write the kubeconfig to ${file}: ${(error as Error).message}`,
				1,
			);
		}
		process.stdout.write(
			`sim: kubeconfig written to ${file} (context ${simContext}); try: KUBECONFIG=${file} kubectl get deploy -A\n`,
		);
	}
	for (const line of options.banner ?? []) process.stdout.write(`${line}\n`);
	await new Promise<void>((done) => {
		process.once('SIGINT', done);
		process.once('SIGTERM', done);
	});
	await sim.stop();
	process.stdout.write('sim: stopped\n');
	return 0;
}

/** The spec read, or refused as `--faults: "RULE": what is wrong; what to give`. */
function faultPlan(spec: string): FaultPlan {
	try {
		return parseFaultSpec(spec);
	} catch (error) {
		if (!(error instanceof FaultSpecError)) throw error;
		const rule = error.rule === undefined ? '' : `"${error.rule}": `;
		throw new SimStartError(`--faults: ${rule}${error.problem}`, 2);
	}
}
