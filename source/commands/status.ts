import {KubeClient} from '../cluster/client.js';
import {type ConnectOptions, connect} from '../cluster/config.js';
import {fetchSnapshot} from '../cluster/snapshot.js';
import {metricsTargetOf} from '../core/metrics.js';
import type {Registry} from '../core/registry.js';
import {registry as builtin} from '../core/strategies/index.js';
import type {Rollout} from '../core/types.js';
import {isBreach, verdictOf} from '../core/verdict.js';
import {CommandError, exitCodes} from './exit-codes.js';
import {type MetricsFlags, metricsSourceFrom, noSourceReason} from './metrics-options.js';
import {type GuardView, rolloutJson, statusTable} from './report.js';

export type StatusOptions = ConnectOptions & {
	name?: string;
	json: boolean;
	metricsFlags?: MetricsFlags;
	registry?: Registry;
};

/** Minutes of metrics `status` reads: the numbers are the newest point of this window. */
const windowMinutes = 5;

/** `cutover status`: one snapshot of every rollout, as a table or JSON, with its numbers and verdict. */
export async function runStatus(
	options: StatusOptions,
	out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
	const {config, namespace} = connect(options);
	const source = options.metricsFlags ? metricsSourceFrom(options.metricsFlags, config) : undefined;
	const registry = options.registry ?? builtin;
	const client = new KubeClient(config);
	const snapshot = await fetchSnapshot(client, namespace, registry.watches);
	let rollouts = registry.detect(snapshot);
	if (options.name) {
		rollouts = rollouts.filter((r) => r.name === options.name);
		if (rollouts.length === 0) {
			throw new CommandError(
				`no rollout named ${options.name} in ${namespace ? `namespace ${namespace}` : 'any namespace'}`,
				exitCodes.notFound,
			);
		}
	}
	const metrics = source
		? await source.fetch(
				rollouts.map((rollout) => metricsTargetOf(rollout, snapshot)),
				{endMs: Date.now(), minutes: windowMinutes, stepSeconds: 30},
			)
		: [];
	const guard = (rollout: Rollout): GuardView => {
		const found = metrics.find((m) => m.rolloutId === rollout.id);
		return {metrics: found, reason: found ? undefined : noSourceReason};
	};
	if (options.json)
		out.write(
			`${JSON.stringify({rollouts: rollouts.map((r) => rolloutJson(r, guard(r)))}, null, 2)}\n`,
		);
	else if (rollouts.length === 0)
		out.write(`No rollouts found in ${namespace ? `namespace ${namespace}` : 'any namespace'}.\n`);
	else out.write(statusTable(rollouts, rollouts.map(guard)));
	// A CI step needs no JSON parsing: 6 when a rollout reported is breached or failing.
	const breached = rollouts.some((r) => isBreach(verdictOf(r, guard(r).metrics)));
	return breached ? exitCodes.guarded : exitCodes.done;
}
