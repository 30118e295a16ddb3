import xtermHeadless from '@xterm/headless';

// @xterm/headless ships CommonJS only; its named exports are not visible to ESM.
const {Terminal} = xtermHeadless;
export type Emulator = InstanceType<typeof Terminal>;

export function createEmulator(columns = 80, rows = 24): Emulator {
	return new Terminal({cols: columns, rows, allowProposedApi: true});
}

export function feed(term: Emulator, data: string): Promise<void> {
	return new Promise((resolve) => term.write(data, resolve));
}

/** Every row of the visible screen, trailing blanks trimmed. */
export function screenText(term: Emulator): string[] {
	const buffer = term.buffer.active;
	const lines: string[] = [];
	for (let row = 0; row < term.rows; row++) {
		lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
	}
	return lines;
}
