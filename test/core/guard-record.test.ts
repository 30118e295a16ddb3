import {describe, expect, it} from 'vitest';
import {actionSpecs} from '../../source/core/actions.js';
import {reviewAction} from '../../source/core/guard.js';
import {evaluate, type GuardRecord} from '../../source/core/guard-record.js';
import type {Point, RolloutMetrics} from '../../source/core/metrics.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Rollout} from '../../source/core/types.js';
import {shopSnapshot} from '../fixtures/nginx-canary.js';

const shop = (): Rollout => registry.detect(shopSnapshot()).find((r) => r.name === 'shop-canary')!;

/** One refresh's numbers for the canary: requests in the rate interval, error ratio, p99 s. */
function reading(
	rollout: Rollout,
	t: number,
	canary: {requests: number; errorRatio: number; p99: number} | null,
): RolloutMetrics {
	const point: Point = canary
		? {
				t,
				rps: canary.requests / 60,
				errorRatio: canary.errorRatio,
				p99Seconds: canary.p99,
				requests: canary.requests,
				errors: canary.requests * canary.errorRatio,
			}
		: {t, rps: null, errorRatio: null, p99Seconds: null, requests: null, errors: null};
	return {
		rolloutId: rollout.id,
		windowMinutes: 10,
		rateWindow: '10s',
		tracks: [{key: 'canary', points: [point], now: point}],
	};
}

const bad = {requests: 600, errorRatio: 0.025, p99: 0.84};
const good = {requests: 600, errorRatio: 0.001, p99: 0.12};

/** Feeds readings one refresh apart; returns every record. */
function run(rollout: Rollout, readings: Array<Parameters<typeof reading>[2]>): GuardRecord[] {
	const records: GuardRecord[] = [];
	let record: GuardRecord | undefined;
	for (const [i, r] of readings.entries()) {
		record = evaluate(record, rollout, reading(rollout, 10_000 * (i + 1), r), 10_000 * (i + 1));
		records.push(record);
	}
	return records;
}

describe('the guard counts breaches as Flagger counts failed checks', () => {
	it('five breaches in a row fail the canary; each before says how many', () => {
		const records = run(shop(), [bad, bad, bad, bad, bad]);
		expect(records.map((r) => r.verdict.status)).toEqual([
			'breached',
			'breached',
			'breached',
			'breached',
			'failing',
		]);
		expect(records[1]!.verdict.reasons).toContain('breach 2/5');
		expect(records[4]!.verdict.reasons).toEqual([
			'error ratio 2.5 % > 1.0 %',
			'p99 840 ms > 500 ms',
			'5 breaches in a row (threshold 5)',
		]);
	});

	it('a healthy refresh clears the count; no data and too few requests hold it, judging nothing', () => {
		const records = run(shop(), [
			bad,
			bad,
			good,
			bad,
			null,
			{requests: 12, errorRatio: 0.083, p99: 0.9},
			bad,
		]);
		expect(records.map((r) => [r.verdict.status, r.breaches])).toEqual([
			['breached', 1],
			['breached', 2],
			['healthy', 0],
			['breached', 1],
			['no-data', 1],
			['too-few', 1],
			['breached', 2],
		]);
		expect(records[5]!.verdict.reasons).toEqual(['too few requests (12 of 50 needed)']);
	});

	it('the same reading twice is counted once; a new candidate starts a new count', () => {
		const rollout = shop();
		const once = evaluate(undefined, rollout, reading(rollout, 1000, bad), 1000);
		const again = evaluate(once, rollout, reading(rollout, 1000, bad), 2000);
		expect(again.breaches).toBe(1);
		const next = structuredClone(rollout);
		next.tracks.find((t) => t.key === 'canary')!.images = ['shop:2.5.0'];
		const fresh = evaluate(again, next, reading(next, 3000, bad), 3000);
		expect(fresh.breaches).toBe(1);
	});

	it('counts one rate window once: refreshes faster than the window see the same requests again', () => {
		const rollout = shop();
		// 2-second refreshes of a 30-second window, as the demo's.
		const at = (seconds: number, r: typeof bad) => {
			const m = reading(rollout, seconds * 1000, r);
			return {...m, rateWindow: '30s'};
		};
		let record: GuardRecord | undefined;
		const statuses: string[] = [];
		// One bad half-minute (a single error at low traffic looks like this), then good again.
		for (let t = 0; t <= 60; t += 2) {
			record = evaluate(record, rollout, at(t, t < 30 ? bad : good), t * 1000);
			statuses.push(record.verdict.status);
		}
		expect(statuses.slice(0, 15)).toEqual(Array(15).fill('breached'));
		expect(statuses).not.toContain('failing');
		expect(record!.breaches).toBe(0);
		// Bad throughout: failing at the fifth window (120 s), not at the fifth refresh (8 s).
		record = undefined;
		let failedAt: number | undefined;
		for (let t = 0; t <= 150 && failedAt === undefined; t += 2) {
			record = evaluate(record, rollout, at(t, bad), t * 1000);
			if (record.verdict.status === 'failing') failedAt = t;
		}
		expect(failedAt).toBe(120);
		expect(record!.verdict.reasons).toContain('5 breaches in a row (threshold 5)');
	});

	it('the minimum and the threshold are the rollout’s own', () => {
		const rollout = shop();
		rollout.thresholds = {...rollout.thresholds, minRequests: 1000, failureThreshold: 2};
		expect(run(rollout, [bad]).at(-1)!.verdict.status).toBe('too-few');
		rollout.thresholds.minRequests = 0;
		expect(run(rollout, [bad, bad]).map((r) => r.verdict.status)).toEqual(['breached', 'failing']);
	});

	it('a step toward a canary with too few requests is not confirmed by y alone', () => {
		const rollout = shop();
		const review = reviewAction(
			rollout,
			actionSpecs.step,
			reading(rollout, 1000, {requests: 12, errorRatio: 0, p99: 0.1}),
			true,
			1000,
		);
		expect(review.blockers).toEqual([
			'CANARY cannot be judged: too few requests (12 of 50 needed)',
		]);
	});
});
