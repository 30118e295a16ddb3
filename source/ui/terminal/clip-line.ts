import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';

export type ClippedLine = {
	/** The line cut to at most `columns` visible cells, escape sequences kept. */
	text: string;
	/** Visible width of `text` in terminal cells (wide characters count 2). */
	width: number;
};

/**
 * Cuts a line with ANSI SGR sequences to the terminal width by what the user sees, not by
 * string length: escape sequences take no cell and CJK or emoji take two. A line that
 * overflowed would wrap onto the next row and shift every row below it.
 */
export function clipLine(line: string, columns: number): ClippedLine {
	const width = stringWidth(line);
	if (width <= columns) {
		return {text: line, width};
	}
	let end = columns;
	let text = sliceAnsi(line, 0, end);
	let clippedWidth = stringWidth(text);
	// slice-ansi keeps a wide character that straddles the end, one cell too many.
	while (clippedWidth > columns && end > 0) {
		end -= 1;
		text = sliceAnsi(line, 0, end);
		clippedWidth = stringWidth(text);
	}
	return {text, width: clippedWidth};
}
