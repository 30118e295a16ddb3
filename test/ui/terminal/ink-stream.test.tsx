import {Box, render, Text, useStdout} from 'ink';
import {describe, expect, it} from 'vitest';
import {InkStream} from '../../../source/ui/terminal/ink-stream.js';
import {ScreenWriter} from '../../../source/ui/terminal/screen-writer.js';

function Status({p99}: {p99: number}) {
	const {stdout} = useStdout();
	return (
		<Box flexDirection="column">
			<Text>cutover payments/checkout</Text>
			<Text>p99 {p99} ms</Text>
			<Text>{`width ${stdout.columns}`}</Text>
		</Box>
	);
}

function mount() {
	const frames: string[] = [];
	const writes: string[] = [];
	const writer = new ScreenWriter(
		{write: (data: string) => writes.push(data)},
		{columns: 80, rows: 24, maxFps: 0},
	);
	const stream = new InkStream(writer);
	const original = writer.write.bind(writer);
	writer.write = (frame: string) => {
		frames.push(frame);
		original(frame);
	};
	const instance = render(<Status p99={212} />, {
		stdout: stream as unknown as NodeJS.WriteStream,
		debug: true,
		patchConsole: false,
		exitOnCtrlC: false,
	});
	return {frames, writes, stream, instance};
}

describe('InkStream', () => {
	it('receives each Ink render as one whole frame with no cursor or clear sequences', () => {
		const {frames, instance} = mount();
		expect(frames).toEqual(['cutover payments/checkout\np99 212 ms\nwidth 80']);
		instance.rerender(<Status p99={215} />);
		expect(frames.at(-1)).toBe('cutover payments/checkout\np99 215 ms\nwidth 80');
		instance.unmount();
	});

	it('turns a one-line change in the app into a one-line write', () => {
		const {writes, instance} = mount();
		writes.length = 0;
		instance.rerender(<Status p99={215} />);
		expect(writes).toEqual(['\u001B[?2026h\u001B[2;1Hp99 215 ms\u001B[K\u001B[?2026l']);
		instance.unmount();
	});

	it('lets Ink lay out again for a new size', () => {
		const {frames, stream, instance} = mount();
		stream.resize(20, 24);
		// What renderFullscreen does on resize: Ink skips its own 'resize' listener under CI.
		instance.rerender(<Status p99={212} />);
		expect(frames.at(-1)?.split('\n')).toEqual([
			'cutover',
			'payments/checkout',
			'p99 212 ms',
			'width 20',
		]);
		instance.unmount();
	});
});
