import {Box} from 'ink';
import {compare} from '../../core/comparison.js';
import type {Decision} from '../../core/guard-decision.js';
import {type GuardRecord, verdictNow} from '../../core/guard-record.js';
import {objectKey} from '../../core/kinds.js';
import type {RolloutMetrics} from '../../core/metrics.js';
import type {KubeObject, Rollout} from '../../core/types.js';
import {healthOf} from '../../core/verdict.js';
import {coarseAge, cut, healthSymbol, packFacts, pad, qualifiedName, toneColor} from '../format.js';
import {type Binding, keyFor} from '../keymap.js';
import {tint, useTheme} from '../theme.js';
import {GuardLine} from './guard-line.js';
import {MetricsPanel} from './metrics-panel.js';
import {Text} from './text.js';
import {TrackCard} from './track-card.js';
import {WideWeightBar} from './weight-bar.js';

type Props = {
	rollout: Rollout;
	events: KubeObject[];
	bindings: Binding[];
	width: number;
	height: number;
	now: number;
	metrics?: RolloutMetrics | undefined;
	/** Where numbers come from, or why there are none: said when this rollout has none. */
	metricsNote?: string | undefined;
	/** The guard's memory of this rollout, and what it will do by itself. */
	record?: GuardRecord | undefined;
	decision?: Decision | undefined;
	autoRollback?: boolean;
	autopilot?: boolean;
};

/** Events about the rollout's objects, newest first. */
function eventsFor(rollout: Rollout, events: KubeObject[]): KubeObject[] {
	const involved = new Set(rollout.objects.map(objectKey));
	const time = (e: KubeObject) =>
		(e as {lastTimestamp?: string; eventTime?: string; metadata: {creationTimestamp?: string}})
			.lastTimestamp ??
		(e as {eventTime?: string}).eventTime ??
		e.metadata.creationTimestamp ??
		'';
	return events
		.filter((event) => {
			const about = (event as {involvedObject?: {kind?: string; namespace?: string; name?: string}})
				.involvedObject;
			return (
				about &&
				involved.has(`${about.kind}/${about.namespace ?? event.metadata.namespace}/${about.name}`)
			);
		})
		.sort((a, b) => time(b).localeCompare(time(a)));
}

/**
 * Both tracks side by side with their numbers, the weight (canaries), the charts, what can be
 * done now (and why not), and the recent Events: sections drop from the bottom when the terminal
 * is short, Events first, then the charts.
 */
