import type {GuardRecord} from './guard-record.js';
import type {ActionName, Rollout} from './types.js';

/**
 * What the guard does by itself after an evaluation, as data: roll back a failing candidate
 * (auto-rollback, and autopilot), or, on autopilot, take the next step after enough healthy
 * evaluations. Pure; the console and `cutover guard` carry it out through the rollout's own plan.
 */
export type Decision =
	| {kind: 'act'; action: ActionName; why: string}
	/** Autopilot waits: the countdown, or why it holds (no data, too few requests). */
	| {kind: 'wait'; why: string}
	/** Nothing left to do: the candidate is promoted, or there is none. */
	| {kind: 'done'; why: string}
	/** It should act and cannot: the action is unavailable, with the strategy's reason. */
	| {kind: 'stuck'; why: string};

export type Mode = {autoRollback: boolean; autopilot: boolean};

/** The actions that move a candidate on, in the order autopilot takes them. */
const forward: ActionName[] = ['step', 'promote', 'finalize'];

function available(rollout: Rollout, action: ActionName) {
	return rollout.actions.find((a) => a.action === action);
}

export function decide(
	rollout: Rollout,
	record: GuardRecord | undefined,
	mode: Mode,
): Decision | undefined {
	if (!mode.autoRollback && !mode.autopilot) return undefined;
	const candidate = rollout.tracks.find((t) => t.side === 'candidate');
	const verdict = record?.verdict;
	if (verdict?.status === 'failing') {
		const rollback = available(rollout, 'rollback');
		const why = verdict.reasons.join(', ');
		if (rollback?.available) return {kind: 'act', action: 'rollback', why};
		return {
			kind: 'stuck',
			why: `failing (${why}) and cannot roll back: ${rollback?.reason ?? 'no rollback action'}`,
		};
	}
	if (!mode.autopilot) return undefined;
	const next = forward.find((action) => available(rollout, action)?.available);
	if (!candidate || !next) return {kind: 'done', why: 'nothing left to step or promote'};
	if (!record || verdict?.status !== 'healthy')
		return {
			kind: 'wait',
			why: `holds: ${verdict ? verdict.reasons.join(', ') || verdict.status : 'not judged yet'}`,
		};
	// Only a first small step may go ahead on the baseline's numbers: the rest needs the candidate's.
	if (verdict.track !== candidate.key && next !== 'step')
		return {
			kind: 'wait',
			why: `holds: ${candidate.title} takes no traffic to judge; autopilot promotes only what it measured`,
		};
	// What no threshold sees: a candidate clearly worse than the baseline is not stepped further.
	const {comparison} = record;
	if (comparison.verdict === 'Fail' || comparison.verdict === 'Marginal')
		return {
			kind: 'wait',
			why: `holds: compared with ${rollout.tracks.find((t) => t.side === 'baseline')?.title ?? 'the baseline'}, ${comparison.reason}`,
		};
	const left = rollout.policy.stepIntervals - record.healthy;
	if (left > 0)
		return {
			kind: 'wait',
			why: `${next} after ${left} more healthy window${left === 1 ? '' : 's'}`,
		};
	return {
		kind: 'act',
		action: next,
		why: `${record.healthy} healthy windows in a row`,
	};
}
