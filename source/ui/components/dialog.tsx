import {Box, Text} from 'ink';
import {planLines} from '../../core/plan-text.js';
import type {Dialog} from '../store.js';
import {tint, useTheme} from '../theme.js';

/** The confirm dialog (the plan, then y), the image prompt, and a running plan's progress. */
export function DialogView({dialog, width}: {dialog: Dialog; width: number}) {
	const theme = useTheme();
	const border = theme.ascii ? 'classic' : 'double';
	if (dialog.kind === 'input') {
		return (
			<Box flexDirection="column" borderStyle={border} width={width} paddingX={1}>
				<Text bold wrap="truncate-end">
					{dialog.prompt}
				</Text>
				<Text wrap="truncate-start">{`> ${dialog.value}${theme.symbols.caret}`}</Text>
				<Text dimColor={theme.color}>Enter to plan it (you confirm next), Esc to cancel</Text>
			</Box>
		);
	}
	if (dialog.kind === 'confirm') {
		const [summary, ...rest] = planLines(dialog.plan);
		return (
			<Box
				flexDirection="column"
				borderStyle={border}
				borderColor={tint(theme, 'yellow')}
				width={width}
				paddingX={1}
			>
				<Text bold wrap="truncate-end">{`${summary}?`}</Text>
				{rest.map((line) => (
					<Text key={line} wrap="wrap">
						{line}
					</Text>
				))}
				<Text bold color={tint(theme, 'yellow')}>
					y to confirm, any other key cancels
				</Text>
			</Box>
		);
	}
	const symbolOf = (status: string) =>
		status === 'done'
			? theme.symbols.ok
			: status === 'failed'
				? theme.symbols.bad
				: status === 'running'
					? theme.symbols.progressing
					: ' ';
	return (
		<Box flexDirection="column" borderStyle={border} width={width} paddingX={1}>
			<Text bold wrap="truncate-end">{`${dialog.plan.summary}...`}</Text>
			{dialog.steps.map((view) => (
				<Text
					key={view.step.description}
					color={view.status === 'failed' ? tint(theme, 'red') : undefined}
					wrap="truncate-end"
				>
					{`${symbolOf(view.status)} ${view.step.description}${view.detail ? `: ${view.detail}` : ''}`}
				</Text>
			))}
		</Box>
	);
}
