import {Box, Text} from 'ink';
import type {ActionName} from '../../core/types.js';
import type {Binding, Screen} from '../keymap.js';
import type {Notice} from '../store.js';
import {tint, useTheme} from '../theme.js';

/** The last action's result (or error), then the keys of this screen, from the keymap. */
export function Footer({
	bindings,
	screen,
	notice,
	width,
	supported,
}: {
	bindings: Binding[];
	screen: Screen;
	notice: Notice | undefined;
	width: number;
	/** The actions the selected rollout has: the footer offers only those keys. */
	supported: ActionName[];
}) {
	const theme = useTheme();
	const keys = bindings
		.filter((b) => b.footer && b.screens.includes(screen))
		.filter((b) => b.command.kind !== 'action' || supported.includes(b.command.action))
		.map((b) => `${b.label} ${b.hint}`)
		.join('  ');
	const noticeColor =
		notice?.kind === 'error' ? 'red' : notice?.kind === 'ok' ? 'green' : undefined;
	const symbol =
		notice?.kind === 'error' ? theme.symbols.bad : notice?.kind === 'ok' ? theme.symbols.ok : '';
	return (
		<Box flexDirection="column" width={width}>
			<Text color={noticeColor ? tint(theme, noticeColor) : undefined} wrap="truncate-end">
				{notice ? `${symbol} ${notice.text}` : ' '}
			</Text>
			<Text dimColor={theme.color} wrap="truncate-end">
				{keys}
			</Text>
		</Box>
	);
}
