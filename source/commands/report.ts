import type {Rollout, Track} from '../core/types.js';

/** The JSON shape of `status --json`: stable, for scripts. */
export function rolloutJson(rollout: Rollout) {
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
		})),
		problems: rollout.problems,
		actions: rollout.actions.map((a) => ({
			action: a.action,
			available: a.available,
			...(a.reason ? {reason: a.reason} : {}),
		})),
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

/** `status` as a table, columns padded as kubectl does. */
export function statusTable(rollouts: Rollout[]): string {
	const rows = [
		['NAMESPACE', 'NAME', 'STRATEGY', 'TRAFFIC', 'PHASE', 'TRACKS'],
		...rollouts.map((r) => [
			r.namespace,
			r.name,
			r.strategy,
			trafficText(r),
			r.problems.length ? `${r.phase} (!)` : r.phase,
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
