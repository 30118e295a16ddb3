/**
 * Whether a process's resident memory is flat after warm-up: the first 30 % of the run is
 * warm-up (caches fill, the JIT settles); of the rest, the median of its last third may exceed
 * the median of its first third by 15 % plus 8 MB at most (a garbage collector's sawtooth is
 * not a leak; a leak keeps climbing).
 */
export type MemorySample = {s: number; rss: number};

const mb = (bytes: number) => Math.round(bytes / 1048576);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function flat(samples: MemorySample[]): {
	series: number[];
	early: number;
	late: number;
	peak: number;
	flat: boolean;
} {
	const end = samples.at(-1)?.s ?? 0;
	const settled = samples.filter((x) => x.s >= end * 0.3).map((x) => x.rss);
	const third = Math.max(1, Math.floor(settled.length / 3));
	const early = median(settled.slice(0, third));
	const late = median(settled.slice(-third));
	const every = Math.max(1, Math.ceil(samples.length / 20));
	return {
		series: samples.filter((_, i) => i % every === 0).map((x) => mb(x.rss)),
		early: mb(early),
		late: mb(late),
		peak: mb(Math.max(0, ...samples.map((x) => x.rss))),
		flat: settled.length > 0 && late <= early * 1.15 + 8 * 1048576,
	};
}
