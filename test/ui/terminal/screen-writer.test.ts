import {afterEach, describe, expect, it, vi} from 'vitest';
import {ScreenWriter} from '../../../source/ui/terminal/screen-writer.js';

const BEGIN = '\u001B[?2026h';
const END = '\u001B[?2026l';

function recorder() {
	const writes: string[] = [];
	return {writes, write: (data: string) => writes.push(data)};
}

function unthrottled(columns = 80, rows = 24) {
	const out = recorder();
	return {out, writer: new ScreenWriter(out, {columns, rows, maxFps: 0})};
}

describe('ScreenWriter', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('draws the first frame with absolute moves inside synchronized output', () => {
		const {out, writer} = unthrottled();
		writer.write('alpha\nbravo');
		expect(out.writes).toEqual([`${BEGIN}\u001B[1;1Halpha\u001B[K\u001B[2;1Hbravo\u001B[K${END}`]);
	});

	it('writes nothing at all when the frame did not change', () => {
		const {out, writer} = unthrottled();
		writer.write('alpha\nbravo\ncharlie');
		out.writes.length = 0;
		writer.write('alpha\nbravo\ncharlie');
		expect(out.writes).toEqual([]);
		expect(writer.bytesWritten).toBeGreaterThan(0);
	});

	it('writes only the line that changed', () => {
		const {out, writer} = unthrottled();
		writer.write('alpha\nbravo\ncharlie');
		out.writes.length = 0;
		writer.write('alpha\nBRAVO!\ncharlie');
		expect(out.writes).toEqual([`${BEGIN}\u001B[2;1HBRAVO!\u001B[K${END}`]);
		expect(out.writes.join('')).not.toContain('alpha');
		expect(out.writes.join('')).not.toContain('charlie');
	});

	it('resets colours at the end of a coloured line, before clearing the rest of it', () => {
		const {out, writer} = unthrottled();
		writer.write('title\nold');
		out.writes.length = 0;
		writer.write('title\n\u001B[42mlive\u001B[49m');
		expect(out.writes).toEqual([
			`${BEGIN}\u001B[2;1H\u001B[42mlive\u001B[49m\u001B[0m\u001B[K${END}`,
		]);
	});

	it('clears the lines that vanished when the frame shrinks', () => {
		const {out, writer} = unthrottled();
		writer.write('one\ntwo\nthree');
		out.writes.length = 0;
		writer.write('one');
		expect(out.writes).toEqual([`${BEGIN}\u001B[2;1H\u001B[K\u001B[3;1H\u001B[K${END}`]);
		out.writes.length = 0;
		writer.write('one\n\nthree');
		expect(out.writes).toEqual([`${BEGIN}\u001B[3;1Hthree\u001B[K${END}`]);
	});

	it('clips coloured lines to the width by what is visible', () => {
		const {out, writer} = unthrottled(10, 24);
		writer.write('\u001B[31mabcdefghijklmnop\u001B[39m');
		const [data] = out.writes;
		expect(data).toContain('\u001B[1;1H\u001B[31mabcdefghij');
		expect(data).not.toContain('k');
		// The line fills the row: `ESC[K` would erase its last cell.
		expect(data).not.toContain('\u001B[K');
		expect(data).toContain('\u001B[0m');
	});

	it('counts wide characters as two cells when clipping', () => {
		const {out, writer} = unthrottled(5, 24);
		writer.write('漢字漢字');
		expect(out.writes).toEqual([`${BEGIN}\u001B[1;1H漢字\u001B[K${END}`]);
	});

	it('never writes more lines than rows - 1', () => {
		const {out, writer} = unthrottled(80, 4);
		writer.write('1\n2\n3\n4\n5\n6');
		const [data] = out.writes;
		expect(data).toContain('\u001B[3;1H3');
		expect(data).not.toContain('\u001B[4;1H');
		expect(data).not.toContain('4');
	});

	it('coalesces frames to maxFps and never loses the last one', () => {
		vi.useFakeTimers();
		const out = recorder();
		const writer = new ScreenWriter(out, {columns: 80, rows: 24, maxFps: 5});
		for (let index = 0; index < 10; index++) {
			writer.write(`title\nframe ${index}`);
			vi.advanceTimersByTime(10);
		}
		// The first frame goes out at once; the other nine wait for the 200 ms interval.
		expect(out.writes).toHaveLength(1);
		expect(out.writes[0]).toContain('frame 0');
		vi.advanceTimersByTime(200);
		expect(out.writes).toHaveLength(2);
		expect(out.writes[1]).toBe(`${BEGIN}\u001B[2;1Hframe 9\u001B[K${END}`);
		vi.advanceTimersByTime(1000);
		expect(out.writes).toHaveLength(2);
	});

	it('clears the screen and redraws every line once on resize', () => {
		const {out, writer} = unthrottled(80, 24);
		writer.write('alpha\nbravo');
		out.writes.length = 0;
		writer.resize(3, 24);
		expect(out.writes).toEqual([`${BEGIN}\u001B[2J\u001B[1;1Halp\u001B[2;1Hbra${END}`]);
		out.writes.length = 0;
		writer.write('alpha\nbravo');
		expect(out.writes).toEqual([]);
	});

	it('writes nothing after close', () => {
		vi.useFakeTimers();
		const out = recorder();
		const writer = new ScreenWriter(out, {columns: 80, rows: 24, maxFps: 5});
		writer.write('a');
		writer.write('b');
		writer.close();
		writer.write('c');
		vi.advanceTimersByTime(1000);
		expect(out.writes).toHaveLength(1);
	});
});
