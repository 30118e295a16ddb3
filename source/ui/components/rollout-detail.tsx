import {Box, Text} from 'ink';
import type {KubeObject, Rollout} from '../../core/types.js';
import {coarseAge, pad, phaseSymbol, strategyLabel} from '../format.js';
import {type Binding, keyFor} from '../keymap.js';
import {tint, useTheme} from '../theme.js';
import {TrackCard} from './track-card.js';
import {WideWeightBar} from './weight-bar.js';

type Props = {
	rollout: Rollout;
	events: KubeObject[];
	bindings: Binding[];
	width: number;
	height: number;
	now: number;
};

/** Events about the rollout's objects, newest first. */
export function eventsFor(rollout: Rollout, events: KubeObject[]): KubeObject[] {
	const involved = new Set(rollout.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`));
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

/** Both tracks side by side, what can be done now (and why not), and the recent Events. */
export function RolloutDetail({rollout, events, bindings, width, height, now}: Props) {
	const theme = useTheme();
	const phase = phaseSymbol(theme, rollout.phase);
	const cardWidth = Math.floor(width / Math.max(1, rollout.tracks.length));
	// Border (2), title, workload, images, readiness, progress.
	const cardHeight = 2 + 4 + Math.max(...rollout.tracks.map((t) => t.images.length), 1);
	const traffic =
		rollout.traffic.kind === 'selector'
			? `Service ${rollout.name} selects ${rollout.traffic.label}=${rollout.traffic.live}`
			: `canary Ingress ${rollout.name}`;
	const routing = rollout.traffic.kind === 'weight' ? rollout.traffic.routing : [];
	const weightRows =
		rollout.traffic.kind === 'weight'
			? (rollout.traffic.weight === null ? 1 : 4) + routing.length
			: 0;
	// Actions without a key here (switch is p's promote for blue/green; all in --readonly) are left out.
	const actionLines = rollout.actions.flatMap((state) => {
		const key = keyFor(bindings, state.action);
		if (!key) return [];
		const availability = state.available ? 'available' : `unavailable: ${state.reason}`;
		return [{state, text: `${pad(key, 3)} ${pad(state.action, 9)} ${availability}`}];
	});
	const used = 1 + weightRows + cardHeight + rollout.problems.length + 1 + actionLines.length + 1;
	const eventRoom = Math.max(0, height - used - 1);
	const recent = eventsFor(rollout, events).slice(0, eventRoom);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Box>
				<Text bold>{`${rollout.namespace}/${rollout.name}  `}</Text>
				<Text>{`${strategyLabel(rollout)}  `}</Text>
				<Text color={tint(theme, phase.color)}>{`${phase.symbol} ${rollout.phase}`}</Text>
				<Text dimColor={theme.color} wrap="truncate-end">{`  ${traffic}`}</Text>
			</Box>
			{rollout.traffic.kind === 'weight' ? (
				<WideWeightBar traffic={rollout.traffic} width={width} />
			) : null}
			{routing.map((route) => (
				<Text key={route} color={tint(theme, 'yellow')} wrap="truncate-end">
					{`${theme.symbols.unknown} also routed by ${route}: these requests ignore the weight`}
				</Text>
			))}
			<Box flexShrink={0}>
				{rollout.tracks.map((track) => (
					<TrackCard key={track.workload.name} track={track} width={cardWidth} />
				))}
			</Box>
			{rollout.problems.map((problem) => (
				<Text
					key={problem}
					color={tint(theme, 'red')}
					wrap="truncate-end"
				>{`${theme.symbols.bad} ${problem}`}</Text>
			))}
			<Text bold>Actions</Text>
			{actionLines.map(({state, text}) => (
				<Text key={state.action} dimColor={theme.color && !state.available} wrap="truncate-end">
					{`  ${state.available ? theme.symbols.ok : theme.symbols.bad} ${text}`}
				</Text>
			))}
			<Text bold>{`Events${recent.length === 0 ? ': none recent' : ''}`}</Text>
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
						{`  ${pad(coarseAge(now - at), 4)} ${pad(e.type ?? '', 7)} ${pad(e.reason ?? '', 18, theme.ascii)} ${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}: ${e.message ?? ''}`}
					</Text>
				);
			})}
		</Box>
	);
}
