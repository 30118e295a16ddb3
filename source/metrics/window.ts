import type {Point, Reading, TrackMetrics} from '../core/metrics.js';
import type {MetricsWindow} from './source.js';

/** The times (ms) a window is sampled at, oldest first: end - minutes, then every step up to end. */
export function gridOf(window: MetricsWindow): number[] {
	const stepMs = window.stepSeconds * 1000;
	const startMs = window.endMs - window.minutes * 60_000;
	const count = Math.floor((window.endMs - startMs) / stepMs) + 1;
	return Array.from({length: count}, (_, i) => startMs + i * stepMs);
}

/** NaN and ±Inf are "no data", never a number to draw. */
export function finite(value: number | undefined): number | null {
	return value !== undefined && Number.isFinite(value) ? value : null;
}

export const emptyReading: Reading = {rps: null, errorRatio: null, p99Seconds: null};

function hasData(point: Reading): boolean {
	return point.rps !== null || point.errorRatio !== null || point.p99Seconds !== null;
}

/** A track's metrics from its points; `noData` says why when no point holds anything. */
export function trackMetrics(
	role: TrackMetrics['role'],
	points: Point[],
	whyEmpty: string,
): TrackMetrics {
	const last = points.at(-1);
	const now: Reading = last
		? {rps: last.rps, errorRatio: last.errorRatio, p99Seconds: last.p99Seconds}
		: emptyReading;
	return points.some(hasData) ? {role, points, now} : {role, points, now, noData: whyEmpty};
}
