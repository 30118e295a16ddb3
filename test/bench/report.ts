/** Percentiles and the table `npm run bench` prints. */

/** The nearest-rank percentile (p in 0..100) of the samples. */
export function percentile(samples: number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1]!;
}

export type Row = {
	figure: string;
	/** Shown as measured; compared with the budget when there is one. */
	measured: number;
	unit: 'ms' | 'KB' | 'MB' | 'queries';
	/** An upper bound (measured must stay below it); undefined for a row given for scale. */
	budget?: number;
	/** Overrides how the budget reads (e.g. "= 3 (1 rollout)"). */
	budgetText?: string;
	/** Budgets of the form "at most", not "below" (queries: equal is the pass). */
	inclusive?: boolean;
	note?: string;
};

function shown(value: number, unit: Row['unit']): string {
	if (!Number.isFinite(value)) return 'n/a';
	if (unit === 'queries') return `${value}`;
	const digits = value >= 100 ? 0 : 1;
	return `${value.toFixed(digits)} ${unit}`;
}

export function passes(row: Row): boolean | undefined {
	if (row.budget === undefined) return undefined;
	if (!Number.isFinite(row.measured)) return false;
	return row.inclusive ? row.measured <= row.budget : row.measured < row.budget;
}

export function table(rows: Row[]): string {
	const cells = rows.map((row) => {
		const pass = passes(row);
		return [
			row.figure,
			shown(row.measured, row.unit),
			row.budgetText ?? (row.budget === undefined ? '-' : `< ${shown(row.budget, row.unit)}`),
			row.budget === undefined ? '-' : (row.measured / row.budget).toFixed(2),
			pass === undefined ? 'info' : pass ? 'PASS' : 'MISS',
			row.note ?? '',
		];
	});
	const header = ['figure', 'measured', 'budget', 'ratio', 'result', 'note'];
	const widths = header.map((title, i) =>
		Math.max(title.length, ...cells.map((c) => c[i]!.length)),
	);
	const line = (c: string[]) =>
		c
			.map((cell, i) => cell.padEnd(widths[i]!))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
