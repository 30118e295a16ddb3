import {describe, expect, it} from 'vitest';
import {decide} from '../../source/core/guard-decision.js';
import {evaluate, type GuardRecord} from '../../source/core/guard-record.js';
import type {RolloutMetrics} from '../../source/core/metrics.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Rollout} from '../../source/core/types.js';
import {seedSnapshot} from '../fixtures/blue-green.js';
import {shopSnapshot} from '../fixtures/nginx-canary.js';

const shop = (weight = '10'): Rollout =>
	registry
		.detect(shopSnapshot({canary: {'nginx.ingress.kubernetes.io/canary-weight': weight}}))
		.find((r) => r.name === 'shop-canary')!;

function metrics(rollout: Rollout, t: number, errorRatio: number, key = 'canary'): RolloutMetrics {
	const reading = {rps: 10, errorRatio, p99Seconds: 0.1, requests: 600, errors: 600 * errorRatio};
	return {
		rolloutId: rollout.id,
		windowMinutes: 10,
		rateWindow: '1m',
		tracks: [{key, points: [{t, ...reading}], now: reading}],
	};
}

function recordAfter(rollout: Rollout, errorRatios: number[], key?: string): GuardRecord {
	let record: GuardRecord | undefined;
	for (const [i, e] of errorRatios.entries())
		record = evaluate(record, rollout, metrics(rollout, (i + 1) * 60_000, e, key), i + 1);
	return record!;
}

const off = {autoRollback: false, autopilot: false};
const autoRollback = {autoRollback: true, autopilot: false};
const autopilot = {autoRollback: false, autopilot: true};

describe('what the guard does by itself', () => {
	it('nothing, unless asked: a failing canary is only shown', () => {
		const rollout = shop();
		expect(
			decide(rollout, recordAfter(rollout, [0.05, 0.05, 0.05, 0.05, 0.05]), off),
		).toBeUndefined();
	});

	it('auto-rollback rolls back a failing canary, and only a failing one', () => {
		const rollout = shop();
		expect(
			decide(rollout, recordAfter(rollout, [0.05, 0.05, 0.05, 0.05]), autoRollback),
		).toBeUndefined();
		expect(
			decide(rollout, recordAfter(rollout, [0.05, 0.05, 0.05, 0.05, 0.05]), autoRollback),
		).toEqual({
			kind: 'act',
			action: 'rollback',
			why: 'error ratio 5.0 % > 1.0 %, 5 breaches in a row (threshold 5)',
		});
	});

	it('autopilot steps after the healthy refreshes the rollout asks for, counting down', () => {
		const rollout = shop();
		expect(decide(rollout, recordAfter(rollout, [0.001]), autopilot)).toEqual({
			kind: 'wait',
			why: 'step after 2 more healthy windows',
		});
		expect(decide(rollout, recordAfter(rollout, [0.001, 0.001, 0.001]), autopilot)).toEqual({
			kind: 'act',
			action: 'step',
			why: '3 healthy windows in a row',
		});
		rollout.policy = {...rollout.policy, stepIntervals: 1};
		expect(decide(rollout, recordAfter(rollout, [0.001]), autopilot)).toMatchObject({
			action: 'step',
		});
	});

	it('autopilot holds on a breach, on no data and on too few requests, and rolls back when failing', () => {
		const rollout = shop();
		expect(decide(rollout, recordAfter(rollout, [0.001, 0.001, 0.05]), autopilot)).toEqual({
			kind: 'wait',
			why: 'holds: error ratio 5.0 % > 1.0 %, breach 1/5',
		});
		const none = evaluate(undefined, rollout, undefined, 1, 'prometheus unreachable');
		expect(decide(rollout, none, autopilot)).toEqual({
			kind: 'wait',
			why: 'holds: prometheus unreachable',
		});
		expect(
			decide(rollout, recordAfter(rollout, [0.05, 0.05, 0.05, 0.05, 0.05]), autopilot),
		).toMatchObject({kind: 'act', action: 'rollback'});
	});

	it('at the top step autopilot finalizes; a candidate without traffic is never promoted on the baseline’s numbers', () => {
		const top = shop('100');
		expect(decide(top, recordAfter(top, [0.001, 0.001, 0.001]), autopilot)).toMatchObject({
			kind: 'act',
			action: 'finalize',
		});
		// Blue/green: green takes no traffic, so blue's health says nothing of it.
		const myapp = registry.detect(seedSnapshot())[0]!;
		expect(decide(myapp, recordAfter(myapp, [0.001, 0.001, 0.001], 'blue'), autopilot)).toEqual({
			kind: 'wait',
			why: 'holds: GREEN takes no traffic to judge; autopilot promotes only what it measured',
		});
	});

	it('a failing canary that cannot be rolled back says why', () => {
		const rollout = shop();
		rollout.actions = rollout.actions.map((a) =>
			a.action === 'rollback' ? {...a, available: false, reason: 'no rights'} : a,
		);
		expect(
			decide(rollout, recordAfter(rollout, [0.05, 0.05, 0.05, 0.05, 0.05]), autoRollback),
		).toEqual({
			kind: 'stuck',
			why: 'failing (error ratio 5.0 % > 1.0 %, 5 breaches in a row (threshold 5)) and cannot roll back: no rights',
		});
	});
});
