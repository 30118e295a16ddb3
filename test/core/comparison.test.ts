import {describe, expect, it} from 'vitest';
import {compare} from '../../source/core/comparison.js';
import {decide} from '../../source/core/guard-decision.js';
import {evaluate} from '../../source/core/guard-record.js';
import type {Point, RolloutMetrics} from '../../source/core/metrics.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Rollout} from '../../source/core/types.js';
import {shopSnapshot} from '../fixtures/nginx-canary.js';

const shop = (weight = '10'): Rollout =>
	registry
		.detect(shopSnapshot({canary: {'nginx.ingress.kubernetes.io/canary-weight': weight}}))
		.find((r) => r.name === 'shop-canary')!;

/** `n` intervals around the given numbers, with a deterministic wobble of +-10 %. */
function points(n: number, errorRatio: number, p99Seconds: number, phase = 0): Point[] {
	return Array.from({length: n}, (_, i) => {
		const wobble = 1 + 0.1 * Math.sin(i * 1.7 + phase);
		return {
			t: 1_000_000 + i * 10_000,
			rps: 100,
			errorRatio: errorRatio * wobble,
			p99Seconds: p99Seconds * (2 - wobble),
			requests: 1000,
			errors: 1000 * errorRatio * wobble,
		};
	});
}

function metrics(rollout: Rollout, canary: Point[], stable: Point[]): RolloutMetrics {
	const track = (key: string, pts: Point[]) => ({key, points: pts, now: pts.at(-1)!});
	return {
		rolloutId: rollout.id,
		windowMinutes: 10,
		rateWindow: '10s',
		tracks: [track('stable', stable), track('canary', canary)],
	};
}

describe('the comparative verdict: the canary against stable over the window', () => {
	it('sees a canary 2.5 times slower though under the 500 ms threshold: p99 High, Marginal', () => {
		const rollout = shop();
		const result = compare(
			rollout,
			metrics(rollout, points(20, 0.002, 0.3, 1), points(20, 0.002, 0.12)),
		);
		expect(result.verdict).toBe('Marginal');
		expect(result.score).toBe(50);
		expect(result.reason).toMatch(
			/^score 50: p99 High: canary 2\.\d+x baseline \(98 % confidence\)$/,
		);
		expect(result.metrics.map((m) => [m.metric, m.class])).toEqual([
			['error ratio', 'Pass'],
			['p99', 'High'],
		]);
		expect(result.samples).toEqual({candidate: 20, baseline: 20});
	});

	it('fails a canary worse on both (score 0) and passes one like stable (100)', () => {
		const rollout = shop();
		const worse = compare(
			rollout,
			metrics(rollout, points(20, 0.008, 0.3, 1), points(20, 0.002, 0.12)),
		);
		expect(worse).toMatchObject({verdict: 'Fail', score: 0});
		const same = compare(
			rollout,
			metrics(rollout, points(20, 0.002, 0.12, 1), points(20, 0.002, 0.12)),
		);
		expect(same).toMatchObject({verdict: 'Pass', score: 100, reason: 'score 100'});
	});

	it('holds no rollout for a difference under the 20 % floor, however sure the test is', () => {
		const rollout = shop();
		const result = compare(
			rollout,
			metrics(rollout, points(60, 0.002, 0.13, 1), points(60, 0.002, 0.12)),
		);
		expect(result.metrics.find((m) => m.metric === 'p99')!.test!.pValue).toBeLessThan(0.02);
		expect(result).toMatchObject({verdict: 'Pass', score: 100});
	});

	it('a canary faster than stable is not a failure (direction: increase)', () => {
		const rollout = shop();
		const result = compare(
			rollout,
			metrics(rollout, points(20, 0.002, 0.05, 1), points(20, 0.002, 0.12)),
		);
		expect(result).toMatchObject({verdict: 'Pass', score: 100});
	});

	it('compares nothing while one side takes no traffic, or with too few intervals', () => {
		const idle = shop('0');
		expect(compare(idle, metrics(idle, [], points(20, 0.002, 0.12)))).toMatchObject({
			verdict: 'Nodata',
			reason: 'compares only while both take traffic (CANARY takes none)',
		});
		const rollout = shop();
		expect(
			compare(rollout, metrics(rollout, points(3, 0.002, 0.3), points(20, 0.002, 0.12))),
		).toMatchObject({
			verdict: 'Nodata',
			reason: 'too few intervals to compare (3 of 5)',
			samples: {candidate: 3, baseline: 20},
		});
		expect(compare(rollout, undefined)).toMatchObject({verdict: 'Nodata', reason: 'no metrics'});
	});

	it('autopilot holds a canary the comparison marks down, though every threshold passes', () => {
		const rollout = shop();
		let record: ReturnType<typeof evaluate> | undefined;
		const base = points(20, 0.002, 0.12);
		const slow = points(20, 0.002, 0.3, 1);
		for (let i = 0; i < 3; i++) {
			const shifted = (p: Point[]) => p.map((x) => ({...x, t: x.t + i * 10_000}));
			record = evaluate(record, rollout, metrics(rollout, shifted(slow), shifted(base)), i);
		}
		expect(record!.verdict.status).toBe('healthy');
		expect(record!.healthy).toBe(3);
		expect(decide(rollout, record, {autoRollback: false, autopilot: true})).toEqual({
			kind: 'wait',
			why: expect.stringMatching(
				/^holds: compared with STABLE, score 50: p99 High: canary 2\.\d+x baseline/,
			),
		});
	});
});
