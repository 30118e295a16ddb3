import {Box, Text} from 'ink';
import type {Thresholds, TrackMetrics} from '../../core/metrics.js';
import type {Track} from '../../core/types.js';
import {pad, trackName} from '../format.js';
import {tint, trackColor, useTheme} from '../theme.js';
import {msText, percentText} from './sparkline.js';

function bar(
	theme: ReturnType<typeof useTheme>,
	done: number,
	total: number,
	width: number,
): string {
	const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
	return theme.symbols.barFull.repeat(filled) + theme.symbols.barEmpty.repeat(width - filled);
}

type Props = {
	track: Track;
	width: number;
	metrics?: TrackMetrics | undefined;
	thresholds?: Thresholds | undefined;
};

/**
 * One track in a few lines, marked down its left edge in the track's color: which one it is and
 * its share of traffic, the workload, images, readiness or rollout progress, and its numbers
 * against the thresholds (✔/✖ beside each, so color is never the only signal).
 */
export function TrackCard({track, width, metrics, thresholds}: Props) {
	const theme = useTheme();
	const inner = width - 3;
	const serving =
		track.role === 'active' ||
		((track.role === 'stable' || track.role === 'canary') && track.weight > 0);
	const symbol = serving ? theme.symbols.live : theme.symbols.standby;
	// Canary tracks are named by their role already; blue/green ones say which side is live.
	const role = track.role === 'active' ? ' LIVE' : track.role === 'standby' ? ' standby' : '';
	const {desired, updated, ready} = track.replicas;
	const edge = theme.ascii ? '|' : '▌';
	const color =
		trackColor(theme, track.color) ?? tint(theme, track.role === 'canary' ? 'yellow' : 'cyan');
	const progress = track.rollingOut
		? `${theme.symbols.progressing} rolling out ${bar(theme, Math.min(updated, ready), desired, 8)} ${Math.min(updated, ready)}/${desired}`
		: `${theme.symbols.ok} rolled out`;
	const lines: Array<{id: string; text: string; color?: string | undefined; bold?: boolean}> = [
		{
			id: 'title',
			text: `${symbol} ${trackName(track)}${role}  ${track.weight}% of traffic`,
			color,
			bold: true,
		},
		{id: 'workload', text: `deployment/${track.workload.name}`},
		...track.images.map((image) => ({id: `image ${image}`, text: image})),
		{
			id: 'ready',
			text: `ready ${ready}/${desired}  ${progress}`,
			color: track.rollingOut ? tint(theme, 'yellow') : undefined,
		},
	];
	if (metrics && thresholds) {
		if (metrics.noData || metrics.now.rps === null)
			lines.push({
				id: 'metrics',
				text: `${theme.symbols.unknown} no data: ${metrics.noData ?? 'no traffic'}`,
			});
		else {
			const errorBad =
				metrics.now.errorRatio !== null && metrics.now.errorRatio > thresholds.maxErrorRatio;
			const p99Bad =
				metrics.now.p99Seconds !== null && metrics.now.p99Seconds > thresholds.maxP99Seconds;
			const mark = (bad: boolean, value: number | null) =>
				value === null ? theme.symbols.unknown : bad ? theme.symbols.bad : theme.symbols.ok;
			lines.push({
				id: 'metrics',
				text: `${metrics.now.rps.toFixed(1)} rps  err ${percentText(metrics.now.errorRatio)} ${mark(errorBad, metrics.now.errorRatio)}  p99 ${msText(metrics.now.p99Seconds)} ${mark(p99Bad, metrics.now.p99Seconds)}`,
				color: tint(theme, errorBad || p99Bad ? 'red' : 'green'),
				bold: errorBad || p99Bad,
			});
		}
	}
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{lines.map((line) => (
				<Text key={line.id} wrap="truncate-end">
					<Text color={color}>{`${edge} `}</Text>
					<Text color={line.color} bold={line.bold ?? false}>
						{pad(line.text, inner, theme.ascii)}
					</Text>
				</Text>
			))}
		</Box>
	);
}
