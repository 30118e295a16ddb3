import {EventEmitter} from 'node:events';
import type {ScreenWriter} from './screen-writer.js';

/**
 * The stdout Ink renders into. With `debug: true` Ink writes each render as one whole frame
 * (its `<Static>` output, then the frame, no trailing newline, no cursor or clear sequences),
 * which is what the ScreenWriter diffs. Ink reads `columns` for layout and listens to
 * 'resize'; components read the size from `useStdout().stdout`, which is this stream.
 */
export class InkStream extends EventEmitter {
	readonly isTTY = true;
	columns: number;
	rows: number;
	readonly #writer: ScreenWriter;

	constructor(writer: ScreenWriter) {
		super();
		this.#writer = writer;
		this.columns = writer.columns;
		this.rows = writer.rows;
	}

	write(data: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
		const frame = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
		// In debug mode Ink's stderr path writes its (always empty) last output here: that is
		// not a frame, and drawing it would blank the screen until the next render.
		if (frame !== '') {
			this.#writer.write(frame);
		}
		callback?.();
		return true;
	}

	/** Takes the terminal's new size and makes Ink lay out and render again for it. */
	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}
