import {writeSync} from 'node:fs';
import process from 'node:process';
import {inspect} from 'node:util';
import {END_SYNC} from './screen-writer.js';

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';
const HIDE_CURSOR = '\u001B[?25l';
const SHOW_CURSOR = '\u001B[?25h';
const RESET_SGR = '\u001B[0m';
const HOME_AND_CLEAR = '\u001B[H\u001B[2J';

const RESTORE_SEQUENCE = END_SYNC + RESET_SGR + SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN;

type Output = {write(data: string): unknown; fd?: number};
type RawInput = {isTTY?: boolean; isRaw?: boolean; setRawMode?(mode: boolean): unknown};

export type FullscreenOptions = {
	/** The keyboard stream whose raw mode must be switched off again. */
	stdin?: RawInput;
	/** Runs first on restore, e.g. to stop a writer so no late frame lands on the shell. */
	onRestore?: () => void;
};

type Active = {out: Output; stdin?: RawInput; onRestore?: () => void};

let active: Active | undefined;

/** Switches to the alternate screen with the cursor hidden; `restoreTerminal` undoes it. */
export function enterFullscreen(out: Output, options: FullscreenOptions = {}): void {
	active = {out, ...options};
	out.write(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR + HOME_AND_CLEAR);
}

/**
 * Leaves the alternate screen and shows the cursor, once. Written with `writeSync` because it
 * runs in 'exit' handlers and on signals, where an asynchronous write never reaches the tty.
 */
export function restoreTerminal(): void {
	const current = active;
	if (current === undefined) {
		return;
	}
	active = undefined;
	try {
		current.onRestore?.();
	} catch {
		// Restoring the terminal matters more than whatever the hook wanted.
	}
	if (typeof current.out.fd === 'number') {
		try {
			writeSync(current.out.fd, RESTORE_SEQUENCE);
		} catch {
			// The terminal is gone (SIGHUP); there is nothing left to restore.
		}
	} else {
		current.out.write(RESTORE_SEQUENCE);
	}
	const {stdin} = current;
	if (stdin?.isTTY && stdin.isRaw) {
		try {
			stdin.setRawMode?.(false);
		} catch {
			// Same as above: a closed tty cannot be switched back.
		}
	}
}

const SIGNAL_EXIT_CODES = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129} as const;

/**
 * Restores the terminal on every way out: a normal exit, a signal, an error nobody caught.
 * Returns a function that removes the handlers again.
 */
export function installRestoreHandlers(): () => void {
	const onExit = () => restoreTerminal();
	const onError = (error: unknown) => {
		restoreTerminal();
		const text = error instanceof Error ? (error.stack ?? String(error)) : inspect(error);
		try {
			writeSync(2, `${text}\n`);
		} catch {
			// stderr is gone too; the exit code still tells.
		}
		process.exit(1);
	};
	const signalHandlers = Object.entries(SIGNAL_EXIT_CODES).map(([signal, code]) => {
		const handler = () => {
			restoreTerminal();
			process.exit(code);
		};
		process.on(signal, handler);
		return [signal, handler] as const;
	});
	process.on('exit', onExit);
	process.on('uncaughtException', onError);
	process.on('unhandledRejection', onError);
	return () => {
		process.off('exit', onExit);
		process.off('uncaughtException', onError);
		process.off('unhandledRejection', onError);
		for (const [signal, handler] of signalHandlers) {
			process.off(signal, handler);
		}
	};
}
