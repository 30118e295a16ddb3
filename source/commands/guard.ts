import {applyPlan} from '../cluster/apply.js';
import {KubeClient} from '../cluster/client.js';
import {type ConnectOptions, connect} from '../cluster/config.js';
import {fetchSnapshot} from '../cluster/snapshot.js';
import {durationSeconds} from '../core/duration.js';
import {decide} from '../core/guard-decision.js';
import {evaluateAll, type GuardRecord} from '../core/guard-record.js';
import {metricsTargetOf} from '../core/metrics.js';
import type {Registry} from '../core/registry.js';
import {registry as builtin} from '../core/strategies/index.js';
import type {Rollout, Snapshot} from '../core/types.js';
import {visible} from '../core/visible.js';
import {findRollout} from './act.js';
import {CommandError, exitCodes} from './exit-codes.js';
import {describeAct, type GuardAct, Guardian} from './guardian.js';
import {type MetricsFlags, metricsSourceFrom} from './metrics-options.js';
import {comparisonJson} from './report.js';

export type GuardOptions = ConnectOptions & {
	/** One rollout by name, or every rollout (`all`). */
	name?: string;
	all: boolean;
	/** Between evaluations, as a duration (`30s`). */
	interval: string;
	autoRollback: boolean;
	autopilot: boolean;
	json: boolean;
	metricsFlags: MetricsFlags;
	actor?: string;
	registry?: Registry;
	/** Stops the loop between evaluations (SIGTERM, in the CLI). */
	signal?: AbortSignal;
};

/** Minutes of history each evaluation reads: the guard judges the newest point. */
const windowMinutes = 5;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, {once: true});
	});
}

/**
 * `cutover guard NAME | --all`: the console's guard without a screen, for a Kubernetes Job or a
 * CI step. Every interval it reads the cluster and the numbers, counts, decides and acts as the
 * console does, and prints one line per rollout (JSON with --json). Exits 0 when the rollout is
 * promoted (nothing left to step or promote), 10 when the guard rolled it back, 7 when stopped
 * before either; other codes for errors. SIGTERM stops it between evaluations.
 */
export async function runGuard(
	options: GuardOptions,
	out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
	if (Boolean(options.name) === options.all)
		throw new CommandError('guard needs a rollout NAME or --all (not both)', exitCodes.usage);
	const seconds = durationSeconds(options.interval);
	if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(options.interval) || seconds < 1)
		throw new CommandError(
			`--interval "${options.interval}" is not a duration of 1s or more, like 30s or 1m`,
			exitCodes.usage,
		);
	const {config, namespace} = connect(options);
	const source = metricsSourceFrom(options.metricsFlags, config);
	if (!source)
		throw new CommandError(
			'guard needs numbers to judge by: pass --prometheus URL or --prometheus-service NS/NAME:PORT',
			exitCodes.usage,
		);
	const registry = options.registry ?? builtin;
	const client = new KubeClient(config);
	let snapshot: Snapshot | undefined;
	const guardian = new Guardian({
		registry,
		snapshot: () => snapshot!,
		apply: (plan) => applyPlan(client, plan, options.actor ? {actor: options.actor} : {}),
		autoRollback: options.autoRollback,
		autopilot: () => options.autopilot,
	});
	const print = (line: Record<string, unknown>, text: string) =>
		out.write(`${options.json ? JSON.stringify(line) : visible(text)}\n`);
	/** Waits one interval; true when SIGTERM came (said on the output). */
	const stopped = async () => {
		await sleep(seconds * 1000, options.signal);
		if (!options.signal?.aborted) return false;
		print({time: new Date().toISOString(), stopped: true}, 'stopped (SIGTERM)');
		return true;
	};
	let records = new Map<string, GuardRecord>();
	let rolledBack = false;
	for (;;) {
		try {
			snapshot = await fetchSnapshot(client, namespace, registry.watches);
		} catch (error) {
			// The API server away for a moment (an upgrade, a network blip): say so and try again;
			// nothing is judged, nothing is done.
			if (error instanceof CommandError) throw error;
			const message = (error as Error).message;
			print({time: new Date().toISOString(), error: message}, `cluster unreachable: ${message}`);
			if (await stopped()) return rolledBack ? exitCodes.rolledBack : exitCodes.stopped;
			continue;
		}
		const found = registry.detect(snapshot);
		const rollouts = options.name ? [findRollout(found, options.name, namespace)] : found;
		const results = await source.fetch(
			rollouts.map((rollout) => metricsTargetOf(rollout, snapshot!)),
			{endMs: Date.now(), minutes: windowMinutes, stepSeconds: Math.min(30, Math.max(1, seconds))},
		);
		const now = Date.now();
		records = evaluateAll(records, rollouts, new Map(results.map((r) => [r.rolloutId, r])), now);
		const acts = await guardian.act(rollouts, records);
		let finished = 0;
		for (const rollout of rollouts) {
			const record = records.get(rollout.id)!;
			const decision = decide(rollout, record, guardian.modeOf(rollout));
			const act = acts.find((a) => a.rollout.id === rollout.id);
			if (act?.action === 'rollback' && act.result.ok) rolledBack = true;
			if (promoted(rollout)) finished++;
			print(
				lineJson(rollout, record, decision, act, now),
				lineText(rollout, record, decision, act, now),
			);
		}
		if (rolledBack && options.name) return exitCodes.rolledBack;
		if (options.name && finished === rollouts.length) return exitCodes.done;
		if (await stopped()) return rolledBack ? exitCodes.rolledBack : exitCodes.stopped;
	}
}

