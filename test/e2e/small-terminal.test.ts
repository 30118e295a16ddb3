/**
 * No key acts on a screen the engineer cannot see: below 80x24 the console draws only a note,
 * and p then y switches nothing; a dialog open when the window shrinks is cancelled, and says
 * so when the window grows back.
 */
import {describe, expect, it} from 'vitest';
import {
	blueLive,
	type Console,
	expectRestored,
	openConsole,
	startupMs,
	testTimeout,
} from './harness.js';

function resize(console: Console, columns: number, rows: number): void {
	console.child.resize(columns, rows);
	console.term.resize(columns, rows);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the console below its minimum size', {timeout: testTimeout}, () => {
	it('p y at 60x20 switches nothing; a dialog open when it shrinks is cancelled, said when it grows', async (context) => {
		const {cluster, console} = await openConsole(context, {columns: 100, rows: 30});
		await console.waitFor(blueLive, startupMs);
		resize(console, 60, 20);
		await console.waitFor('terminal too small: 60x20');
		console.press('p', 'y', 'r', 'y');
		await pause(1000);
		expect(cluster.selector()).toBe('blue');

		resize(console, 100, 30);
		await console.waitFor(blueLive);
		console.press('p');
		await console.waitFor('y to confirm, any other key cancels');
		resize(console, 100, 20);
		await console.waitFor('terminal too small: 100x20');
		console.press('y');
		await pause(1000);
		expect(cluster.selector()).toBe('blue');
		resize(console, 100, 30);
		const screen = await console.waitFor('the terminal shrank to 100x20 before it was confirmed');
		expect(screen).not.toContain('y to confirm');
		expect(cluster.selector()).toBe('blue');
	});

	it('at 10x5 says it is too small in what fits, and at 100x30 again the list is whole; q restores', async (context) => {
		const {cluster, console} = await openConsole(context, {columns: 100, rows: 30});
		await console.waitFor(blueLive, startupMs);
		resize(console, 10, 5);
		let screen = await console.waitFor((s) => /too small/.test(s.replace(/\n/g, ' ')));
		const rows = screen.split('\n');
		expect(rows).toHaveLength(5);
		// The start of the note is on screen, not scrolled away; the last row stays empty.
		expect(rows[0]).toMatch(/^too small/);
		expect(rows[4]).toBe('');
		expect(screen.replace(/\n/g, ' ')).toMatch(/q quits/);
		console.press('p', 'y');
		await pause(500);
		expect(cluster.selector()).toBe('blue');

		resize(console, 100, 30);
		screen = await console.waitFor(blueLive);
		expect(screen).not.toContain('too small');
		expect(screen.split('\n')[0]).toMatch(/^cutover +cutover-sim → default +● live/);
		console.press('q');
		await expectRestored(console);
	});
});
