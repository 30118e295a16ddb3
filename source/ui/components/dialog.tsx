import {Box, Text} from 'ink';
import {planLines} from '../../core/plan-text.js';
import {cut} from '../format.js';
import type {Dialog} from '../store.js';
import {tint, useTheme} from '../theme.js';

/** The confirm dialog (the plan, then y), the image prompt, and a running plan's progress. */
export function DialogView({dialog, width}: {dialog: Dialog; width: number}) {
	const theme = useTheme();
	const border = theme.ascii ? 'classic' : 'double';
	// Inside the border and the padding.
	const inner = width - 4;
	if (dialog.kind === 'input') {
		return (
			<Box flexDirection="column" borderStyle={border} width={width} paddingX={1}>
				<Text bold wrap="truncate-end">
					{cut(dialog.prompt, inner, theme.ascii)}
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
				<Text bold wrap="truncate-end">
					{cut(`${summary}?`, inner, theme.ascii)}
				</Text>
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
			<Text bold wrap="truncate-end">
				{cut(`${dialog.plan.summary}...`, inner, theme.ascii)}
			</Text>
			{dialog.steps.map((view) => (
				<Text
					key={view.step.description}
					color={view.status === 'failed' ? tint(theme, 'red') : undefined}
					wrap="truncate-end"
				>
					{cut(
						`${symbolOf(view.status)} ${view.step.description}${view.detail ? `: ${view.detail}` : ''}`,
						inner,
						theme.ascii,
					)}
				</Text>
			))}
		</Box>
	);
}
