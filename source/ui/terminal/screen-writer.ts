import {clipLine} from './clip-line.js';

const BEGIN_SYNC = '\u001B[?2026h';
export const END_SYNC = '\u001B[?2026l';
const RESET_SGR = '\u001B[0m';
const CLEAR_TO_END_OF_LINE = '\u001B[K';
const CLEAR_SCREEN = '\u001B[2J';

/** The part of a writable stream the writer needs; `process.stdout` fits. */
export type ScreenOutput = {
	write(data: string): unknown;
	once?(event: 'drain', listener: () => void): unknown;
};

export type ScreenWriterOptions = {
	columns: number;
	rows: number;
	/** Most writes per second; frames in between are coalesced and the last one wins. */
	maxFps?: number;
};

const moveTo = (row: number) => `\u001B[${row};1H`;

/**
 * Draws whole frames on a full-screen terminal by writing only the lines that changed.
 *
 * Over SSH every byte counts, and Ink 6.8 either rewrites the whole frame or (incremental)
 * leaves stale lines. Absolute cursor moves make each line independent of what the terminal
 * did with the previous one, and synchronized output keeps a half-written frame off screen.
 */
export class ScreenWriter {
	readonly #out: ScreenOutput;
	readonly #intervalMs: number;
	#columns: number;
	#rows: number;
	/** Source lines of the frame on screen, before clipping: a cheap first comparison. */
	#sourceLines: string[] = [];
	/** The lines on screen as written, clipped; a missing row is blank. */
	#screenLines: string[] = [];
	#lastFrame: string | undefined;
	#pending: string | undefined;
	#timer: NodeJS.Timeout | undefined;
	#lastWriteAt = Number.NEGATIVE_INFINITY;
	#blocked = false;
	#closed = false;
	#bytesWritten = 0;

	constructor(out: ScreenOutput, {columns, rows, maxFps = 30}: ScreenWriterOptions) {
		this.#out = out;
		this.#columns = columns;
		this.#rows = rows;
		this.#intervalMs = maxFps > 0 ? 1000 / maxFps : 0;
	}

	get columns(): number {
		return this.#columns;
	}

	get rows(): number {
		return this.#rows;
	}

	/** Bytes handed to the output so far (UTF-8), for measuring what a screen costs. */
	get bytesWritten(): number {
		return this.#bytesWritten;
	}

	/** Queues a whole frame (lines separated by `\n`); it is drawn now or when the interval ends. */
	write(frame: string): void {
		if (this.#closed) {
			return;
		}
		this.#pending = frame;
		this.#schedule();
	}

	/** Draws the queued frame now, ignoring the frame rate. */
	flush(): void {
		this.#cancelTimer();
		const frame = this.#pending;
		this.#pending = undefined;
		if (frame === undefined || this.#closed) {
			return;
		}
		this.#emit(this.#diff(frame));
	}

	/**
	 * Takes a new terminal size and repaints everything once: after a resize the terminal has
	 * reflowed or cut what was there, so no line on screen can be trusted.
	 */
	resize(columns = this.#columns, rows = this.#rows): void {
		this.#columns = columns;
		this.#rows = rows;
		this.#cancelTimer();
		const frame = this.#pending ?? this.#lastFrame ?? '';
		this.#pending = undefined;
		if (this.#closed) {
			return;
		}
		this.#sourceLines = [];
		this.#screenLines = [];
		this.#emit(CLEAR_SCREEN + this.#diff(frame));
	}

	/** Stops all drawing: after the terminal is restored, a late frame would land on the shell. */
	close(): void {
		this.#closed = true;
		this.#pending = undefined;
		this.#cancelTimer();
	}

	#schedule(): void {
		if (this.#timer !== undefined || this.#blocked) {
			return;
		}
		const wait = this.#lastWriteAt + this.#intervalMs - Date.now();
		if (wait <= 0) {
			this.flush();
			return;
		}
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.flush();
		}, wait);
	}

	#cancelTimer(): void {
		if (this.#timer !== undefined) {
			clearTimeout(this.#timer);
			this.#timer = undefined;
		}
	}

	/** Escape sequences that turn the screen into `frame`, and records it as on screen. */
	#diff(frame: string): string {
		this.#lastFrame = frame;
		// A frame as tall as the terminal would scroll it on the last line's newline.
		const maxLines = Math.max(1, this.#rows - 1);
		const lines = frame.split('\n').slice(0, maxLines);
		const rowCount = Math.max(lines.length, this.#screenLines.length);
		const screenLines: string[] = [];
		let body = '';
		for (let index = 0; index < rowCount; index++) {
			const source = lines[index] ?? '';
			const onScreen = this.#screenLines[index] ?? '';
			if (source === (this.#sourceLines[index] ?? '')) {
				screenLines.push(onScreen);
				continue;
			}
			const {text, width} = clipLine(source, this.#columns);
			screenLines.push(text);
			if (text === onScreen) {
				continue;
			}
			body += moveTo(index + 1) + text;
			// Reset before clearing: the erased cells take the current background colour.
			if (text.includes('\u001B')) {
				body += RESET_SGR;
			}
			// A full line leaves the cursor on its last cell, which `ESC[K` would erase.
			if (width < this.#columns) {
				body += CLEAR_TO_END_OF_LINE;
			}
		}
		while (screenLines.length > 0 && screenLines.at(-1) === '') {
			screenLines.pop();
		}
		this.#screenLines = screenLines;
		this.#sourceLines = lines;
		return body;
	}

	#emit(body: string): void {
		if (body === '') {
			return;
		}
		const data = BEGIN_SYNC + body + END_SYNC;
		this.#lastWriteAt = Date.now();
		this.#bytesWritten += Buffer.byteLength(data);
		const accepted = this.#out.write(data);
		// On a slow link, stop producing frames until the kernel buffer drains; the latest
		// frame is kept and drawn then.
		if (accepted === false && this.#out.once !== undefined) {
			this.#blocked = true;
			this.#out.once('drain', () => {
				this.#blocked = false;
				if (this.#pending !== undefined) {
					this.#schedule();
				}
			});
		}
	}
}
