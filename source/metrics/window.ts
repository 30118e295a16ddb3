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

const emptyReading: Reading = {
	rps: null,
	errorRatio: null,
	p99Seconds: null,
	requests: null,
	errors: null,
};

/**
 * The counts behind a rate and a ratio over the rate interval: Prometheus' increase() is
 * rate() times the range, so they need no query of their own.
 */
export function countsOf(
	rps: number | null,
	errorRatio: number | null,
	intervalSeconds: number,
): Pick<Reading, 'requests' | 'errors'> {
	const requests = rps === null ? null : rps * intervalSeconds;
	return {
		requests,
		errors: requests === null || errorRatio === null ? null : requests * errorRatio,
	};
}

function hasData(point: Reading): boolean {
	return point.rps !== null || point.errorRatio !== null || point.p99Seconds !== null;
}

/** A track's metrics from its points; `noData` says why when no point holds anything. */
export function trackMetrics(key: string, points: Point[], whyEmpty: string): TrackMetrics {
	const last = points.at(-1);
	const now: Reading = last
		? {
				rps: last.rps,
				errorRatio: last.errorRatio,
				p99Seconds: last.p99Seconds,
				requests: last.requests,
				errors: last.errors,
			}
		: emptyReading;
	return points.some(hasData) ? {key, points, now} : {key, points, now, noData: whyEmpty};
}
