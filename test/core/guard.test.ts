import {describe, expect, it} from 'vitest';
import {actionSpecs} from '../../source/core/actions.js';
import {forced, reviewAction} from '../../source/core/guard.js';
import {withRepository} from '../../source/core/images.js';
import type {Point, RolloutMetrics} from '../../source/core/metrics.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Rollout} from '../../source/core/types.js';
import {seedSnapshot} from '../fixtures/blue-green.js';
import {shopSnapshot} from '../fixtures/nginx-canary.js';

const now = Date.parse('2026-12-02T21:50:00Z');

/** A track's points over 10 minutes, one a minute, from `reading(minute)` (null: no traffic). */
function track(key: string, reading: (minute: number) => [number, number] | null) {
	const points: Point[] = Array.from({length: 11}, (_, i) => {
		const t = now - (10 - i) * 60_000;
		const r = reading(i);
		return r
			? {t, rps: 10, errorRatio: r[0], p99Seconds: r[1], requests: 600, errors: 600 * r[0]}
			: {t, rps: null, errorRatio: null, p99Seconds: null, requests: null, errors: null};
	});
	return {key, points, now: points.at(-1)!};
}

function metrics(rollout: Rollout, tracks: ReturnType<typeof track>[]): RolloutMetrics {
	return {rolloutId: rollout.id, windowMinutes: 10, rateWindow: '1m', tracks};
}

const shop = () => registry.detect(shopSnapshot()).find((r) => r.name === 'shop-canary')!;
const myapp = () => registry.detect(seedSnapshot())[0]!;

describe('the guard reviews an action before it is confirmed', () => {
	it('a step toward a failing canary is blocked with the numbers; the dialog names both sides', () => {
		const rollout = shop();
		const review = reviewAction(
			rollout,
			actionSpecs.step,
			metrics(rollout, [
				track('stable', () => [0.002, 0.12]),
				track('canary', () => [0.025, 0.84]),
			]),
			true,
			now,
		);
		expect(review.sides).toBe('STABLE shop:2.3.0 -> CANARY shop:2.4.0');
		expect(review.blockers).toEqual([
			'CANARY is failing: error ratio 2.5 % > 1.0 %, p99 840 ms > 500 ms',
		]);
		expect(review.known).toEqual([
			'CANARY (shop:2.4.0) is over its thresholds now: error ratio 2.5 % > 1.0 %, p99 840 ms > 500 ms',
		]);
	});

	it('a canary that takes traffic but has no numbers is blocked too; a healthy one is not', () => {
		const rollout = shop();
		const unmeasured = reviewAction(
			rollout,
			actionSpecs.promote,
			metrics(rollout, [track('canary', () => null)]),
			true,
			now,
		);
		expect(unmeasured.blockers).toEqual(['CANARY takes traffic but has no numbers: no data']);
		const healthy = reviewAction(
			rollout,
			actionSpecs.promote,
			metrics(rollout, [track('canary', () => [0.001, 0.1])]),
			true,
			now,
		);
		expect(healthy.blockers).toEqual([]);
		expect(healthy.known).toEqual([
			'CANARY (shop:2.4.0) is within its thresholds now: 0.1 % errors, p99 100 ms',
		]);
	});

	it('a blue/green switch to a standby without traffic is not blocked: it says nothing is known yet', () => {
		const rollout = myapp();
		const review = reviewAction(
			rollout,
			actionSpecs.switch,
			metrics(rollout, [track('green', () => null)]),
			true,
			now,
		);
		expect(review.sides).toBe('BLUE myapp:1.0.0 -> GREEN myapp:1.1.0');
		expect(review.blockers).toEqual([]);
		expect(review.known).toEqual(['GREEN (myapp:1.1.0): no traffic measured in the last 10 min']);
	});

	it('a rollback is never blocked, and says when the version it returns to was left, and how it was', () => {
		const rollout = myapp();
		// Green is live; blue was left 4 minutes ago at 2.5 % errors, and last healthy 8 minutes ago.
		const switched = {
			...rollout,
			tracks: rollout.tracks.map(
				(t) =>
					({
						...t,
						side: t.key === 'green' ? 'baseline' : 'candidate',
						serving: t.key === 'green',
					}) as const,
			),
		};
		const blue = track('blue', (m) => (m <= 2 ? [0.002, 0.12] : m <= 6 ? [0.025, 0.3] : null));
		const review = reviewAction(
			switched,
			actionSpecs.rollback,
			metrics(switched, [blue]),
			true,
			now,
		);
		expect(review.sides).toBe('GREEN myapp:1.1.0 -> BLUE myapp:1.0.0');
		expect(review.blockers).toEqual([]);
		expect(review.known).toEqual([
			'BLUE (myapp:1.0.0) was left at 21:46 with 2.5 % errors, p99 300 ms',
			'BLUE was last healthy 8 min ago',
		]);
	});

	it('without a metrics source it blocks nothing and says it judged nothing', () => {
		const review = reviewAction(shop(), actionSpecs.step, undefined, false, now);
		expect(review).toEqual({
			sides: 'STABLE shop:2.3.0 -> CANARY shop:2.4.0',
			known: ['no metrics source: the guard judged nothing (--prometheus URL)'],
			blockers: [],
		});
	});

	it('a plan forced past the guard says so in its Event', () => {
		const plan = {audit: {message: 'canary weight 10 -> 25 on shop/shop-canary'}};
		expect(
			forced(plan, {known: [], blockers: ['CANARY is failing: error ratio 2.5 % > 1.0 %']}).audit
				.message,
		).toBe(
			'canary weight 10 -> 25 on shop/shop-canary (forced past the guard: CANARY is failing: error ratio 2.5 % > 1.0 %)',
		);
	});
});

describe('deploy of a bare tag', () => {
	it.for([
		['1.2.0', 'myapp:1.1.0', 'myapp:1.2.0'],
		[
			'1.2.0',
			'registry.example.com:5000/team/myapp:1.1.0',
			'registry.example.com:5000/team/myapp:1.2.0',
		],
		['1.2.0', 'myapp@sha256:abc', 'myapp:1.2.0'],
		['other:2.0', 'myapp:1.1.0', 'other:2.0'],
	])('%s on %s is %s', ([given, current, expected]) => {
		expect(withRepository(given!, current!).image).toBe(expected);
	});

	it("keeps the standby's repository and says so in the plan", () => {
		const snapshot = seedSnapshot();
		const [rollout] = registry.detect(snapshot);
		const result = registry.plan('deploy', rollout!, snapshot, {image: '1.2.0'});
		if ('error' in result) throw new Error(result.error);
		expect(result.plan.summary).toBe('deploy myapp:1.2.0 to app-green (GREEN, standby)');
		expect(result.plan.steps[0]).toMatchObject({
			description:
				'set container app of app-green to myapp:1.2.0 (the tag 1.2.0, in the repository of myapp:1.1.0)',
			body: [
				expect.anything(),
				{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'myapp:1.2.0'},
			],
		});
	});
});
