#!/usr/bin/env node

import meow from 'meow';
import {ConfigError, connect} from './cluster/config.js';
import {CommandError, exitCodes} from './commands/exit-codes.js';
import {registry} from './core/strategies/index.js';
import {visibleLines} from './core/visible.js';
import type {SimStartError} from './sim/command.js';
import {faultRules} from './sim/fault-spec.js';
import {builtinScenarioNames} from './sim/scenario-names.js';
import {colorAllowed} from './ui/theme.js';

// Each command loads its own modules when it runs: the console starts without the simulator,
// the scenario parser or (unless asked for) the Prometheus client; DESIGN.md: first frame < 400 ms.

/** Every action some strategy offers is a subcommand, as it is a key. */
const actionNames = registry.actions.map((a) => a.name);

const cli = meow(
	`
	Usage
	  $ cutover [-n NS | -A] [--context NAME] [--kubeconfig FILE]     the live console
	  $ cutover demo [--write-kubeconfig FILE]                        the console on a simulated cluster
	  $ cutover status [NAME] [-n NS | -A] [--json]                   one snapshot of every rollout
	  $ cutover ACTION NAME [-n NS] [--image IMG] [--to-revision N] [--yes] [--dry-run] [--force] [--prometheus URL]
	      ACTION: ${actionNames.join(', ')}
	  $ cutover guard NAME [-n NS] | --all [--interval 30s] [--auto-rollback] [--autopilot] [--json]
	                                                                  the guard without a screen (a Job, a CI step)
	  $ cutover sim [--port N] [--scenario NAME|FILE] [--write-kubeconfig FILE] [--faults SPEC]

	Options
	  --kubeconfig FILE        Path to the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
	  --context NAME           The kubeconfig context to use
	  -n, --namespace NS       The namespace (default: the context's, then default)
	  -A, --all-namespaces     Every namespace
	  --readonly               Show, never change: no action keys are bound
	  --ascii                  No Unicode symbols or bars
	  --no-color               No colors (also: the NO_COLOR variable)
	  --json                   status, guard: print JSON
	  --auto-rollback          console, demo, guard: roll back a rollout whose verdict turns failing
	                           (else only those annotated cutover.dev/auto-rollback: "true")
	  --autopilot              console, demo, guard: step after healthy rate windows, promote at the end,
	                           roll back when failing; lives only while this cutover runs
	  --interval DURATION      guard: time between evaluations  [default: 30s]
	  --all                    guard: every rollout in the namespace(s)
	  --image IMG              deploy: the image to set on the standby
	  --to-revision N          undo (rolling updates): the revision to return to  [default: the previous]
	  --yes                    Do not ask for confirmation
	  --dry-run                Print the plan and change nothing
	  --force                  Act even though the guard refuses (a failing or unmeasured candidate); the Event says so
	  --port N                 sim: the port (0: any free port)          [default: 0]
	  --scenario NAME|FILE     sim, demo: a built-in scenario (${builtinScenarioNames().join(', ')}) or a YAML file  [default: seed]
	  --write-kubeconfig FILE  sim, demo: write a kubeconfig for the simulated cluster (context cutover-sim)
	  --faults SPEC            sim: inject faults for tests and drills: rules separated by ; (below)
	  --verbose                sim: log every API request, and each fault injected, to stderr

	Faults (cutover sim --faults 'error 503 10% GET /apis/apps; latency 500ms; restart every 2m')
${faultRules.map(([form, what]) => `	  ${form.padEnd(44)} ${what}`).join('\n')}
	  MATCH: [N%] [METHOD...] [/PATH] [once | N times], in any order: the share of the requests hit
	  (default all), their methods (GET, POST, PUT, PATCH, DELETE), a path prefix, how many hits.
	  DURATION: 500ms, 3s, 2m. A request meets the rules in order: latencies add up, and the first
	  other rule that hits it decides its answer.

	Metrics (console, status, guard and the actions)
	  --prometheus URL                     Prometheus to ask for rates, errors and latency
	  --prometheus-service NS/NAME:PORT    ... or reach it through the API server's service proxy
	  --prometheus-token-file FILE         Bearer token file (or the CUTOVER_PROMETHEUS_TOKEN variable)
	  --prometheus-basic-auth-file FILE    A file holding user:password
	  --prometheus-ca-file FILE            CA bundle for Prometheus' certificate
	  --prometheus-insecure-skip-tls-verify  Accept any certificate
	  --metrics-templates FILE             PromQL templates overriding the app and nginx presets
	  --metrics-interval DURATION          rate() window  [default: 1m]
	  --refresh SECONDS                    Seconds between metrics refreshes  [default: 10]

	Every subcommand answers --help with this text.

	Exit codes: 0 done, 1 failed, 2 usage, 3 not found, 4 conflict (the cluster changed since you looked),
	  6 guarded (an action toward a failing or unmeasured candidate refused; status: a rollout is breached
	  or failing), 7 guard stopped (SIGTERM) before the end, 10 guard rolled the rollout back
`,
	{
		importMeta: import.meta,
		allowUnknownFlags: false,
		flags: {
			kubeconfig: {type: 'string'},
			context: {type: 'string'},
			namespace: {type: 'string', shortFlag: 'n'},
			allNamespaces: {type: 'boolean', shortFlag: 'A', default: false},
			readonly: {type: 'boolean', default: false},
			ascii: {type: 'boolean', default: false},
			color: {type: 'boolean', default: true},
			json: {type: 'boolean', default: false},
			image: {type: 'string'},
			toRevision: {type: 'string'},
			yes: {type: 'boolean', default: false},
			dryRun: {type: 'boolean', default: false},
			force: {type: 'boolean', default: false},
			port: {type: 'string'},
			scenario: {type: 'string', default: 'seed'},
			writeKubeconfig: {type: 'string'},
			faults: {type: 'string'},
			prometheus: {type: 'string'},
			prometheusService: {type: 'string'},
			prometheusTokenFile: {type: 'string'},
			prometheusBasicAuthFile: {type: 'string'},
			prometheusCaFile: {type: 'string'},
			prometheusInsecureSkipTlsVerify: {type: 'boolean', default: false},
			metricsTemplates: {type: 'string'},
			metricsInterval: {type: 'string'},
			refresh: {type: 'string', default: '10'},
			verbose: {type: 'boolean', default: false},
			autoRollback: {type: 'boolean', default: false},
			autopilot: {type: 'boolean', default: false},
			interval: {type: 'string', default: '30s'},
			all: {type: 'boolean', default: false},
			help: {type: 'boolean', default: false},
		},
	},
);

