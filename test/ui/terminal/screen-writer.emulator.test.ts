import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {ScreenWriter} from '../../../source/ui/terminal/screen-writer.js';
import {createEmulator, type Emulator, feed, screenText} from './emulator.js';

/** What a correct screen shows for an ASCII frame: cut to the width and to rows - 1. */
function expectedScreen(frame: string, columns: number, rows: number): string[] {
	const lines = frame
		.split('\n')
		.slice(0, rows - 1)
		.map((line) => stripVTControlCharacters(line).slice(0, columns));
	while (lines.length < rows) {
		lines.push('');
	}
	return lines;
}

function wiredWriter(term: Emulator) {
	let pending = '';
	const writer = new ScreenWriter(
		{write: (data: string) => (pending += data)},
		{columns: term.cols, rows: term.rows, maxFps: 0},
	);
	const draw = async (frame: string) => {
		writer.write(frame);
		await feed(term, pending);
		pending = '';
	};
	const resize = async (columns: number, rows: number) => {
		term.resize(columns, rows);
		writer.resize(columns, rows);
		await feed(term, pending);
		pending = '';
	};
	return {draw, resize};
}

const green = (text: string) => `\u001B[32m${text}\u001B[39m`;
const onRed = (text: string) => `\u001B[41m${text}\u001B[49m`;

const frames = [
	[
		'cutover  payments/checkout',
		'',
		`${green('GREEN ● live')}  100%`,
		'BLUE     idle      0%',
	].join('\n'),
	// A line grows past the width, another shrinks, one is coloured on a background.
	['cutover  payments/checkout', `${'x'.repeat(120)}`, `${onRed('BLUE ✖ failing')}`, 'BLUE'].join(
		'\n',
	),
	// Taller than the terminal: rows 24 and beyond must not be drawn.
	Array.from({length: 40}, (_, index) => `row ${index} ${'-'.repeat(index)}`).join('\n'),
	// Much shorter: every other line must be gone.
	['cutover', 'done'].join('\n'),
	['cutover', '', '', 'status: promoted'].join('\n'),
];

describe('ScreenWriter on a terminal emulator', () => {
	it('leaves exactly the last frame on screen, with no stale lines', async () => {
		const term = createEmulator(80, 24);
		const {draw} = wiredWriter(term);
		for (const frame of frames) {
			await draw(frame);
			expect(screenText(term)).toEqual(expectedScreen(frame, 80, 24));
		}
		term.dispose();
	});

	it('never lets a background colour bleed past the end of its text', async () => {
		const term = createEmulator(80, 24);
		const {draw} = wiredWriter(term);
		await draw(`title\n${onRed('a long red line of text')}`);
		await draw('title\nshort');
		// A line that never closes its colour (or is clipped inside it) must not paint the rest.
		await draw('title\nshort\n\u001B[41munclosed\nplain');
		const buffer = term.buffer.active;
		expect(screenText(term).slice(0, 4)).toEqual(['title', 'short', 'unclosed', 'plain']);
		for (const row of [1, 3]) {
			for (let column = 0; column < 80; column++) {
				expect(buffer.getLine(row)?.getCell(column)?.isBgDefault()).toBeTruthy();
			}
		}
		for (let column = 'unclosed'.length; column < 80; column++) {
			expect(buffer.getLine(2)?.getCell(column)?.isBgDefault()).toBeTruthy();
		}
		term.dispose();
	});

	it('keeps wide characters inside the width', async () => {
		const term = createEmulator(10, 5);
		const {draw} = wiredWriter(term);
		await draw('漢字漢字漢字\nnext');
		expect(screenText(term).slice(0, 2)).toEqual(['漢字漢字漢', 'next']);
		await draw('ab漢字漢字漢字\nnext');
		// The fifth wide character would straddle the edge: it is left out, not wrapped.
		expect(screenText(term).slice(0, 2)).toEqual(['ab漢字漢字', 'next']);
		term.dispose();
	});

	it('redraws the whole frame exactly after a resize', async () => {
		const term = createEmulator(80, 24);
		const {draw, resize} = wiredWriter(term);
		const frame = Array.from({length: 30}, (_, index) => `line ${index} ${'='.repeat(70)}`).join(
			'\n',
		);
		await draw(frame);
		await resize(40, 12);
		expect(screenText(term)).toEqual(expectedScreen(frame, 40, 12));
		await resize(100, 30);
		expect(screenText(term)).toEqual(expectedScreen(frame, 100, 30));
		const next = frame.replace('line 3 ', 'LINE 3 ');
		await draw(next);
		expect(screenText(term)).toEqual(expectedScreen(next, 100, 30));
		term.dispose();
	});
});
