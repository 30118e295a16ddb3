/**
 * The fault table, driven through one console: each fault is injected into the sim's API, the
 * cluster changes behind it while it lasts, and once it ends the screen says what the sim's own
 * store says (the live color of myapp, the weight of the shop canary), with the header live.
 */
import {describe, expect, it} from 'vitest';
import {agrees, churn, faultTable} from '../helpers/fault-table.js';
import {openConsole, startupMs} from './harness.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the console through the fault table', () => {
	it('after each fault the screen equals the sim, and says live', {
		timeout: 240_000,
	}, async (context) => {
		const {cluster, console} = await openConsole(context, {args: ['-A'], columns: 100, rows: 30});
		const {sim} = cluster;
		await console.waitFor((s) => agrees(s, sim), startupMs);
		for (const [index, row] of faultTable.entries()) {
			const failed = (when: string) => (error: Error) => {
				throw new Error(`${row.name}, ${when}: ${error.message}`);
			};
			for (const fault of row.faults ?? []) sim.api.faults.add(fault);
			row.act?.(sim);
			churn(sim, index);
			await pause(row.ms / 2);
			row.act?.(sim);
			churn(sim, index + 100);
			await pause(row.ms / 2);
			if (row.convergesDuring)
				await console.waitFor((s) => agrees(s, sim), 15_000).catch(failed('while it lasts'));
			sim.api.faults.clear();
			await console.waitFor((s) => agrees(s, sim), 40_000).catch(failed('after it ended'));
		}
		expect(agrees((await console.screen()).join('\n'), sim)).toBe(true);
	});
});
