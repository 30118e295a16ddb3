import type {ApplyResult} from '../core/adapters.js';
import {type Decision, decide} from '../core/guard-decision.js';
import type {GuardRecord} from '../core/guard-record.js';
import type {Registry} from '../core/registry.js';
import type {ActionName, Plan, Rollout, Snapshot} from '../core/types.js';

/** What the guard did (or could not do) by itself on one rollout, for a banner or a log line. */
export type GuardAct = {
	rollout: Rollout;
	action: ActionName;
	why: string;
	/** The plan's summary ("roll back shop-canary: weight 10 -> 0"). */
	summary: string;
	result: ApplyResult | {ok: false; error: string; kind: 'plan'};
	at: number;
};

export type GuardianDeps = {
	registry: Registry;
	snapshot: () => Snapshot;
	apply: (plan: Plan) => Promise<ApplyResult>;
	/** `--auto-rollback`: on for every rollout (else each rollout's annotation says). */
	autoRollback: boolean;
	/** Whether autopilot drives this rollout (`--autopilot`, or `a` in the console). */
	autopilot: (rollout: Rollout) => boolean;
};

const reasons: Partial<Record<ActionName, string>> = {rollback: 'CutoverAutoRollback'};

/**
 * Carries out the guard's decisions: the rollout's own plan, conditional on the state seen, with
 * an Event saying the guard did it and why. At most once per evaluation, one action at a time per
 * rollout, and a version is never rolled back twice: a lost race (409) is not retried on the same
 * reading; the next evaluation, on the re-read cluster, decides again.
 */
export class Guardian {
	private readonly busy = new Set<string>();
	private readonly counted = new Map<string, number>();
	private readonly rolledBack = new Set<string>();

	constructor(private readonly deps: GuardianDeps) {}

	/** Each rollout's decision now, without acting (what the screen shows). */
	decisions(
		rollouts: Rollout[],
		records: ReadonlyMap<string, GuardRecord>,
	): Map<string, Decision | undefined> {
		return new Map(
			rollouts.map((rollout) => [
				rollout.id,
				decide(rollout, records.get(rollout.id), this.modeOf(rollout)),
			]),
		);
	}

	modeOf(rollout: Rollout) {
		return {
			autoRollback: this.deps.autoRollback || rollout.policy.autoRollback,
			autopilot: this.deps.autopilot(rollout),
		};
	}

	/** Acts where the decisions say so; resolves with what was done. */
	async act(rollouts: Rollout[], records: ReadonlyMap<string, GuardRecord>): Promise<GuardAct[]> {
		const acts: Array<Promise<GuardAct | undefined>> = [];
		for (const rollout of rollouts) {
			const record = records.get(rollout.id);
			const decision = decide(rollout, record, this.modeOf(rollout));
			if (!record || decision?.kind !== 'act') continue;
			if (this.busy.has(rollout.id) || this.counted.get(rollout.id) === record.at) continue;
			const once = `${rollout.id} ${record.subject}`;
			if (decision.action === 'rollback' && this.rolledBack.has(once)) continue;
			this.counted.set(rollout.id, record.at);
			acts.push(this.run(rollout, decision.action, decision.why, once));
		}
		return (await Promise.all(acts)).filter((a): a is GuardAct => a !== undefined);
	}

	private async run(
		rollout: Rollout,
		action: ActionName,
		why: string,
		once: string,
	): Promise<GuardAct> {
		const at = Date.now();
		const planned = this.deps.registry.plan(action, rollout, this.deps.snapshot(), {
			now: new Date(at).toISOString(),
		});
		if ('error' in planned)
			return {
				rollout,
				action,
				why,
				summary: `${action} ${rollout.name}`,
				result: {ok: false, error: planned.error, kind: 'plan'},
				at,
			};
		const plan: Plan = {
			...planned.plan,
			audit: {
				...planned.plan.audit,
				reason: reasons[action] ?? 'CutoverAutopilot',
				message: `${planned.plan.audit.message} (by the guard: ${why})`,
			},
		};
		this.busy.add(rollout.id);
		if (action === 'rollback') this.rolledBack.add(once);
		try {
			const result = await this.deps.apply(plan);
			// A lost race changed nothing: the next evaluation, on the re-read cluster, may try again.
			if (!result.ok && result.kind === 'conflict') this.rolledBack.delete(once);
			return {rollout, action, why, summary: plan.summary, result, at};
		} finally {
			this.busy.delete(rollout.id);
		}
	}
}

function clock(ms: number): string {
	return new Date(ms).toISOString().slice(11, 19);
}

/** One line for what the guard did: a banner in the console, a log line headless. */
export function describeAct(act: GuardAct): {ok: boolean; text: string} {
	const who = `${act.rollout.namespace}/${act.rollout.name}`;
	const what = act.action === 'rollback' ? 'AUTO-ROLLBACK' : `AUTOPILOT ${act.action}`;
	if (act.result.ok)
		return {
			ok: true,
			text: `${what} ${who} at ${clock(act.at)}: ${act.result.summary}, as ${act.why}`,
		};
	return {
		ok: false,
		text: `${what} ${who} at ${clock(act.at)} FAILED: ${act.result.error} (it was: ${act.why})`,
	};
}

/**
 * How the console tells what the guard did: a rollback, and any failure, stays in a banner until
 * acknowledged; a step, or a lost race (409: it decides again on the next refresh), is a notice.
 */
export function announce(acts: GuardAct[]): {
	banners: Array<{kind: 'ok' | 'error'; text: string}>;
	notice?: string;
} {
	const banners: Array<{kind: 'ok' | 'error'; text: string}> = [];
	let notice: string | undefined;
	for (const act of acts) {
		const line = describeAct(act);
		const conflict = !act.result.ok && act.result.kind === 'conflict';
		if (conflict) notice = `${line.text}; the guard decides again on the next refresh`;
		else if (!line.ok || act.action === 'rollback')
			banners.push({kind: line.ok ? 'ok' : 'error', text: line.text});
		else notice = line.text;
	}
	return notice ? {banners, notice} : {banners};
}
