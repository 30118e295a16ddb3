import {describe, expect, it} from 'vitest';
import {announce, Guardian} from '../../source/commands/guardian.js';
import type {ApplyResult} from '../../source/core/adapters.js';
import {evaluate, type GuardRecord} from '../../source/core/guard-record.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Plan, Rollout} from '../../source/core/types.js';
import {shopSnapshot} from '../fixtures/nginx-canary.js';

const snapshot = shopSnapshot();
const shop = (): Rollout => registry.detect(snapshot).find((r) => r.name === 'shop-canary')!;

/** The record after `n` breached windows of the canary (5 % errors, 600 requests a minute). */
function failing(rollout: Rollout, n = 5): GuardRecord {
	let record: GuardRecord | undefined;
	for (let i = 1; i <= n; i++) {
		const reading = {rps: 10, errorRatio: 0.05, p99Seconds: 0.1, requests: 600, errors: 30};
		record = evaluate(
			record,
			rollout,
			{
				rolloutId: rollout.id,
				windowMinutes: 10,
				rateWindow: '1m',
				tracks: [{key: 'canary', points: [{t: i * 60_000, ...reading}], now: reading}],
			},
			i * 60_000,
		);
	}
	return record!;
}

/** A guardian whose cluster answers `results` in turn, recording the plans it was given. */
function guardian(results: ApplyResult[]) {
	const applied: Plan[] = [];
	const g = new Guardian({
		registry,
		snapshot: () => snapshot,
		apply: async (plan) => {
			applied.push(plan);
			return results.shift() ?? {ok: true, summary: plan.summary};
		},
		autoRollback: true,
		autopilot: () => false,
	});
	return {g, applied};
}

describe('the guard acts on its decisions through the rollout’s own plan', () => {
	it('rolls a failing canary back once, with an Event naming the guard and the numbers', async () => {
		const rollout = shop();
		const {g, applied} = guardian([]);
		const record = failing(rollout);
		const acts = await g.act([rollout], new Map([[rollout.id, record]]));
		expect(acts).toHaveLength(1);
		expect(applied[0]!.audit.reason).toBe('CutoverAutoRollback');
		expect(applied[0]!.audit.message).toMatch(
			/\(by the guard: error ratio 5\.0 % > 1\.0 %, 5 breaches in a row \(threshold 5\)\)$/,
		);
		// The plan is the rollout's own, conditional on the weight seen (a JSON-patch test).
		expect(JSON.stringify(applied[0]!.steps)).toContain('{"op":"test","path"');
		// The same failing version on later refreshes (the watch not caught up yet): never again.
		await g.act([rollout], new Map([[rollout.id, failing(rollout, 6)]]));
		await g.act([rollout], new Map([[rollout.id, failing(rollout, 7)]]));
		expect(applied).toHaveLength(1);
		expect(announce(acts).banners[0]!.text).toMatch(/^AUTO-ROLLBACK shop\/shop-canary at /);
	});

	it('a lost race (409) is not retried on the same reading, and is tried again on the next', async () => {
		const rollout = shop();
		const conflict: ApplyResult = {ok: false, step: 0, kind: 'conflict', error: 'changed since'};
		const {g, applied} = guardian([conflict]);
		const first = await g.act([rollout], new Map([[rollout.id, failing(rollout)]]));
		expect(announce(first)).toMatchObject({banners: []});
		expect(announce(first).notice).toMatch(/decides again on the next refresh/);
		await g.act([rollout], new Map([[rollout.id, failing(rollout)]]));
		expect(applied).toHaveLength(1);
		await g.act([rollout], new Map([[rollout.id, failing(rollout, 6)]]));
		expect(applied).toHaveLength(2);
	});

	it('a timeout may have been applied: the guard does not roll the same version back again', async () => {
		const rollout = shop();
		const timeout: ApplyResult = {ok: false, step: 0, kind: 'timeout', error: 'no answer'};
		const {g, applied} = guardian([timeout]);
		const first = await g.act([rollout], new Map([[rollout.id, failing(rollout)]]));
		expect(announce(first).banners[0]).toMatchObject({kind: 'error'});
		await g.act([rollout], new Map([[rollout.id, failing(rollout, 6)]]));
		expect(applied).toHaveLength(1);
	});
});
