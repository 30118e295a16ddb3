import {Text} from 'ink';
import type {Decision} from '../../core/guard-decision.js';
import type {Rollout} from '../../core/types.js';
import {isBreach, type Verdict} from '../../core/verdict.js';
import {cut} from '../format.js';
import {tint, useTheme} from '../theme.js';

type Props = {
	rollout: Rollout;
	verdict: Verdict;
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
 * The guard on two lines: its verdict with the reasons (the count of breaches, too few requests),
 * then what it judges on and what it will do by itself (auto-rollback, autopilot's next step).
 */
export function GuardLine({
	rollout,
	verdict,
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
	const rules = [
		`rate ${rateWindow ?? '?'}`,
		`at least ${thresholds.minRequests} requests`,
		`fails after ${thresholds.failureThreshold} breaches`,
		`auto-rollback ${autoRollback ? 'on' : 'off'}`,
		autopilot
			? `autopilot (while this cutover runs): ${decision?.why ?? 'not judged yet'}`
			: 'autopilot off (a)',
	];
	const stuck = decision?.kind === 'stuck' ? ` ${theme.symbols.bad} ${decision.why}` : '';
	return (
		<>
			<Text wrap="truncate-end">
				<Text bold>Guard </Text>
				<Text color={tint(theme, color)}>
					{cut(`${symbol} ${words[verdict.status]}${reasons}`, width - 6, theme.ascii)}
				</Text>
			</Text>
			<Text dimColor={theme.color} wrap="truncate-end">
				{cut(`      ${rules.join(theme.ascii ? ' | ' : ' · ')}${stuck}`, width, theme.ascii)}
			</Text>
		</>
	);
}
