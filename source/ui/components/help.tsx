import {Box, Text} from 'ink';
import {cut, pad} from '../format.js';
import type {Binding} from '../keymap.js';
import {useTheme} from '../theme.js';

/**
 * Every key in force, generated from the keymap the keyboard uses: one line each, so it fits
 * 80x24 with the keys of every strategy (the screens a key works on are in the footer).
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
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>Keys</Text>
			{bindings.map((binding) => (
				<Text key={binding.label} wrap="truncate-end">
					{cut(`  ${pad(binding.label, 7)} ${binding.description}`, width, theme.ascii)}
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
