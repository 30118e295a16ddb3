import type {ConnectionState} from './adapters.js';
import type {Rollout} from './types.js';

/** Seconds or minutes, as precise as a person deciding whether to act needs. */
export function dataAge(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	if (seconds < 120) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	return minutes < 120 ? `${minutes}m` : `${Math.floor(minutes / 60)}h`;
}

/**
 * Why what is shown cannot be acted on: the data is not known to be the cluster's now (the API
 * server hung, slow, or unreachable). Undefined while live or before the first data.
 */
export function staleReason(connection: ConnectionState, now: number): string | undefined {
	if (connection.status !== 'stale' && connection.status !== 'disconnected') return undefined;
	const since = connection.currentAt ?? connection.lastDataAt;
	if (!since) return undefined;
	return `the data is ${dataAge(now - since)} old (the API server has not confirmed it since ${new Date(since).toISOString().slice(11, 19)} UTC): wait for live`;
}

/**
 * Rollouts as shown while the data is stale: every action that changes the cluster refused with
 * the reason (its plan would rest on what may no longer be true), for keys and for the guard.
 */
export function gateStale(rollouts: Rollout[], reason: string | undefined): Rollout[] {
	if (!reason) return rollouts;
	return rollouts.map((rollout) => ({
		...rollout,
		actions: rollout.actions.map((state) =>
			state.available ? {action: state.action, available: false, reason} : state,
		),
	}));
}
