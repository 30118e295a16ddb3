import {Box} from 'ink';
import type {ConnectionState} from '../../core/adapters.js';
import {type GuardRecord, verdictNow} from '../../core/guard-record.js';
import type {RolloutMetrics} from '../../core/metrics.js';
import type {Rollout} from '../../core/types.js';
import {focusTrack, healthOf, trackMetricsOf} from '../../core/verdict.js';
import {healthSymbol, pad, wrapWords} from '../format.js';
import {tint, useTheme} from '../theme.js';
import {HealthCell} from './sparkline.js';
import {Text} from './text.js';
import {TrafficBadge} from './traffic-badge.js';

type Props = {
	rollouts: Rollout[];
	selectedId: string | undefined;
	width: number;
	height: number;
	filter: string;
	filtering: boolean;
	/** Quiet rollouts left out of `rollouts` (H lists them). */
	hidden?: number;
	metrics: Map<string, RolloutMetrics>;
	guard: Map<string, GuardRecord>;
	/** The strategies' names, for saying what was looked for when nothing was found. */
	patterns: string[];
	/** The watch's state: an empty list is only "nothing found" once the cluster has answered. */
	connection?: ConnectionState;
};

/** What an empty list means: nothing found, nothing yet, or the reason nothing can be read. */
function emptyText(
	filter: string,
	patterns: string[],
	connection?: ConnectionState,
	hidden = 0,
): {text: string; bad: boolean} {
	if (filter) return {text: 'no rollout matches the filter', bad: false};
	if (hidden > 0)
		return {
			text: `nothing rolling out, paused or stuck: ${hidden} settled rolling ${hidden === 1 ? 'update' : 'updates'} hidden (H shows them)`,
			bad: false,
		};
	if (connection && connection.lastDataAt === 0) {
		if (connection.status === 'disconnected')
			return {
				text: `cannot list rollouts: ${connection.error ?? 'the API server does not answer'} (retrying)`,
				bad: true,
			};
		return {text: "waiting for the API server's first answer...", bad: false};
	}
	return {
		text: `no rollouts found: nothing here is a rollout of a known pattern (${patterns.join(', ')})`,
		bad: false,
	};
}

const columns = {strategy: 10, traffic: 13, ready: 7, phase: 12, health: 19};

/** READY shows only where the names still get room (wide terminals); the detail always has it. */
function layout(width: number) {
	const withReady = width >= 100;
	// The cursor, then a space after each column.
	const fixed =
		2 +
		columns.strategy +
		columns.traffic +
		columns.phase +
		columns.health +
		5 +
		(withReady ? columns.ready + 1 : 0);
	return {withReady, nameWidth: Math.max(10, width - fixed)};
}

function replicasText(rollout: Rollout): string {
	return rollout.tracks.map((t) => `${t.replicas.ready}/${t.replicas.desired}`).join(' ');
}

function Cell({width, children}: {width: number; children: React.ReactNode}) {
	return (
		<Box width={width} flexShrink={0} marginRight={1}>
			{children}
		</Box>
	);
}

/**
 * One line per rollout. Only the rows that fit are rendered (a window that keeps the selection
 * in view), so a thousand rollouts cost what a screenful does.
 */
export function RolloutList({
	rollouts,
	selectedId,
	width,
	height,
	filter,
	filtering,
	hidden = 0,
	metrics,
	guard,
	patterns,
	connection,
}: Props) {
	const theme = useTheme();
	const empty = emptyText(filter, patterns, connection, hidden);
	const {withReady, nameWidth} = layout(width);
	const rowsRoom = Math.max(1, height - 2);
	const selected = Math.max(
		0,
		rollouts.findIndex((r) => r.id === selectedId),
	);
	const start = Math.min(
		Math.max(0, selected - Math.floor(rowsRoom / 2)),
		Math.max(0, rollouts.length - rowsRoom),
	);
	const shown = rollouts.slice(start, start + rowsRoom);
	const range =
		start > 0 || start + rowsRoom < rollouts.length
			? `  (${start + 1}-${start + shown.length} of ${rollouts.length})`
			: '';
	const count = `${rollouts.length} rollout${rollouts.length === 1 ? '' : 's'}${
		hidden > 0 ? `, ${hidden} quiet hidden (H shows)` : ''
	}`;
	const filterLine =
		filtering || filter
			? `filter: ${filter}${filtering ? theme.symbols.caret : ''}  ${count}`
			: count;
	const titled: Array<[string, number]> = [
		['NAMESPACE/NAME', nameWidth],
		['STRATEGY', columns.strategy],
		['TRAFFIC', columns.traffic],
		...(withReady ? [['READY', columns.ready] as [string, number]] : []),
		['PHASE', columns.phase],
		['HEALTH', columns.health],
	];
	const header = titled.map(([title]) => title);
	const widths = titled.map(([, w]) => w);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text dimColor={theme.color && !filtering} wrap="truncate-end">
				{`${filterLine}${range}`}
			</Text>
			<Box>
				<Text>{'  '}</Text>
				{header.map((title, index) => (
					<Cell key={title} width={widths[index]!}>
						<Text bold>{title}</Text>
					</Cell>
				))}
			</Box>
			{rollouts.length === 0
				? wrapWords(empty.text, width - 2, 4, theme.ascii).map((line) => (
						<Text key={line} color={empty.bad ? tint(theme, 'red') : undefined}>{`  ${line}`}</Text>
					))
				: null}
			{shown.map((rollout) => {
				const isSelected = rollout.id === (selectedId ?? rollouts[0]?.id);
				const found = metrics.get(rollout.id);
				const verdict = verdictNow(rollout, found, guard.get(rollout.id));
				const health = healthOf(rollout, verdict);
				const phase = healthSymbol(theme, health);
				// The guard's word when it is worse than the phase: never a tick beside a breach.
				const word = health !== rollout.health ? verdict.status : rollout.phase;
				const phaseText = `${rollout.problems.length > 0 ? '!' : phase.symbol} ${word}`;
				return (
					<Box key={rollout.id} width={width}>
						<Text bold={isSelected}>{isSelected ? `${theme.symbols.cursor} ` : '  '}</Text>
						<Cell width={nameWidth}>
							<Text inverse={isSelected} bold={isSelected}>
								{pad(`${rollout.namespace}/${rollout.name}`, nameWidth, theme.ascii)}
							</Text>
						</Cell>
						<Cell width={columns.strategy}>
							<Text>{pad(rollout.strategyLabel, columns.strategy, theme.ascii)}</Text>
						</Cell>
						<Cell width={columns.traffic}>
							<TrafficBadge rollout={rollout} />
						</Cell>
						{withReady ? (
							<Cell width={columns.ready}>
								<Text>{pad(replicasText(rollout), columns.ready, theme.ascii)}</Text>
							</Cell>
						) : null}
						<Cell width={columns.phase}>
							<Text color={tint(theme, phase.color)}>
								{pad(phaseText, columns.phase, theme.ascii)}
							</Text>
						</Cell>
						<Cell width={columns.health}>
							<HealthCell
								track={trackMetricsOf(found, focusTrack(rollout))}
								thresholds={rollout.thresholds}
								verdict={verdict}
								comparison={guard.get(rollout.id)?.comparison}
								width={columns.health}
							/>
						</Cell>
					</Box>
				);
			})}
		</Box>
	);
}
