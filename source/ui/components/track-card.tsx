import {Box, Text} from 'ink';
import type {Track} from '../../core/types.js';
import {pad, trackName} from '../format.js';
import {tint, trackColor, useTheme} from '../theme.js';

function bar(
	theme: ReturnType<typeof useTheme>,
	done: number,
	total: number,
	width: number,
): string {
	const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
	return theme.symbols.barFull.repeat(filled) + theme.symbols.barEmpty.repeat(width - filled);
}

/** One track: its color and role, workload, images, readiness and rollout progress. */
export function TrackCard({track, width}: {track: Track; width: number}) {
	const theme = useTheme();
	const inner = width - 4;
	const live =
		track.role === 'active' ||
		(track.role === 'stable' && track.weight > 0) ||
		(track.role === 'canary' && track.weight > 0);
	const symbol = live ? theme.symbols.live : theme.symbols.standby;
	// Canary tracks are named by their role already; blue/green ones say which side is live.
	const role = track.role === 'active' ? '  LIVE' : track.role === 'standby' ? '  standby' : '';
	const {desired, updated, ready} = track.replicas;
	return (
		<Box
			flexDirection="column"
			borderStyle={theme.ascii ? 'classic' : 'round'}
			borderColor={trackColor(theme, track.color)}
			width={width}
			paddingX={1}
		>
			<Text color={trackColor(theme, track.color)} bold wrap="truncate-end">
				{pad(
					`${symbol} ${trackName(track)}${role}  ${track.weight}% of traffic`,
					inner,
					theme.ascii,
				)}
			</Text>
			<Text wrap="truncate-end">
				{pad(`deployment/${track.workload.name}`, inner, theme.ascii)}
			</Text>
			{track.images.map((image) => (
				<Text key={image} wrap="truncate-end">
					{pad(`image ${image}`, inner, theme.ascii)}
				</Text>
			))}
			<Text wrap="truncate-end">
				{pad(`ready ${ready}/${desired}  updated ${updated}/${desired}`, inner, theme.ascii)}
			</Text>
			<Text color={track.rollingOut ? tint(theme, 'yellow') : undefined} wrap="truncate-end">
				{track.rollingOut
					? pad(
							`${theme.symbols.progressing} rolling out ${bar(theme, Math.min(updated, ready), desired, 12)} ${Math.min(updated, ready)}/${desired}`,
							inner,
							theme.ascii,
						)
					: pad(`${theme.symbols.ok} rolled out`, inner, theme.ascii)}
			</Text>
		</Box>
	);
}
