import {Box} from 'ink';
import {cut, pad} from '../format.js';
import type {Binding} from '../keymap.js';
import {useTheme} from '../theme.js';
import {Text} from './text.js';

/**
 * Every key in force, generated from the keymap the keyboard uses: the keys that move around
 * two to a line (their words are short), then each action on a line of its own, so the help of
 * every strategy's keys fits 80x24.
 */
export function Help({
	bindings,
	readonly,
	width,
}: {
	bindings: Binding[];
	readonly: boolean;
	width: number;
}) {
	const theme = useTheme();
	const line = (binding: Binding) => `  ${pad(binding.label, 7)} ${binding.description}`;
	const moving = bindings.filter((b) => b.command.kind === 'nav');
	const acting = bindings.filter((b) => b.command.kind === 'action');
	// Two columns as wide as the widest key's line, when two fit; else one.
	const column = Math.max(...moving.map((b) => line(b).length)) + 2;
	const perLine = column * 2 <= width ? 2 : 1;
	const pairs: Binding[][] = [];
	for (let i = 0; i < moving.length; i += perLine) pairs.push(moving.slice(i, i + perLine));
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>Keys</Text>
			{pairs.map((pair) => (
				<Text key={pair[0]!.label} wrap="truncate-end">
					{cut(
						pair
							.map((b, i) =>
								i === 0 && pair.length > 1 ? pad(line(b), column, theme.ascii) : line(b),
							)
							.join(''),
						width,
						theme.ascii,
					)}
				</Text>
			))}
			{acting.map((binding) => (
				<Text key={binding.label} wrap="truncate-end">
					{cut(line(binding), width, theme.ascii)}
				</Text>
			))}
			<Text wrap="truncate-end">
				{readonly
					? 'Read-only: keys that change the cluster are not bound.'
					: 'Every change shows its plan, needs y, and applies only if nothing changed since.'}
			</Text>
		</Box>
	);
}
