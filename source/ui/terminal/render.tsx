import process from 'node:process';
import {render} from 'ink';
import type {ReactNode} from 'react';
import {enterFullscreen, installRestoreHandlers, restoreTerminal} from './fullscreen.js';
import {InkStream} from './ink-stream.js';
import {ScreenWriter} from './screen-writer.js';

export type RenderFullscreenOptions = {
	/** Keyboard input; must be a tty for Ink's `useInput` (raw mode). */
	stdin?: NodeJS.ReadStream;
	/** The real terminal. */
	stdout?: NodeJS.WriteStream;
	/** Most screen writes per second; a slow SSH link prefers fewer. */
	maxFps?: number;
};

export type FullscreenApp = {
	/** Unmounts the app and restores the terminal. */
	unmount(): void;
	/** Settles when the app exits (`useApp().exit()` or `unmount()`), after the terminal is restored. */
	waitUntilExit(): Promise<unknown>;
	writer: ScreenWriter;
};

const DEFAULT_MAX_FPS = 15;

/**
 * Renders an Ink element full screen: alternate screen, hidden cursor, only changed lines
 * written, and the terminal restored on every way out.
 */
export function renderFullscreen(
	element: ReactNode,
	{
		stdin = process.stdin,
		stdout = process.stdout,
		maxFps = DEFAULT_MAX_FPS,
	}: RenderFullscreenOptions = {},
): FullscreenApp {
	const uninstallHandlers = installRestoreHandlers();
	const writer = new ScreenWriter(stdout, {
		columns: stdout.columns || 80,
		rows: stdout.rows || 24,
		maxFps,
	});
	enterFullscreen(stdout, {stdin, onRestore: () => writer.close()});
	const inkStream = new InkStream(writer);

	const onResize = () => {
		const columns = stdout.columns || writer.columns;
		const rows = stdout.rows || writer.rows;
		inkStream.resize(columns, rows);
		// Ink ignores 'resize' when a CI variable is set; rendering the same element again
		// lays it out for the new width either way (and costs no bytes if Ink already did).
		instance.rerender(element);
		// The new frame is now pending in the writer, so this one full repaint draws it.
		writer.resize(columns, rows);
	};
	stdout.on('resize', onResize);

	let cleanedUp = false;
	const cleanUp = () => {
		if (cleanedUp) {
			return;
		}
		cleanedUp = true;
		stdout.off('resize', onResize);
		restoreTerminal();
		uninstallHandlers();
	};

	const instance = render(element, {
		stdout: inkStream as unknown as NodeJS.WriteStream,
		stdin,
		// Debug mode hands over every render as one whole frame and writes nothing else.
		debug: true,
		patchConsole: false,
		// Ctrl-C is a key binding of the app, not a hard exit that skips its cleanup.
		exitOnCtrlC: false,
	});

	const exited = instance.waitUntilExit().then(
		(result) => {
			cleanUp();
			return result;
		},
		(error: unknown) => {
			cleanUp();
			throw error;
		},
	);
	// Callers that never wait must not turn an exit with an error into an unhandled rejection.
	exited.catch(() => {});

	return {
		unmount() {
			instance.unmount();
			cleanUp();
		},
		waitUntilExit: () => exited,
		writer,
	};
}
