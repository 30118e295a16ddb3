import {Box, Text} from 'ink';
import {pad} from '../format.js';
import type {Binding} from '../keymap.js';
import {useTheme} from '../theme.js';

/** Every key in force, generated from the keymap the keyboard uses. */
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
					{`  ${pad(binding.label, 7)} ${pad(binding.description, 48, theme.ascii)} ${binding.screens.join(', ')}`}
				</Text>
			))}
			<Text> </Text>
			<Text wrap="wrap">
				{readonly
					? 'Read-only: keys that change the cluster are not bound.'
					: 'Every change shows its plan first and needs y; it applies only if the cluster still is as you saw it.'}
			</Text>
		</Box>
	);
}
