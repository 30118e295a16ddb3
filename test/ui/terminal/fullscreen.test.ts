import {describe, expect, it} from 'vitest';
import {enterFullscreen, restoreTerminal} from '../../../source/ui/terminal/fullscreen.js';

describe('enterFullscreen / restoreTerminal', () => {
	it('enters the alternate screen with a hidden cursor and restores it exactly once', () => {
		const writes: string[] = [];
		const stdin = {
			isTTY: true,
			isRaw: true,
			setRawMode(mode: boolean) {
				this.isRaw = mode;
			},
		};
		const calls: string[] = [];
		enterFullscreen(
			{write: (data: string) => writes.push(data)},
			{stdin, onRestore: () => calls.push('hook')},
		);
		expect(writes).toEqual(['\u001B[?1049h\u001B[?25l\u001B[H\u001B[2J']);

		restoreTerminal();
		restoreTerminal();
		expect(writes.slice(1)).toEqual(['\u001B[?2026l\u001B[0m\u001B[?25h\u001B[?1049l']);
		expect(calls).toEqual(['hook']);
		expect(stdin.isRaw).toBe(false);
	});

	it('does nothing when the terminal was never taken over', () => {
		expect(() => restoreTerminal()).not.toThrow();
	});
});
