import {createInterface} from 'node:readline/promises';
import {applyPlan} from '../cluster/apply.js';
import {KubeClient} from '../cluster/client.js';
import {type ConnectOptions, connect} from '../cluster/config.js';
import {fetchSnapshot} from '../cluster/snapshot.js';
import {forced, type Review, reviewAction} from '../core/guard.js';
import {metricsTargetOf} from '../core/metrics.js';
import {planLines} from '../core/plan-text.js';
import type {Registry} from '../core/registry.js';
import {registry as builtin} from '../core/strategies/index.js';
import type {ActionName, Rollout, Snapshot} from '../core/types.js';
import {visible} from '../core/visible.js';
import {CommandError, exitCodes} from './exit-codes.js';
import {type MetricsFlags, metricsSourceFrom} from './metrics-options.js';

export type ActOptions = ConnectOptions & {
	action: ActionName;
	name: string;
	image?: string;
	/** undo: the revision to return to (kubectl's --to-revision); the previous one by default. */
	toRevision?: string;
	yes: boolean;
	dryRun: boolean;
	/** Goes past the guard (a failing or unmeasured candidate); the Event records it. */
	force?: boolean;
	actor?: string;
	registry?: Registry;
	/** Where the guard reads the candidate's numbers; without a source it judges nothing. */
	metricsFlags?: MetricsFlags;
};

/** The guard's review of the action, on numbers read now (one query per question). */
async function reviewOf(
	options: ActOptions,
	config: Parameters<typeof metricsSourceFrom>[1],
	rollout: Rollout,
	snapshot: Snapshot,
	registry: Registry,
): Promise<Review> {
	const spec = registry.actions.find((a) => a.name === options.action);
	const source = options.metricsFlags ? metricsSourceFrom(options.metricsFlags, config) : undefined;
	if (!source || !spec?.direction) return reviewAction(rollout, spec, undefined, false, Date.now());
	const [metrics] = await source.fetch([metricsTargetOf(rollout, snapshot)], {
		endMs: Date.now(),
		minutes: 5,
		stepSeconds: 30,
	});
	return reviewAction(rollout, spec, metrics, true, Date.now());
}

type Io = {
	out: NodeJS.WritableStream;
	input: NodeJS.ReadableStream & {isTTY?: boolean};
};

async function ask(io: Io, question: string): Promise<string> {
	const rl = createInterface({input: io.input, output: io.out, terminal: false});
	try {
		// Listen before asking: an answer that comes at once (typed ahead, a script) is not lost.
		const answer = new Promise<string>((resolve) => {
			rl.once('line', resolve);
			rl.once('close', () => resolve(''));
		});
		io.out.write(question);
		return (await answer).trim();
	} finally {
		rl.close();
	}
}

/** The one rollout of that name (in the namespace); not found and ambiguous are errors. */
export function findRollout(
	rollouts: Rollout[],
	name: string,
	namespace: string | undefined,
): Rollout {
	const matches = rollouts.filter((r) => r.name === name);
	if (matches.length === 0)
		throw new CommandError(
			`no rollout named ${name} in ${namespace ? `namespace ${namespace}` : 'any namespace'}; see cutover status`,
			exitCodes.notFound,
		);
	if (matches.length > 1) {
		throw new CommandError(
			`${name} names ${matches.length} rollouts (${matches.map((r) => `${r.namespace}/${r.strategy}`).join(', ')}): pass -n NAMESPACE`,
			exitCodes.usage,
		);
	}
	return matches[0]!;
}

/** `cutover ACTION NAME`, for every action a strategy offers: the same plan and checks as the keys. */
export async function runAction(
	options: ActOptions,
	io: Io = {out: process.stdout, input: process.stdin},
): Promise<number> {
	const registry = options.registry ?? builtin;
	const {config, namespace} = connect(options);
	const client = new KubeClient(config);
	const snapshot = await fetchSnapshot(client, namespace, registry.watches);
	const rollout = findRollout(registry.detect(snapshot), options.name, namespace);
	let image = options.image;
	const state = rollout.actions.find((a) => a.action === options.action);
	const needsImage = registry.actions.find((a) => a.name === options.action)?.input === 'image';
	if (needsImage && state?.available && !image) {
		if (!io.input.isTTY)
			throw new CommandError(
				`${options.action} needs --image IMAGE when not run in a terminal`,
				exitCodes.usage,
			);
		image = await ask(io, `${state.prompt ?? `image for ${rollout.name}`}: `);
	}
	if (options.toRevision !== undefined && !/^[1-9]\d*$/.test(options.toRevision))
		throw new CommandError(
			`--to-revision "${options.toRevision}" is not a revision number (see kubectl rollout history)`,
			exitCodes.usage,
		);
	const planned = registry.plan(options.action, rollout, snapshot, {
		...(image ? {image} : {}),
		...(options.toRevision ? {revision: options.toRevision} : {}),
		now: new Date().toISOString(),
	});
	if ('error' in planned)
		throw new CommandError(planned.error, planned.usage ? exitCodes.usage : exitCodes.failed);
	const review = await reviewOf(options, config, rollout, snapshot, registry);
	for (const line of [
		...review.blockers.map((b) => `✖ ${b}`),
		...(review.sides ? [review.sides] : []),
		...review.known,
	])
		io.out.write(`guard: ${visible(line)}\n`);
	io.out.write(`${planLines(planned.plan).join('\n')}\n`);
	if (review.blockers.length > 0 && !options.dryRun && !options.force)
		throw new CommandError(
			`refused: ${review.blockers.join('; ')}; nothing was changed (--force does it anyway, and the Event says so)`,
			exitCodes.guarded,
		);
	const plan = review.blockers.length > 0 ? forced(planned.plan, review) : planned.plan;
	if (options.dryRun) {
		io.out.write('dry run: nothing was changed\n');
		return exitCodes.done;
	}
	if (!options.yes) {
		if (!io.input.isTTY)
			throw new CommandError(
				'not a terminal: pass --yes to confirm, or --dry-run to only show the plan',
				exitCodes.usage,
			);
		const answer = await ask(io, 'Proceed? [y/N] ');
		if (answer.toLowerCase() !== 'y' && answer.toLowerCase() !== 'yes') {
			io.out.write('cancelled: nothing was changed\n');
			return exitCodes.failed;
		}
	}
	const result = await applyPlan(client, plan, {
		...(options.actor ? {actor: options.actor} : {}),
		onProgress: (p) => {
			if (p.status === 'done')
				io.out.write(`${visible(`✔ ${p.step.description}${p.detail ? `: ${p.detail}` : ''}`)}\n`);
			if (p.status === 'failed') io.out.write(`${visible(`✖ ${p.step.description}`)}\n`);
		},
	});
	if (result.ok) {
		io.out.write(`${visible(result.summary)}\n`);
		// What the console would offer next (deploy offers the switch), as a command to run.
		if (plan.next)
			io.out.write(`next: cutover ${plan.next} ${rollout.name} -n ${rollout.namespace}\n`);
		return exitCodes.done;
	}
	throw new CommandError(
		result.error,
		result.kind === 'conflict' ? exitCodes.conflict : exitCodes.failed,
	);
}
