import {Box} from 'ink';
import type {TrackMetrics} from '../../core/metrics.js';
import type {Thresholds} from '../../core/thresholds.js';
import type {Track} from '../../core/types.js';
import {hasTraffic, type Mark, marks} from '../../core/verdict.js';
import {pad} from '../format.js';
import {tint, trackColor, useTheme} from '../theme.js';
import {msText, percentText} from './sparkline.js';
import {Text} from './text.js';

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
	const symbol = track.serving ? theme.symbols.live : theme.symbols.standby;
	const tag = track.tag ? ` ${track.tag}` : '';
	const {desired, updated, ready} = track.replicas;
	const edge = theme.ascii ? '|' : '▌';
	const color = trackColor(theme, track);
	const progress = track.rollingOut
		? `${theme.symbols.progressing} rolling out ${bar(theme, Math.min(updated, ready), desired, 8)} ${Math.min(updated, ready)}/${desired}`
		: `${theme.symbols.ok} rolled out`;
	const lines: Array<{id: string; text: string; color?: string | undefined; bold?: boolean}> = [
		{
			id: 'title',
			text: `${symbol} ${track.title}${tag}  ${track.weight === null ? 'traffic ?' : `${track.weight}% of traffic`}`,
			color,
			bold: true,
		},
		{id: 'workload', text: `${track.workload.kind.toLowerCase()}/${track.workload.name}`},
		...track.images.map((image) => ({id: `image ${image}`, text: image})),
		{
			id: 'ready',
			text: `ready ${ready}/${desired}  ${progress}`,
			color: track.rollingOut ? tint(theme, 'yellow') : undefined,
		},
	];
	if (metrics && thresholds) {
		if (metrics.noData || !hasTraffic(metrics.now))
			lines.push({
				id: 'metrics',
				text: `${theme.symbols.unknown} no data: ${metrics.noData ?? 'no traffic'}`,
			});
		else {
			const marked = marks(metrics.now, thresholds);
			const errorBad = marked.errorRatio === 'bad';
			const p99Bad = marked.p99 === 'bad';
			const mark = (m: Mark) =>
				m === 'unknown'
					? theme.symbols.unknown
					: m === 'bad'
						? theme.symbols.bad
						: theme.symbols.ok;
			lines.push({
				id: 'metrics',
				text: `${(metrics.now.rps ?? 0).toFixed(1)} rps  err ${percentText(metrics.now.errorRatio)} ${mark(marked.errorRatio)}  p99 ${msText(metrics.now.p99Seconds)} ${mark(marked.p99)}`,
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
