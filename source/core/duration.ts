/** A Prometheus or Flagger duration (`1m`, `1h30m`, `500ms`) in seconds; 0 when it does not parse. */
export function durationSeconds(duration: string): number {
	const unit: Record<string, number> = {
		ms: 0.001,
		s: 1,
		m: 60,
		h: 3600,
		d: 86_400,
		w: 604_800,
		y: 31_536_000,
	};
	let seconds = 0;
	for (const [, amount, name] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g))
		seconds += Number(amount) * (unit[name!] ?? 0);
	return seconds;
}
