import {type Comparison, compare} from '../core/comparison.js';
import type {RolloutMetrics, TrackMetrics} from '../core/metrics.js';
import type {Rollout, Track} from '../core/types.js';
import {hasTraffic, isBreach, type Verdict, verdictOf} from '../core/verdict.js';
import {visible} from '../core/visible.js';

/** A rollout's numbers, or why there are none. */
export type GuardView = {
	metrics: RolloutMetrics | undefined;
	reason?: string | undefined;
};

function trackMetricsJson(
	metrics: TrackMetrics | undefined,
	rateWindow: string,
	reason: string | undefined,
) {
	if (!metrics) return {noData: reason ?? 'no metrics for this track'};
	if (metrics.noData || !hasTraffic(metrics.now)) return {noData: metrics.noData ?? 'no traffic'};
	return {
		rps: metrics.now.rps,
		errorRatio: metrics.now.errorRatio,
		p99Seconds: metrics.now.p99Seconds,
		requests: metrics.now.requests,
		errors: metrics.now.errors,
		// The range the rate, the ratio and the counts are taken over: the guard's one window.
		window: rateWindow,
	};
}

function verdictFor(rollout: Rollout, guard: GuardView): Verdict {
	return verdictOf(rollout, guard.metrics, guard.reason);
}

/** The comparison as scripts read it: the score and each metric's class, ratio and p-value. */
export function comparisonJson(comparison: Comparison) {
	return {
		verdict: comparison.verdict,
		...(comparison.score === undefined ? {} : {score: comparison.score}),
		reason: comparison.reason,
		samples: comparison.samples,
		metrics: comparison.metrics.map((m) => ({
			metric: m.metric,
			class: m.class,
			...(m.ratio === undefined || !Number.isFinite(m.ratio) ? {} : {ratio: m.ratio}),
			...(m.test ? {pValue: m.test.pValue} : {}),
			reason: m.reason,
		})),
	};
}

/** The JSON shape of `status --json`: for scripts, the same for every strategy. */
export function rolloutJson(rollout: Rollout, guard?: GuardView) {
	return {
		namespace: rollout.namespace,
		name: rollout.name,
		strategy: rollout.strategy,
		summary: rollout.summary,
		phase: rollout.phase,
		health: rollout.health,
		facts: rollout.facts,
		traffic: rollout.traffic,
		tracks: rollout.tracks.map((track) => ({
			key: track.key,
			title: track.title,
			side: track.side,
			serving: track.serving,
			...(track.color ? {color: track.color} : {}),
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
							guard.metrics?.tracks.find((m) => m.key === track.key),
							guard.metrics?.rateWindow ?? '',
							guard.reason ?? guard.metrics?.error,
						),
					}
				: {}),
		})),
		problems: rollout.problems,
		...(rollout.quiet ? {quiet: true} : {}),
		actions: rollout.actions.map((a) => ({
			action: a.action,
			available: a.available,
			...(a.reason ? {reason: a.reason} : {}),
		})),
		...(guard
			? {
					thresholds: rollout.thresholds,
					verdict: verdictFor(rollout, guard),
					comparison: comparisonJson(compare(rollout, guard.metrics)),
				}
			: {}),
	};
}

function trackText(track: Track): string {
	return `${track.title} ${track.workload.name} ${track.images.join(',')} ${track.replicas.ready}/${track.replicas.desired}`;
}

function trafficText(rollout: Rollout): string {
	const {traffic} = rollout;
	if (traffic.kind === 'switch') {
		// More than one serving: a selector that picks no color sends traffic to all of them.
		const live = rollout.tracks.filter((t) => t.serving);
		return live.length > 0 ? `${live.map((t) => t.title).join(' + ')} live` : 'none live';
	}
	if (traffic.kind === 'none') return '-';
	const {weight, total} = traffic;
	return weight === null ? `canary ?/${total} (unreadable)` : `canary ${weight}/${total}`;
}

function verdictText(verdict: Verdict): string {
	if (verdict.status === 'healthy') return 'ok';
	if (isBreach(verdict)) return `${verdict.status.toUpperCase()}: ${verdict.reasons.join(', ')}`;
	if (verdict.status === 'too-few') return verdict.reasons.join(', ');
	return 'no data';
}

/** The threshold verdict, and the comparison when it marks the candidate down. */
function guardText(rollout: Rollout, guard: GuardView): string {
	const text = verdictText(verdictFor(rollout, guard));
	const comparison = compare(rollout, guard.metrics);
	if (comparison.verdict !== 'Fail' && comparison.verdict !== 'Marginal') return text;
	return `${text}; compared: ${comparison.verdict.toUpperCase()} ${comparison.reason}`;
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
			guards?.[index] ? guardText(r, guards[index]) : 'no data',
			r.tracks.map(trackText).join(' | '),
		]),
	].map((row) => row.map(visible));
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
	const lines = rows.map((row) =>
		row
			.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3)))
			.join(''),
	);
	for (const rollout of rollouts)
		for (const problem of rollout.problems)
			lines.push(visible(`! ${rollout.namespace}/${rollout.name}: ${problem}`));
	return `${lines.join('\n')}\n`;
}
