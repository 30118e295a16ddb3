import type {Comparison} from '../../core/comparison.js';
import type {TrackMetrics} from '../../core/metrics.js';
import type {Thresholds} from '../../core/thresholds.js';
import {hasTraffic, isBreach, type Verdict} from '../../core/verdict.js';
import {tint, useTheme} from '../theme.js';
import {resample} from './chart.js';
import {Text} from './text.js';

const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const asciiBlocks = ['_', '.', '-', '~', '=', '+', '*', '#'];

export function percentText(ratio: number | null): string {
	if (ratio === null) return '?';
	const percent = ratio * 100;
	return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

export function msText(seconds: number | null): string {
	if (seconds === null) return '?';
	return seconds >= 1 ? `${seconds.toFixed(1)}s` : `${Math.round(seconds * 1000)}ms`;
}

/**
 * The list's health cell: the error ratio's recent shape in blocks, then error % and p99, and
 * last the comparison with the baseline: ▲ worse (yellow marginal, red fail), ≈ alike.
 */
export function HealthCell({
	track,
	thresholds,
	verdict,
	comparison,
	width,
}: {
	track: TrackMetrics | undefined;
	thresholds: Thresholds;
	/** The guard's verdict on this track: red over a threshold, yellow when it cannot judge. */
	verdict: Verdict;
	comparison?: Comparison | undefined;
	width: number;
}) {
	const theme = useTheme();
	if (!track || track.noData || !hasTraffic(track.now)) {
		return <Text dimColor={theme.color}>{`${theme.symbols.unknown} no data`}</Text>;
	}
	const set = theme.ascii ? asciiBlocks : blocks;
	// The newest points only: a glance is about now, and gaps before the data began mean nothing here.
	const values = resample(
		track.points.map((p) => p.errorRatio).filter((v) => v !== null),
		5,
	);
	const top = Math.max(
		thresholds.maxErrorRatio * 2,
		...values.filter((v): v is number => v !== null),
	);
	const spark = values
		.map((v) =>
			v === null ? ' ' : set[Math.min(set.length - 1, Math.floor((v / top) * set.length))],
		)
		.join('');
	const bad = isBreach(verdict);
	const unsure = verdict.status === 'too-few';
	const text = `${spark} ${percentText(track.now.errorRatio)} ${msText(track.now.p99Seconds)}`;
	const symbol = bad ? theme.symbols.bad : unsure ? theme.symbols.unknown : theme.symbols.ok;
	const mark = comparisonMark(theme.symbols, comparison);
	return (
		<Text wrap="truncate-end">
			<Text color={tint(theme, bad ? 'red' : unsure ? 'yellow' : 'green')}>
				{`${symbol}${text}`.slice(0, mark ? width - 2 : width)}
			</Text>
			{mark ? <Text color={tint(theme, mark.color)}>{` ${mark.symbol}`}</Text> : null}
		</Text>
	);
}

function comparisonMark(
	symbols: {worse: string; alike: string},
	comparison: Comparison | undefined,
): {symbol: string; color: string} | undefined {
	switch (comparison?.verdict) {
		case 'Fail':
			return {symbol: symbols.worse, color: 'red'};
		case 'Marginal':
			return {symbol: symbols.worse, color: 'yellow'};
		case 'Pass':
			return {symbol: symbols.alike, color: 'green'};
		default:
			return undefined;
	}
}