export function RolloutDetail({
	rollout,
	events,
	bindings,
	width,
	height,
	now,
	metrics,
	metricsNote,
	record,
	decision,
	autoRollback = false,
	autopilot = false,
}: Props) {
	const theme = useTheme();
	const {thresholds} = rollout;
	const colorOf = (color: string | undefined) => (color ? tint(theme, color) : undefined);
	const verdict = verdictNow(rollout, metrics, record);
	const phase = healthSymbol(theme, healthOf(rollout, verdict));
	const cardWidth = Math.floor(width / Math.max(1, rollout.tracks.length));
	// Title, workload, images, readiness, and the numbers when there are metrics.
	const cardHeight =
		3 + Math.max(...rollout.tracks.map((t) => t.images.length), 1) + (metrics ? 1 : 0);
	const traffic = rollout.summary;
	const routing = rollout.traffic.kind === 'split' ? rollout.traffic.routing : [];
	// A strategy's facts (failed checks, step i/n, timings): up to three lines of them.
	const factLines = packFacts(rollout.facts, width, 3, now);
	const weightRows =
		(rollout.traffic.kind === 'split'
			? (rollout.traffic.weight === null ? 1 : 4) + routing.length
			: 0) + factLines.length;
	// Actions without a key here (switch is p's promote for blue/green; all in --readonly) are left out.
	const keyed = rollout.actions.flatMap((state) => {
		const key = keyFor(bindings, state.action);
		return key ? [{state, key}] : [];
	});
	const available = keyed.filter(({state}) => state.available);
	const unavailable = keyed.filter(({state}) => !state.available);
	const actionRows = 1 + unavailable.length;
	const fixed =
		1 + weightRows + cardHeight + rollout.problems.length + actionRows + (metrics ? 3 : 1);
	const chartRows = metrics && height - fixed >= 7 ? Math.min(9, height - fixed - 1) : 0;
	const eventRoom = Math.max(0, height - fixed - chartRows - 1);
	const recent = eventsFor(rollout, events).slice(0, Math.max(0, eventRoom));
	// The name gives way first (a name of 63 and a namespace of 63 do not fit 80 columns): the
	// strategy and phase stay whole on the one title row.
	const standing = `${rollout.strategyLabel}  ${phase.symbol} ${rollout.phase}`;
	const title = qualifiedName(
		rollout.namespace,
		rollout.name,
		Math.max(12, width - standing.length - 2 - 1),
		theme.ascii,
	);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Box>
				<Text bold>{`${title}  `}</Text>
				<Text>{`${rollout.strategyLabel}  `}</Text>
				<Text color={tint(theme, phase.color)}>{`${phase.symbol} ${rollout.phase}`}</Text>
				<Text dimColor={theme.color} wrap="truncate-end">
					{cut(`  ${traffic}`, width - title.length - 2 - standing.length, theme.ascii)}
				</Text>
			</Box>
			{factLines.map((line) => (
				<Text key={line[0]!.fact.label} wrap="truncate-end">
					{line.map(({fact, text}, index) => (
						<Text key={fact.label} color={colorOf(toneColor(fact.tone))}>
							{`${index > 0 ? '  ' : ''}${text}`}
						</Text>
					))}
				</Text>
			))}
			{rollout.traffic.kind === 'split' ? (
				<WideWeightBar traffic={rollout.traffic} width={width} />
			) : null}
			{routing.map((route) => (
				<Text key={route} color={tint(theme, 'yellow')} wrap="truncate-end">
					{cut(
						`${theme.symbols.unknown} also routed by ${route}: these requests ignore the weight`,
						width,
						theme.ascii,
					)}
				</Text>
			))}
			<Box flexShrink={0}>
				{rollout.tracks.map((track) => (
					<TrackCard
						key={track.key}
						track={track}
						width={cardWidth}
						metrics={metrics?.tracks.find((m) => m.key === track.key)}
						thresholds={metrics ? thresholds : undefined}
					/>
				))}
			</Box>
			{rollout.problems.map((problem) => (
				<Text key={problem} color={tint(theme, 'red')} wrap="truncate-end">
					{cut(`${theme.symbols.bad} ${problem}`, width, theme.ascii)}
				</Text>
			))}
			{metrics ? (
				<GuardLine
					rollout={rollout}
					verdict={verdict}
					comparison={record?.comparison ?? compare(rollout, metrics)}
					rateWindow={metrics.rateWindow}
					decision={decision}
					autoRollback={autoRollback || rollout.policy.autoRollback}
					autopilot={autopilot}
					width={width}
				/>
			) : null}
			{chartRows > 0 && metrics ? (
				<MetricsPanel
					rollout={rollout}
					metrics={metrics}
					thresholds={thresholds}
					width={width}
					height={chartRows}
				/>
			) : null}
			{metrics ? null : (
				<Text dimColor={theme.color} wrap="truncate-end">
					{cut(
						`${theme.symbols.unknown} metrics: ${metricsNote ?? 'none yet'}`,
						width,
						theme.ascii,
					)}
				</Text>
			)}
			<Text wrap="truncate-end">
				<Text bold>Actions </Text>
				<Text>
					{cut(
						available.length > 0
							? available
									.map(({state, key}) => `${theme.symbols.ok} ${key} ${state.action}`)
									.join('  ')
							: 'none available now',
						width - 8,
						theme.ascii,
					)}
				</Text>
			</Text>
			{unavailable.map(({state, key}) => (
				<Text key={state.action} dimColor={theme.color} wrap="truncate-end">
					{cut(
						`  ${theme.symbols.bad} ${key} ${state.action}: ${state.reason}`,
						width,
						theme.ascii,
					)}
				</Text>
			))}
			{eventRoom > 0 ? (
				<Text bold>{`Events${recent.length === 0 ? ': none recent' : ''}`}</Text>
			) : null}
			{recent.map((event) => {
				const e = event as unknown as {
					type?: string;
					reason?: string;
					message?: string;
					lastTimestamp?: string;
					eventTime?: string;
					involvedObject?: {kind?: string; name?: string};
				};
				const at = Date.parse(
					e.lastTimestamp ?? e.eventTime ?? event.metadata.creationTimestamp ?? '',
				);
				const warning = e.type === 'Warning';
				return (
					<Text
						key={event.metadata.uid ?? event.metadata.name}
						color={warning ? tint(theme, 'yellow') : undefined}
						wrap="truncate-end"
					>
						{cut(
							`  ${pad(coarseAge(now - at), 4)} ${pad(e.type ?? '', 7)} ${pad(e.reason ?? '', 18, theme.ascii)} ${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}: ${e.message ?? ''}`,
							width,
							theme.ascii,
						)}
					</Text>
				);
			})}
		</Box>
	);
}
