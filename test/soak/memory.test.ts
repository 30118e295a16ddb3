import {describe, expect, it} from 'vitest';
import {flat, type MemorySample} from './memory.js';

const MB = 1048576;
const run = (rss: (s: number) => number): MemorySample[] =>
	Array.from({length: 60}, (_, s) => ({s, rss: rss(s) * MB}));

describe("the soak's memory verdict", () => {
	it('a warm-up then a garbage collector sawtooth is flat', () => {
		const verdict = flat(run((s) => (s < 15 ? 100 + s * 5 : 150 + (s % 5) * 4)));
		expect(verdict.flat).toBe(true);
		expect(verdict.peak).toBe(170);
	});

	it('memory that keeps climbing after warm-up is not', () => {
		const verdict = flat(run((s) => 100 + s));
		expect(verdict.flat).toBe(false);
		expect(verdict.late).toBeGreaterThan(verdict.early);
	});

	it('the series is at most 20 samples, in MB', () => {
		expect(flat(run(() => 120)).series).toEqual(Array(20).fill(120));
	});
});
