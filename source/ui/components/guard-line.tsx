import type {Comparison} from '../../core/comparison.js';
import type {Decision} from '../../core/guard-decision.js';
import type {Rollout} from '../../core/types.js';
import {isBreach, type Verdict} from '../../core/verdict.js';
import {cut} from '../format.js';
import {tint, useTheme} from '../theme.js';
import {Text} from './text.js';

type Props = {
	rollout: Rollout;
	verdict: Verdict;
	/** The candidate against the baseline over the window. */
	comparison: Comparison;
	/** The rate window of the numbers judged (`1m`), when there are numbers. */
	rateWindow: string | undefined;
	decision: Decision | undefined;
	autoRollback: boolean;
	autopilot: boolean;
	width: number;
};

const words: Record<Verdict['status'], string> = {
	healthy: 'healthy',
	breached: 'breached',
	failing: 'FAILING',
	'too-few': 'cannot judge',
	'no-data': 'no data',
};

/**
 * The guard on three lines: its verdict with the reasons (the count of breaches, too few
 * requests), the comparison with the baseline (the score and the metric that drove it), then
 * what it judges on and what it will do by itself (auto-rollback, autopilot's next step).
 */
export function GuardLine({
	rollout,
	verdict,
	comparison,
	rateWindow,
	decision,
	autoRollback,
	autopilot,
	width,
}: Props) {
	const theme = useTheme();
	const bad = isBreach(verdict);
	const symbol = bad
		? theme.symbols.bad
		: verdict.status === 'healthy'
			? theme.symbols.ok
			: theme.symbols.unknown;
	const color = bad ? 'red' : verdict.status === 'healthy' ? 'green' : 'yellow';
	const reasons = verdict.reasons.length > 0 ? `: ${verdict.reasons.join(', ')}` : '';
	const {thresholds} = rollout;
	// Autopilot's next move first when it is on: the countdown or why it holds is what matters.
	const rules = [
		...(autopilot
			? [`autopilot (while this cutover runs): ${decision?.why ?? 'not judged yet'}`]
			: []),
		`rate ${rateWindow ?? '?'}`,
		`at least ${thresholds.minRequests} requests`,
		`fails after ${thresholds.failureThreshold} breaches`,
		`auto-rollback ${autoRollback ? 'on' : 'off'}`,
		...(autopilot ? [] : ['autopilot off (a)']),
	];
	const baseline = rollout.tracks.find((t) => t.side === 'baseline')?.title ?? 'baseline';
	const worse = comparison.verdict === 'Fail' || comparison.verdict === 'Marginal';
	const compared =
		comparison.verdict === 'Nodata'
			? `${theme.symbols.unknown} ${comparison.reason}`
			: `${worse ? theme.symbols.bad : theme.symbols.ok} ${comparison.verdict.toLowerCase()}, ${comparison.reason} (${comparison.samples.candidate}/${comparison.samples.baseline} intervals)`;
	const compareColor =
		comparison.verdict === 'Fail'
			? 'red'
			: comparison.verdict === 'Marginal'
				? 'yellow'
				: comparison.verdict === 'Pass'
					? 'green'
					: undefined;
	const stuck = decision?.kind === 'stuck' ? ` ${theme.symbols.bad} ${decision.why}` : '';
	return (
		<>
			<Text wrap="truncate-end">
				<Text bold>Guard </Text>
				<Text color={tint(theme, color)}>
					{cut(`${symbol} ${words[verdict.status]}${reasons}`, width - 6, theme.ascii)}
				</Text>
			</Text>
			<Text wrap="truncate-end">
				<Text dimColor={theme.color}>{cut(`  vs ${baseline} `, width, theme.ascii)}</Text>
				<Text
					color={compareColor ? tint(theme, compareColor) : undefined}
					dimColor={!compareColor && theme.color}
				>
					{cut(compared, Math.max(0, width - baseline.length - 6), theme.ascii)}
				</Text>
			</Text>
			<Text dimColor={theme.color} wrap="truncate-end">
				{cut(`      ${rules.join(theme.ascii ? ' | ' : ' · ')}${stuck}`, width, theme.ascii)}
			</Text>
		</>
	);
}
