import {Box} from 'ink';
import {planLines} from '../../core/plan-text.js';
import {cut, wrapWords} from '../format.js';
import type {Dialog} from '../store.js';
import {tint, useTheme} from '../theme.js';
import {Text} from './text.js';

/**
 * A line as the rows it takes at `width`, wrapped here rather than by Ink, so the dialog knows
 * its height exactly: a row more than it has and Yoga squeezes the question off the screen.
 * The line's indentation is kept on every row.
 */
function rowsOf(line: string, width: number, ascii: boolean): string[] {
	const indent = /^ */.exec(line)?.[0] ?? '';
	const room = Math.max(1, width - indent.length);
	return wrapWords(line.trimStart(), room, Number.MAX_SAFE_INTEGER, ascii).map(
		(row) => `${indent}${row}`,
	);
}

/**
 * The rows of the plan's lines that fit in `rows`, whole lines only; when some do not, the last
 * row says how many are left out, so the question and its answer keys stay on screen.
 */
function fitted(lines: string[][], rows: number, width: number, ascii: boolean): string[] {
	if (lines.reduce((sum, line) => sum + line.length, 0) <= rows) return lines.flat();
	const kept: string[][] = [];
	let used = 1;
	for (const line of lines) {
		if (used + line.length > rows) break;
		kept.push(line);
		used += line.length;
	}
	return [
		...kept.flat(),
		cut(
			`... ${lines.length - kept.length} more lines: --dry-run on the command line prints the whole plan`,
			width,
			ascii,
		),
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
		// Title, answer line and border: 4 rows; a blocked plan's typed answer one more.
		const room = Math.max(1, height - 4 - (blocked ? 1 : 0));
		const headRows = head
			.flatMap((line) => rowsOf(line.text, inner, theme.ascii).map((text) => ({...line, text})))
			.slice(0, room);
		const rest = fitted(
			all.map((line) => rowsOf(line, inner, theme.ascii)),
			room - headRows.length,
			inner,
			theme.ascii,
		);
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
				{headRows.map((line, index) => (
					<Text
						// biome-ignore lint/suspicious/noArrayIndexKey: the rows of the guard's lines, in order
						key={index}
						wrap="truncate-end"
						bold={line.bold}
						color={line.color ? tint(theme, line.color) : undefined}
					>
						{line.text}
					</Text>
				))}
				{rest.map((line, index) => (
					// biome-ignore lint/suspicious/noArrayIndexKey: a plan's lines repeat (two steps alike), in order
					<Text key={index} wrap="truncate-end">
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
