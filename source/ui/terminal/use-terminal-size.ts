import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

/**
 * The terminal's size, re-read on every resize. Under renderFullscreen `useStdout()` is the
 * InkStream, which always emits 'resize' (Ink itself stops listening when CI is set), so
 * screens size themselves from this rather than from `process.stdout`.
 */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => readSize(stdout));
	useEffect(() => {
		const onResize = () =>
			setSize((previous) => {
				const next = readSize(stdout);
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		stdout.on('resize', onResize);
		// The size may have changed between the first render and this effect.
		onResize();
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

function readSize(stdout: {columns?: number; rows?: number}): TerminalSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}
