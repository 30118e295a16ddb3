#!/usr/bin/env node
import meow from 'meow';
import {runSimCommand, SimStartError} from './sim/command.js';
import {builtinScenarioNames} from './sim/scenario.js';

const cli = meow(
	`
	Usage
	  $ cutover sim [--port N] [--scenario NAME|FILE] [--write-kubeconfig FILE]
	  $ cutover demo [--write-kubeconfig FILE]

	Commands
	  sim     Run a simulated Kubernetes cluster on 127.0.0.1 until Ctrl-C
	  demo    Run the simulated cluster with the seed's rollouts (the console lands next)

	Options
	  --port N                   Port for the simulated cluster (0: any free port)   [default: 0]
	  --scenario NAME|FILE       A built-in scenario (${builtinScenarioNames().join(', ')}) or a YAML file  [default: seed]
	  --write-kubeconfig FILE    Write a kubeconfig for the simulated cluster (context cutover-sim)
	  --verbose                  Log every API request to stderr

	Examples
	  $ cutover sim --port 8080 --write-kubeconfig /tmp/sim.kubeconfig
	  $ KUBECONFIG=/tmp/sim.kubeconfig kubectl get deploy -A
`,
	{
		importMeta: import.meta,
		allowUnknownFlags: false,
		flags: {
			port: {type: 'number', default: 0},
			scenario: {type: 'string', default: 'seed'},
			writeKubeconfig: {type: 'string'},
			verbose: {type: 'boolean', default: false},
		},
	},
);

async function main(): Promise<number> {
	const [command, ...rest] = cli.input;
	if (rest.length > 0) {
		process.stderr.write(`cutover: unexpected argument ${rest[0]}\n`);
		return 2;
	}
	const simOptions = {
		port: cli.flags.port,
		scenario: cli.flags.scenario,
		verbose: cli.flags.verbose,
		...(cli.flags.writeKubeconfig ? {writeKubeconfig: cli.flags.writeKubeconfig} : {}),
	};
	switch (command) {
		case 'sim':
			return runSimCommand(simOptions);
		case 'demo':
			return runSimCommand({
				...simOptions,
				banner: [
					'demo: the console is not built yet; the simulated cluster is running with the seed world.',
					'demo: use --write-kubeconfig FILE and kubectl to work with it; Ctrl-C stops it.',
				],
			});
		case undefined:
			process.stderr.write(
				'cutover: the live console is not built yet; run `cutover sim` or `cutover demo`\n',
			);
			return 2;
		default:
			process.stderr.write(`cutover: unknown command "${command}"; see cutover --help\n`);
			return 2;
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		if (error instanceof SimStartError) {
			process.stderr.write(`cutover: ${error.message}\n`);
			process.exit(error.exitCode);
		}
		process.stderr.write(
			`cutover: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	},
);