/**
 * The end of a rollout, whoever took it there: no candidate, or the baseline runs the candidate's
 * version and the candidate takes no traffic of its own. A blue/green by selector has no end: its
 * standby is the old version, still the way back.
 */
function promoted(rollout: Rollout): boolean {
	const candidate = rollout.tracks.find((t) => t.side === 'candidate');
	const baseline = rollout.tracks.find((t) => t.side === 'baseline');
	if (!candidate) return true;
	if (!baseline || candidate.weight !== 0) return false;
	return candidate.images.every((image) => baseline.images.includes(image));
}

function lineJson(
	rollout: Rollout,
	record: GuardRecord,
	decision: ReturnType<typeof decide>,
	act: GuardAct | undefined,
	now: number,
) {
	return {
		time: new Date(now).toISOString(),
		namespace: rollout.namespace,
		name: rollout.name,
		verdict: record.verdict,
		comparison: comparisonJson(record.comparison),
		...(decision ? {decision} : {}),
		...(act
			? {
					act: {
						action: act.action,
						ok: act.result.ok,
						...(act.result.ok ? {summary: act.result.summary} : {error: act.result.error}),
					},
				}
			: {}),
	};
}

function lineText(
	rollout: Rollout,
	record: GuardRecord,
	decision: ReturnType<typeof decide>,
	act: GuardAct | undefined,
	now: number,
): string {
	const {verdict} = record;
	const head = `${new Date(now).toISOString().slice(11, 19)} ${rollout.namespace}/${rollout.name} ${verdict.status}`;
	const reasons = verdict.reasons.length > 0 ? `: ${verdict.reasons.join(', ')}` : '';
	const {comparison} = record;
	const compared =
		comparison.verdict === 'Nodata'
			? ''
			: ` | compared ${comparison.verdict.toLowerCase()}, ${comparison.reason}`;
	// What it did, else what it waits for (autopilot's countdown, why it holds, why it is stuck).
	const next = act
		? ` | ${describeAct(act).text}`
		: decision && decision.kind !== 'act'
			? ` | ${decision.kind === 'stuck' ? 'STUCK: ' : ''}${decision.why}`
			: '';
	return `${head}${reasons}${compared}${next}`;
}
