import {Box} from 'ink';
import {planLines} from '../../core/plan-text.js';
import {cut} from '../format.js';
import type {Dialog} from '../store.js';
import {tint, useTheme} from '../theme.js';
import {Text} from './text.js';

/**
 * The plan's lines that fit in `rows` (each wraps at `width`); when some do not, the last row
 * says how many are left out, so the question and its answer keys stay on screen.
 */
function fitted(lines: string[], width: number, rows: number): string[] {
	const rowsOf = (line: string) => Math.max(1, Math.ceil(line.length / Math.max(1, width)));
	if (lines.reduce((sum, line) => sum + rowsOf(line), 0) <= rows) return lines;
	const kept: string[] = [];
	let used = 1;
	for (const line of lines) {
		if (used + rowsOf(line) > rows) break;
		kept.push(line);
		used += rowsOf(line);
	}
	return [
		...kept,
		`... ${lines.length - kept.length} more lines: --dry-run on the command line prints the whole plan`,
	];
}

/** The confirm dialog (the plan, then y), the image prompt, and a running plan's progress. */
export function DialogView({
	dialog,
	width,
	height,
}: {
	dialog: Dialog;
	width: number;
	height: number;
}) {
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
		const [summary, ...all] = planLines(dialog.plan);
		const review = dialog.review ?? {known: [], blockers: []};
		const blocked = review.blockers.length > 0;
		// The guard's lines come first, whole: they are why this may be a bad idea.
		const head = [
			...review.blockers.map((text) => ({
				text: `${theme.symbols.bad} ${text}`,
				color: 'red',
				bold: true,
			})),
			...(review.sides ? [{text: review.sides, color: undefined, bold: true}] : []),
			...review.known.map((text) => ({text, color: blocked ? 'red' : undefined, bold: false})),
		];
		const headRows = head.reduce(
			(n, line) => n + Math.max(1, Math.ceil(line.text.length / inner)),
			0,
		);
		const rest = fitted(all, inner, height - 4 - headRows - (blocked ? 1 : 0));
		return (
			<Box
				flexDirection="column"
				borderStyle={border}
				borderColor={tint(theme, blocked ? 'red' : 'yellow')}
				width={width}
				paddingX={1}
			>
				<Text bold wrap="truncate-end">
					{cut(`${summary}?`, inner, theme.ascii)}
				</Text>
				{head.map((line) => (
					<Text
						key={line.text}
						wrap="wrap"
						bold={line.bold}
						color={line.color ? tint(theme, line.color) : undefined}
					>
						{line.text}
					</Text>
				))}
				{rest.map((line, index) => (
					// biome-ignore lint/suspicious/noArrayIndexKey: a plan's lines repeat (two steps alike), in order
					<Text key={index} wrap="wrap">
						{line}
					</Text>
				))}
				{blocked ? (
					<>
						<Text bold color={tint(theme, 'red')}>
							type force and Enter to do it anyway; Esc or Enter alone cancels
						</Text>
						<Text>{`> ${dialog.typed ?? ''}${theme.symbols.caret}`}</Text>
					</>
				) : (
					<Text bold color={tint(theme, 'yellow')}>
						y to confirm, any other key cancels
					</Text>
				)}
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
			{dialog.steps.map((view, index) => (
				<Text
					// biome-ignore lint/suspicious/noArrayIndexKey: steps may share a description, in order
					key={index}
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
