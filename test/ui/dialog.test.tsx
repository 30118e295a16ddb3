import {render} from 'ink-testing-library';
import {afterEach, expect, it, vi} from 'vitest';
import type {Plan} from '../../source/core/types.js';
import {DialogView} from '../../source/ui/components/dialog.js';
import {makeTheme, ThemeContext} from '../../source/ui/theme.js';

const instances: Array<ReturnType<typeof render>> = [];
afterEach(() => {
	for (const instance of instances.splice(0)) instance.unmount();
});

/** A finalize of a Deployment with many sidecars: a plan taller than an 80x24 screen. */
function tallPlan(containers: number): Plan {
	const target = {
		group: 'apps',
		version: 'v1',
		plural: 'deployments',
		kind: 'Deployment',
		namespace: 'shop',
		name: 'shop-stable',
	};
	return {
		action: 'finalize',
		rolloutId: 'nginx-canary/shop/shop-canary',
		summary: 'finalize shop-canary: shop-stable takes the canary images, then weight 10 -> 0',
		changes: true,
		steps: Array.from({length: containers}, (_, i) => ({
			kind: 'request' as const,
			description: `set container c${i} of shop-stable to shop:2.4.0`,
			target,
			patchType: 'json' as const,
			body: [
				{op: 'test', path: `/spec/template/spec/containers/${i}/image`, value: 'shop:2.3.0'},
				{op: 'replace', path: `/spec/template/spec/containers/${i}/image`, value: 'shop:2.4.0'},
			],
		})),
		audit: {target, reason: 'CutoverFinalize', message: 'finalized'},
	};
}

it('a plan taller than the screen keeps its question and answer keys, and says what is left out', async () => {
	const instance = render(
		<ThemeContext.Provider value={makeTheme({color: false, ascii: false})}>
			<DialogView dialog={{kind: 'confirm', plan: tallPlan(8)}} width={80} height={19} />
		</ThemeContext.Provider>,
	);
	instances.push(instance);
	await new Promise((resolve) => setTimeout(resolve, 20));
	const lines = (instance.lastFrame() ?? '').split('\n');
	expect(lines.length).toBeLessThanOrEqual(19);
	expect(lines[1]).toContain('finalize shop-canary: shop-stable takes the canary images');
	expect(lines.at(-2)).toContain('y to confirm, any other key cancels');
	expect(lines.join('\n')).toMatch(
		/\.\.\. \d+ more lines: --dry-run on the command line prints the whole plan/,
	);
	expect(lines.join('\n')).toContain('1. set container c0 of shop-stable to shop:2.4.0');
});

it('a plan that fits is shown whole', async () => {
	const instance = render(
		<ThemeContext.Provider value={makeTheme({color: false, ascii: false})}>
			<DialogView dialog={{kind: 'confirm', plan: tallPlan(1)}} width={80} height={19} />
		</ThemeContext.Provider>,
	);
	instances.push(instance);
	await new Promise((resolve) => setTimeout(resolve, 20));
	const text = instance.lastFrame() ?? '';
	expect(text).not.toContain('more lines');
	expect(text).toContain('then record Event CutoverFinalize on deployment/shop-stable');
});

it('a plan with repeated lines shows each, without React key warnings', async () => {
	const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
	try {
		const plan = tallPlan(1);
		// Two steps alike (a precondition line repeats): each is drawn, in order.
		const twice: Plan = {...plan, steps: [plan.steps[0]!, plan.steps[0]!]};
		for (const dialog of [
			{kind: 'confirm' as const, plan: twice},
			{
				kind: 'running' as const,
				plan: twice,
				steps: twice.steps.map((step) => ({step, status: 'waiting' as const})),
			},
		]) {
			const instance = render(
				<ThemeContext.Provider value={makeTheme({color: false, ascii: false})}>
					<DialogView dialog={dialog} width={100} height={30} />
				</ThemeContext.Provider>,
			);
			instances.push(instance);
			await new Promise((resolve) => setTimeout(resolve, 20));
			const text = instance.lastFrame() ?? '';
			expect(text.split('set container c0 of shop-stable to shop:2.4.0').length).toBe(3);
		}
		const warnings = errors.mock.calls.map((call) => call.join(' '));
		expect(warnings.filter((w) => w.includes('same key'))).toEqual([]);
	} finally {
		errors.mockRestore();
	}
});
