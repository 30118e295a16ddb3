import {
	judge,
	type RolloutMetrics,
	type Thresholds,
	type TrackMetrics,
	type Verdict,
} from '../core/metrics.js';
import type {Rollout, Track} from '../core/types.js';

/** A rollout's numbers and thresholds, or why there are none. */
export type GuardView = {
	metrics: RolloutMetrics | undefined;
	thresholds: Thresholds;
	reason?: string | undefined;
};

function trackMetricsJson(
	metrics: TrackMetrics | undefined,
	windowMinutes: number,
	reason: string | undefined,
) {
	if (!metrics) return {noData: reason ?? 'no metrics for this track'};
	if (metrics.noData || metrics.now.rps === null) return {noData: metrics.noData ?? 'no traffic'};
	return {
		rps: metrics.now.rps,
		errorRatio: metrics.now.errorRatio,
		p99Seconds: metrics.now.p99Seconds,
		window: `${windowMinutes}m`,
	};
}

/** The guard's verdict on the track that matters now: the canary while it takes traffic, else the live one. */
export function verdictOf(rollout: Rollout, guard: GuardView): Verdict & {track?: string} {
	const canary = rollout.tracks.find((t) => t.role === 'canary' && t.weight > 0);
	const role =
		canary?.role ?? rollout.tracks.find((t) => t.role === 'active' || t.role === 'stable')?.role;
	const track = guard.metrics?.tracks.find((t) => t.role === role);
	if (!track)
		return {status: 'no-data', reasons: [guard.reason ?? guard.metrics?.error ?? 'no metrics']};
	if (track.noData || track.now.rps === null)
		return {status: 'no-data', reasons: [track.noData ?? 'no traffic'], track: track.role};
	return {...judge(track.now, guard.thresholds), track: track.role};
}

/** The JSON shape of `status --json`: stable, for scripts. */
export function rolloutJson(rollout: Rollout, guard?: GuardView) {
	return {
		namespace: rollout.namespace,
		name: rollout.name,
		strategy: rollout.strategy,
		phase: rollout.phase,
		traffic: rollout.traffic,
		tracks: rollout.tracks.map((track) => ({
			role: track.role,
			...(track.color ? {color: track.color} : {}),
			...(track.label ? {label: track.label} : {}),
			workload: track.workload.name,
			images: track.images,
			replicas: {
				desired: track.replicas.desired,
				updated: track.replicas.updated,
				ready: track.replicas.ready,
			},
			weight: track.weight,
			rollingOut: track.rollingOut,
			...(guard
				? {
						metrics: trackMetricsJson(
							guard.metrics?.tracks.find((m) => m.role === track.role),
							guard.metrics?.windowMinutes ?? 0,
							guard.reason ?? guard.metrics?.error,
						),
					}
				: {}),
		})),
		problems: rollout.problems,
		actions: rollout.actions.map((a) => ({
			action: a.action,
			available: a.available,
			...(a.reason ? {reason: a.reason} : {}),
		})),
		...(guard ? {thresholds: guard.thresholds, verdict: verdictOf(rollout, guard)} : {}),
	};
}

function trackText(track: Track): string {
	const name = (
		track.color ??
		(track.role === 'stable' || track.role === 'canary' ? track.role : (track.label ?? track.role))
	).toUpperCase();
	return `${name} ${track.workload.name} ${track.images.join(',')} ${track.replicas.ready}/${track.replicas.desired}`;
}

export function trafficText(rollout: Rollout): string {
	if (rollout.traffic.kind === 'selector') {
		const live = rollout.tracks.find((t) => t.role === 'active');
		return `${(live?.color ?? rollout.traffic.live).toUpperCase()} live`;
	}
	const {weight, total} = rollout.traffic;
	return weight === null ? `canary ?/${total} (unreadable)` : `canary ${weight}/${total}`;
}

function verdictText(verdict: Verdict): string {
	if (verdict.status === 'healthy') return 'ok';
	if (verdict.status === 'breached') return `BREACHED: ${verdict.reasons.join(', ')}`;
	return 'no data';
}

/** `status` as a table, columns padded as kubectl does. */
export function statusTable(rollouts: Rollout[], guards?: GuardView[]): string {
	const rows = [
		['NAMESPACE', 'NAME', 'STRATEGY', 'TRAFFIC', 'PHASE', 'GUARD', 'TRACKS'],
		...rollouts.map((r, index) => [
			r.namespace,
			r.name,
			r.strategy,
			trafficText(r),
			r.problems.length ? `${r.phase} (!)` : r.phase,
			guards?.[index] ? verdictText(verdictOf(r, guards[index])) : 'no data',
			r.tracks.map(trackText).join(' | '),
		]),
	];
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
	const lines = rows.map((row) =>
		row
			.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3)))
			.join(''),
	);
	for (const rollout of rollouts)
		for (const problem of rollout.problems)
			lines.push(`! ${rollout.namespace}/${rollout.name}: ${problem}`);
	return `${lines.join('\n')}\n`;
}
