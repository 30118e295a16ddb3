import {Box} from 'ink';
import type {RolloutMetrics} from '../../core/metrics.js';
import type {Thresholds} from '../../core/thresholds.js';
import type {Rollout} from '../../core/types.js';
import {trackColor, useTheme} from '../theme.js';
import {Chart, type ChartSeries} from './chart.js';
import {Text} from './text.js';

type Props = {
	rollout: Rollout;
	metrics: RolloutMetrics;
	thresholds: Thresholds;
	width: number;
	height: number;
};

/** Three small charts side by side (rate, error %, p99 ms), each track in its color, thresholds as lines. */
export function MetricsPanel({rollout, metrics, thresholds, width, height}: Props) {
	const theme = useTheme();
	const chartWidth = Math.floor(width / 3);
	const chartHeight = Math.max(3, height - 2);
	const seriesOf = (
		pick: (p: {
			rps: number | null;
			errorRatio: number | null;
			p99Seconds: number | null;
		}) => number | null,
		scale: number,
	): ChartSeries[] =>
		metrics.tracks.map((track) => {
			const source = rollout.tracks.find((t) => t.key === track.key);
			return {
				name: source?.title ?? track.key,
				values: track.points.map((p) => {
					const value = pick(p);
					return value === null ? null : value * scale;
				}),
				color: source ? trackColor(theme, source) : undefined,
			};
		});
	const reason = metrics.error ?? metrics.tracks.find((t) => t.noData)?.noData ?? 'no traffic';
	const legend = metrics.tracks
		.map((track) => {
			const source = rollout.tracks.find((t) => t.key === track.key);
			return `${theme.symbols.barFull}${theme.symbols.barFull} ${source?.title ?? track.key}`;
		})
		.join('  ');
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text
				dimColor={theme.color}
				wrap="truncate-end"
			>{`last ${metrics.windowMinutes}m   ${legend}   ${theme.ascii ? '-' : '╌'} threshold`}</Text>
			<Box>
				<Chart
					title="req/s"
					series={seriesOf((p) => p.rps, 1)}
					height={chartHeight}
					width={chartWidth}
					format={(x) => x.toFixed(x < 10 ? 1 : 0)}
					noData={reason}
				/>
				<Chart
					title={`error % (max ${+(thresholds.maxErrorRatio * 100).toFixed(2)})`}
					series={seriesOf((p) => p.errorRatio, 100)}
					threshold={thresholds.maxErrorRatio * 100}
					height={chartHeight}
					width={chartWidth}
					format={(x) => x.toFixed(x < 10 ? 1 : 0)}
					noData={reason}
				/>
				<Chart
					title={`p99 ms (max ${Math.round(thresholds.maxP99Seconds * 1000)})`}
					series={seriesOf((p) => p.p99Seconds, 1000)}
					threshold={thresholds.maxP99Seconds * 1000}
					height={chartHeight}
					width={chartWidth}
					format={(x) => x.toFixed(0)}
					noData={reason}
				/>
			</Box>
		</Box>
	);
}
