import {Box, useInput} from 'ink';
import {useEffect, useSyncExternalStore} from 'react';
import {type Controller, minimumSize} from '../controller.js';
import {pad, wrapWords} from '../format.js';
import type {Binding} from '../keymap.js';
import {hiddenQuiet, type Store, selectedRollout, visibleRollouts} from '../store.js';
import {useTerminalSize} from '../terminal/use-terminal-size.js';
import {tint, useTheme} from '../theme.js';
import {DialogView} from './dialog.js';
import {Footer, noticeLines} from './footer.js';
import {Header} from './header.js';
import {Help} from './help.js';
import {RolloutDetail} from './rollout-detail.js';
import {RolloutList} from './rollout-list.js';
import {Text} from './text.js';

type Props = {
	store: Store;
	controller: Controller;
	bindings: Binding[];
	/** The strategies' labels: what the list says it looked for when it found nothing. */
	patterns: string[];
};

/**
 * Below the minimum size: why, in what fits (the start on screen, never taller than the
 * terminal, or its first lines would scroll away), and that q quits.
 */
function tooSmall(columns: number, rows: number, ascii: boolean): string[] {
	const {columns: least, rows: fewest} = minimumSize;
	const room = Math.max(1, rows - 1);
	const full = wrapWords(
		`terminal too small: ${columns}x${rows}; cutover needs at least ${least}x${fewest}; until then only q (quit) does anything`,
		columns,
		Number.MAX_SAFE_INTEGER,
		ascii,
	);
	if (full.length <= room) return full;
	return wrapWords(
		`too small (${columns}x${rows}): q quits; needs ${least}x${fewest}`,
		columns,
		room,
		ascii,
	);
}

/** The console: header, the screen of the moment (or a dialog over it), the footer. */
export function App({store, controller, bindings, patterns}: Props) {
	const state = useSyncExternalStore(store.subscribe, store.get);
	const theme = useTheme();
	const {columns, rows} = useTerminalSize();
	useInput((input, key) => controller.input(input, key));
	useEffect(() => controller.resized(columns, rows), [controller, columns, rows]);
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return (
			<Box flexDirection="column">
				{tooSmall(columns, rows, theme.ascii).map((line, index) => (
					// biome-ignore lint/suspicious/noArrayIndexKey: the lines of one note, in order
					<Text key={index}>{line}</Text>
				))}
			</Box>
		);
	}
	// Never as tall as the terminal: Ink would clear the screen and scrollback on every frame.
	const height = rows - 1;
	const width = columns;
	// What the guard did by itself, newest last, until acknowledged: the newest, on two lines.
	const newest = state.banners.at(-1);
	const more = state.banners.length - 1;
	const hint = `  (! acknowledges${more > 0 ? `; ${more} more` : ''})`;
	const banners = newest
		? wrapWords(`${theme.symbols.bad} ${newest.text}`, width - hint.length, 2, theme.ascii).map(
				(text, index, all) => ({
					kind: newest.kind,
					text: index === all.length - 1 ? `${text}${hint}` : text,
				}),
			)
		: [];
	// The header, the banners, the notice (an error may wrap) and the keys.
	const bodyHeight = height - 2 - banners.length - noticeLines(state.notice, width, theme).length;
	const rollout = selectedRollout(state);
	let body: React.ReactNode;
	if (state.dialog)
		body = <DialogView dialog={state.dialog} width={Math.min(width, 100)} height={bodyHeight} />;
	else if (state.screen === 'help')
		body = <Help bindings={bindings} readonly={state.readonly} width={width} />;
	else if (state.screen === 'detail' && rollout) {
		body = (
			<RolloutDetail
				rollout={rollout}
				events={state.events}
				bindings={bindings}
				width={width}
				height={bodyHeight}
				now={state.now}
				metrics={state.metrics.get(rollout.id)}
				metricsNote={state.metricsSource}
				record={state.guard.get(rollout.id)}
				decision={state.decisions.get(rollout.id)}
				autoRollback={state.autoRollbackAll}
				autopilot={state.autopilotAll || state.autopilot.has(rollout.id)}
			/>
		);
	} else {
		body = (
			<RolloutList
				rollouts={visibleRollouts(state)}
				hidden={hiddenQuiet(state)}
				selectedId={rollout?.id}
				width={width}
				height={bodyHeight}
				filter={state.filter}
				filtering={state.filtering}
				metrics={state.metrics}
				guard={state.guard}
				patterns={patterns}
				connection={state.connection}
			/>
		);
	}
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Header state={state} width={width} />
			{banners.map((banner, index) => (
				<Text
					// biome-ignore lint/suspicious/noArrayIndexKey: the banners are a log, in order
					key={index}
					inverse
					color={tint(theme, banner.kind === 'ok' ? 'yellow' : 'red')}
					wrap="truncate-end"
				>
					{pad(banner.text, width, theme.ascii)}
				</Text>
			))}
			<Box flexDirection="column" height={bodyHeight} overflow="hidden">
				{body}
			</Box>
			<Footer
				bindings={bindings}
				screen={state.screen}
				notice={state.notice}
				width={width}
				supported={rollout?.actions.map((a) => a.action) ?? []}
			/>
		</Box>
	);
}
