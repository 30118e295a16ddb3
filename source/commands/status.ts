import {KubeClient} from '../cluster/client.js';
import {type ConnectOptions, connect} from '../cluster/config.js';
import {fetchSnapshot} from '../cluster/snapshot.js';
import {detectAll} from '../core/strategies/index.js';
import {CommandError, exitCodes} from './exit-codes.js';
import {rolloutJson, statusTable} from './report.js';

export type StatusOptions = ConnectOptions & {name?: string; json: boolean};

/** `cutover status`: one snapshot of every rollout, as a table or JSON. */
export async function runStatus(
	options: StatusOptions,
	out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
	const {config, namespace} = connect(options);
	const client = new KubeClient(config);
	const snapshot = await fetchSnapshot(client, namespace);
	let rollouts = detectAll(snapshot);
	if (options.name) {
		rollouts = rollouts.filter((r) => r.name === options.name);
		if (rollouts.length === 0) {
			throw new CommandError(
				`no rollout named ${options.name} in ${namespace ? `namespace ${namespace}` : 'any namespace'}`,
				exitCodes.notFound,
			);
		}
	}
	if (options.json)
		out.write(`${JSON.stringify({rollouts: rollouts.map(rolloutJson)}, null, 2)}\n`);
	else if (rollouts.length === 0)
		out.write(`No rollouts found in ${namespace ? `namespace ${namespace}` : 'any namespace'}.\n`);
	else out.write(statusTable(rollouts));
	return exitCodes.done;
}
