import {type PlotConfig, plot} from 'asciichart';
import {Box} from 'ink';
import {tint, useTheme} from '../theme.js';
import {Text} from './text.js';

export type ChartSeries = {name: string; values: Array<number | null>; color: string | undefined};

type Props = {
	title: string;
	series: ChartSeries[];
	threshold?: number;
	height: number;
	width: number;
	format: (value: number) => string;
	/** Said instead of a chart when no series has a single number. */
	noData: string;
};

type Symbols = NonNullable<PlotConfig['symbols']>;

const unicodeSymbols: Symbols = ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];
const asciiSymbols: Symbols = ['+', '|', '-', '-', '-', '\\', '/', '\\', '/', '|'];

/** One column per point: the newest `columns` points, a longer history squeezed by max. */
export function resample(values: Array<number | null>, columns: number): Array<number | null> {
	if (values.length <= columns) return values;
	const out: Array<number | null> = [];
	for (let i = 0; i < columns; i++) {
		const from = Math.floor((i * values.length) / columns);
		const to = Math.floor(((i + 1) * values.length) / columns);
		const part = values.slice(from, Math.max(to, from + 1)).filter((v): v is number => v !== null);
		out.push(part.length > 0 ? Math.max(...part) : null);
	}
	return out;
}

/** Gaps plotted as their neighbours' value, then blanked: asciichart draws no gaps itself. */
function filled(values: Array<number | null>): number[] {
	const first = values.find((v): v is number => v !== null) ?? 0;
	let last = first;
	return values.map((v) => {
		if (v !== null) last = v;
		return v ?? last;
	});
}

type Cell = {char: string; color: string | undefined};

/**
 * A small line chart (asciichart) of one or more series, each in its own color, with a threshold
 * line; a point without data is a gap, never a zero. Series are plotted one by one on the same
 * scale and merged cell by cell, so colors stay per series and gaps can be cut out.
 */
export function Chart({title, series, threshold, height, width, format, noData}: Props) {
	const theme = useTheme();
	const labelWidth = 7;
	const columns = Math.max(4, width - labelWidth - 3);
	const shown = series.map((s) => ({...s, values: resample(s.values, columns)}));
	const numbers = shown.flatMap((s) => s.values.filter((v): v is number => v !== null));
	if (numbers.length === 0) {
		return (
			<Box flexDirection="column" width={width} height={height + 2}>
				<Text bold wrap="truncate-end">
					{title}
				</Text>
				<Text
					dimColor={theme.color}
					wrap="wrap"
				>{`${theme.symbols.unknown} no data: ${noData}`}</Text>
			</Box>
		);
	}
	const max = Math.max(
		...numbers,
		threshold !== undefined ? threshold * 1.25 : 0,
		Number.MIN_VALUE,
	);
	// asciichart puts each axis label in one cell, which breaks column arithmetic: it draws
	// only the axis (offset 2, its label overwritten by the axis) and the labels are added here.
	const rowsCount = height - 1;
	const config = {
		height: rowsCount,
		min: 0,
		max,
		offset: 2,
		padding: ' ',
		symbols: theme.ascii ? asciiSymbols : unicodeSymbols,
		format: () => '.',
	};
	const plotOffset = 2;
	const grids = shown.map((s) => ({
		series: s,
		rows: plot(filled(s.values), config)
			.split('\n')
			.map((row) => [...row]),
	}));
	const thresholdRows =
		threshold !== undefined
			? plot(new Array(Math.max(2, shown[0]?.values.length ?? 2)).fill(threshold), config)
					.split('\n')
					.map((row) => [...row])
			: undefined;
	const base = grids[0]!.rows;
	const lines: Cell[][] = base.map((row, y) => {
		const value = max - (y * max) / Math.max(1, rowsCount);
		const label = format(value)
			.padStart(labelWidth - 1)
			.slice(-(labelWidth - 1));
		const cells: Cell[] = [...label].map((char) => ({char, color: undefined}));
		for (const [x, char] of row.entries()) {
			if (x < plotOffset) {
				cells.push({char, color: undefined});
				continue;
			}
			cells.push(cellAt(grids, thresholdRows, x, y, plotOffset, theme));
		}
		return cells;
	});
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text bold wrap="truncate-end">
				{title}
			</Text>
			{lines
				.map((cells, y) => ({id: `row${y}`, cells}))
				.map((row) => (
					<Text key={row.id} wrap="truncate">
						{runs(row.cells).map((run) => (
							<Text key={run.id} color={run.color}>
								{run.text}
							</Text>
						))}
					</Text>
				))}
		</Box>
	);
}

/** What one plot cell shows: the newest series with a line there, else the threshold, else space. */
function cellAt(
	grids: Array<{series: ChartSeries; rows: string[][]}>,
	thresholdRows: string[][] | undefined,
	x: number,
	y: number,
	plotOffset: number,
	theme: ReturnType<typeof useTheme>,
): Cell {
	const point = x - plotOffset;
	for (const grid of [...grids].reverse()) {
		const char = grid.rows[y]?.[x] ?? ' ';
		// A column whose segment touches a gap is left empty: no data is never drawn as a value.
		const values = grid.series.values;
		const gap = values[point] === null || (point + 1 < values.length && values[point + 1] === null);
		if (char !== ' ' && !gap) return {char, color: grid.series.color};
	}
	const t = thresholdRows?.[y]?.[x];
	if (t && t !== ' ') return {char: theme.ascii ? '-' : '╌', color: tint(theme, 'red')};
	return {char: ' ', color: undefined};
}

/** Adjacent cells of one color as one string, so a chart row is a handful of Text nodes. */
function runs(cells: Cell[]): Array<{id: string; text: string; color: string | undefined}> {
	const out: Array<{id: string; text: string; color: string | undefined}> = [];
	for (const cell of cells) {
		const last = out.at(-1);
		if (last && last.color === cell.color) last.text += cell.char;
		else out.push({id: `run${out.length}`, text: cell.char, color: cell.color});
	}
	return out;
}
