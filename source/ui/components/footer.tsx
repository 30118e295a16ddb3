import {Box} from 'ink';
import type {ActionName} from '../../core/types.js';
import {cut, pad, wrapWords} from '../format.js';
import type {Binding, Screen} from '../keymap.js';
import type {Notice} from '../store.js';
import {type Theme, tint, useTheme} from '../theme.js';
import {Text} from './text.js';

/** An error may take this many lines: it names what failed (pods, what they answered). */
const maxNoticeLines = 6;

/**
 * The notice's lines. An error wraps, each of its "; "-separated parts (one a failing pod) on a
 * line of its own, since its end says what failed; anything else is one line.
 */
export function noticeLines(notice: Notice | undefined, width: number, theme: Theme): string[] {
	if (!notice) return [' '];
	const symbol =
		notice.kind === 'error' ? theme.symbols.bad : notice.kind === 'ok' ? theme.symbols.ok : '';
	const text = `${symbol} ${notice.text}`;
	if (notice.kind !== 'error') return [cut(text, width, theme.ascii)];
	// The first part says what failed (over two lines at most); each further one is a line.
	const [first = '', ...more] = text.split('; ');
	const lines = [
		...wrapWords(first, width, 2, theme.ascii),
		...more.map((part) => cut(`  ${part}`, width, theme.ascii)),
	];
	if (lines.length <= maxNoticeLines) return lines;
	return [
		...lines.slice(0, maxNoticeLines - 1),
		pad(lines.slice(maxNoticeLines - 1).join(' '), width, theme.ascii),
	];
}

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
	const offered = bindings
		.filter((b) => b.footer && b.screens.includes(screen))
		.filter((b) => b.command.kind !== 'action' || supported.includes(b.command.action));
	// When they do not fit, keys go from the end; help (which lists them all) and quit stay.
	const stays = (b: Binding) => b.command.kind === 'nav' && ['help', 'quit'].includes(b.command.to);
	const text = (shown: Binding[]) => shown.map((b) => `${b.label} ${b.hint}`).join('  ');
	let shown = offered;
	while (text(shown).length > width && shown.some((b) => !stays(b))) {
		const last = shown.findLastIndex((b) => !stays(b));
		shown = shown.filter((_, index) => index !== last);
	}
	const keys = cut(text(shown), width, theme.ascii);
	const noticeColor =
		notice?.kind === 'error' ? 'red' : notice?.kind === 'ok' ? 'green' : undefined;
	return (
		<Box flexDirection="column" width={width}>
			{noticeLines(notice, width, theme).map((line, index) => (
				<Text
					// biome-ignore lint/suspicious/noArrayIndexKey: lines of one text, in order
					key={index}
					color={noticeColor ? tint(theme, noticeColor) : undefined}
					wrap="truncate-end"
				>
					{line}
				</Text>
			))}
			<Text dimColor={theme.color} wrap="truncate-end">
				{keys}
			</Text>
		</Box>
	);
}