/** The console needs a terminal to draw on and to read keys from. */
function requireTerminal(): void {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		usage(
			'the console needs a terminal (stdin and stdout a TTY); for scripts use cutover status --json',
		);
	}
}

function usage(message: string): never {
	throw new CommandError(`${message}; see cutover --help`, exitCodes.usage);
}

/** `--port` as typed: digits only (a number flag would turn "abc" into NaN and a bare `--port` into the default). */
function portOf(raw: string): number {
	if (!/^\d+$/.test(raw)) {
		usage(
			`--port ${raw === '' ? 'needs a value' : `"${raw}" is not a port`}: give 0..65535 (0 picks any free port)`,
		);
	}
	return Number(raw);
}

function refreshOf(raw: string): number {
	const seconds = Number(raw);
	if (!/^\d+(\.\d+)?$/.test(raw) || seconds < 1)
		usage(`--refresh "${raw}" is not a number of seconds >= 1`);
	return seconds;
}

/** `-n` followed by nothing (or by another flag) is a mistake, never the default namespace. */
function requireValues(flags: Record<string, unknown>): void {
	for (const [name, value] of Object.entries(flags)) {
		if (value !== '') continue;
		const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
		usage(`${name === 'namespace' ? '-n/--namespace' : flag} needs a value`);
	}
}

async function main(): Promise<number> {
	const {flags} = cli;
	requireValues(flags);
	const [command, ...args] = cli.input;
	// meow answers a bare --help only; `cutover sim --help` must not start a cluster.
	if (flags.help) cli.showHelp(0);
	if (flags.namespace && flags.allNamespaces) usage('-n and -A exclude each other');
	const connectOptions = {
		...(flags.kubeconfig ? {kubeconfig: flags.kubeconfig} : {}),
		...(flags.context ? {context: flags.context} : {}),
		...(flags.namespace ? {namespace: flags.namespace} : {}),
		allNamespaces: flags.allNamespaces,
	};
	const simOptions = {
		port: portOf(flags.port ?? '0'),
		scenario: flags.scenario,
		verbose: flags.verbose,
		...(flags.writeKubeconfig ? {writeKubeconfig: flags.writeKubeconfig} : {}),
		...(flags.faults !== undefined ? {faults: flags.faults} : {}),
	};
	if (command === 'sim') {
		if (args.length > 0) usage(`unexpected argument ${args[0]}`);
		const {runSimCommand} = await import('./sim/command.js');
		return runSimCommand(simOptions);
	}
	if (flags.readonly && (flags.autoRollback || flags.autopilot))
		usage(
			'--readonly excludes --auto-rollback and --autopilot: a read-only cutover changes nothing',
		);
	const look = {
		readonly: flags.readonly,
		ascii: flags.ascii,
		color: colorAllowed(process.env, flags.color),
		autoRollback: flags.autoRollback,
		autopilot: flags.autopilot,
	};
	if (command === 'demo') {
		if (args.length > 0) usage(`unexpected argument ${args[0]}`);
		requireTerminal();
		const {runDemo} = await import('./commands/demo.js');
		return runDemo({
			...look,
			scenario: flags.scenario,
			...(flags.writeKubeconfig ? {writeKubeconfig: flags.writeKubeconfig} : {}),
		});
	}
	if (command === 'status') {
		if (args.length > 1) usage(`unexpected argument ${args[1]}`);
		const {runStatus} = await import('./commands/status.js');
		return runStatus({
			...connectOptions,
			json: flags.json,
			metricsFlags: flags,
			...(args[0] ? {name: args[0]} : {}),
		});
	}
	if (command === 'guard') {
		if (args.length > 1) usage(`unexpected argument ${args[1]}`);
		const {runGuard} = await import('./commands/guard.js');
		// SIGTERM (a Job deleted, a CI step cancelled) stops it between evaluations.
		const stop = new AbortController();
		process.once('SIGTERM', () => stop.abort());
		return runGuard({
			...connectOptions,
			...(args[0] ? {name: args[0]} : {}),
			all: flags.all,
			interval: flags.interval,
			autoRollback: flags.autoRollback,
			autopilot: flags.autopilot,
			json: flags.json,
			metricsFlags: flags,
			signal: stop.signal,
		});
	}
	if (command && actionNames.includes(command)) {
		const [name, ...extra] = args;
		if (!name) usage(`${command} needs the name of a rollout`);
		if (extra.length > 0) usage(`unexpected argument ${extra[0]}`);
		if (flags.toRevision !== undefined && command !== 'undo')
			usage(`--to-revision is for undo, not ${command}`);
		const {runAction} = await import('./commands/act.js');
		return runAction({
			...connectOptions,
			action: command,
			name,
			yes: flags.yes,
			dryRun: flags.dryRun,
			force: flags.force,
			metricsFlags: flags,
			...(flags.image ? {image: flags.image} : {}),
			...(flags.toRevision !== undefined ? {toRevision: flags.toRevision} : {}),
		});
	}
	if (command === undefined) {
		requireTerminal();
		const connection = connect(connectOptions);
		const metrics =
			flags.prometheus || flags.prometheusService
				? (await import('./commands/metrics-options.js')).metricsSourceFrom(
						flags,
						connection.config,
					)
				: undefined;
		const {runConsole} = await import('./commands/console.js');
		return runConsole({...look, connection, metrics, refreshSeconds: refreshOf(flags.refresh)});
	}
	return usage(`unknown command "${command}"`);
}

/** By name: the class lives in the simulator's module, loaded only by `sim`. */
function isSimStartError(error: unknown): error is SimStartError {
	return error instanceof Error && error.name === 'SimStartError';
}

/**
 * Exits once stdout and stderr have handed everything to the OS: to a pipe (`status --json | jq`)
 * writes are asynchronous, and process.exit drops what is still queued (5,000 rollouts' JSON cut
 * off mid-line). An empty write's callback runs after every write before it.
 */
function exit(code: number): void {
	let pending = 2;
	const done = () => {
		pending--;
		if (pending === 0) process.exit(code);
	};
	process.stdout.write('', done);
	process.stderr.write('', done);
}

function fail(message: string, code: number): void {
	process.stderr.write(`cutover: ${visibleLines(message)}\n`);
	exit(code);
}

main().then(exit, (error: unknown) => {
	if (isSimStartError(error) || error instanceof CommandError)
		return fail(error.message, error.exitCode);
	if (error instanceof ConfigError) return fail(error.message, exitCodes.usage);
	if (error instanceof Error && error.name === 'ClusterError')
		return fail(error.message, exitCodes.failed);
	fail(error instanceof Error ? (error.stack ?? error.message) : String(error), exitCodes.failed);
});
