import {describe, expect, it, vi} from 'vitest';
import type {ApplyResult, Progress} from '../../source/core/adapters.js';
import {registry} from '../../source/core/strategies/index.js';
import type {Plan, Snapshot} from '../../source/core/types.js';
import {Controller, type KeyFlags} from '../../source/ui/controller.js';
import {bindingsFor} from '../../source/ui/keymap.js';
import {hiddenQuiet, Store, visibleRollouts} from '../../source/ui/store.js';
import {deployment, seedSnapshot, snapshotOf} from '../fixtures/blue-green.js';
import {shopSnapshot} from '../fixtures/nginx-canary.js';

type Apply = (plan: Plan, onProgress: (progress: Progress) => void) => Promise<ApplyResult>;

function setup({
	readonly = false,
	snapshot = seedSnapshot(),
	apply = async (plan: Plan): Promise<ApplyResult> => ({
		ok: true,
		summary: `${plan.summary}: done`,
	}),
}: {
	readonly?: boolean;
	snapshot?: Snapshot;
	apply?: Apply;
} = {}) {
	const store = new Store({context: 'cutover-sim', namespace: 'default', readonly});
	store.update({rollouts: registry.detect(snapshot)});
	const applied: Plan[] = [];
	const quit = vi.fn();
	const controller = new Controller({
		store,
		bindings: bindingsFor(registry.actions, readonly),
		actions: registry.actions,
		plan: (action, rollout, input) => registry.plan(action, rollout, snapshot, input),
		apply: (plan, onProgress) => {
			applied.push(plan);
			return apply(plan, onProgress);
		},
		quit,
		followUpMs: 500,
		judged: true,
	});
	/** Presses keys as Ink reports them: characters, or names with their flags. */
	const press = (...keys: Array<string | KeyFlags>) => {
		for (const key of keys) {
			if (typeof key === 'string') controller.key(key, {});
			else controller.key('', key);
		}
	};
	return {store, controller, applied, quit, press, state: () => store.get()};
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Controller', () => {
	it('p opens a confirm dialog with the conditional plan, and y applies exactly that plan', async () => {
		const {press, state, applied} = setup();
		press('p');
		const dialog = state().dialog;
		expect(dialog?.kind).toBe('confirm');
		if (dialog?.kind !== 'confirm') throw new Error('no confirm dialog');
		expect(dialog.plan.summary).toBe('switch myapp from BLUE to GREEN');
		const request = dialog.plan.steps.find((s) => s.kind === 'request');
		expect(request?.kind === 'request' && request.body).toEqual([
			{op: 'test', path: '/spec/selector/version', value: 'blue'},
			{op: 'replace', path: '/spec/selector/version', value: 'green'},
		]);
		expect(applied).toEqual([]);
		press('y');
		await settle();
		expect(applied).toEqual([dialog.plan]);
		expect(state().dialog).toBeUndefined();
		expect(state().notice).toEqual({kind: 'ok', text: 'switch myapp from BLUE to GREEN: done'});
	});

	it('any key but y cancels, says nothing changed, and applies nothing', () => {
		for (const key of ['n', 'q', 'p', ' ', {return: true}, {escape: true}] as const) {
			const {press, state, applied, quit} = setup();
			press('p', key);
			expect(state().dialog).toBeUndefined();
			expect(state().notice).toEqual({
				kind: 'info',
				text: 'cancelled: switch myapp from BLUE to GREEN; nothing was changed',
			});
			expect(applied).toEqual([]);
			// q in a dialog cancels; it does not quit.
			expect(quit).not.toHaveBeenCalled();
		}
	});

	it('below 80x24 no key acts: p then y switch nothing, only q quits', async () => {
		const {controller, press, state, applied, quit} = setup();
		controller.resized(60, 20);
		press('p', 'y', 'r', 'y', {return: true});
		await settle();
		expect(state().dialog).toBeUndefined();
		expect(applied).toEqual([]);
		expect(state().screen).toBe('list');
		press('q');
		expect(quit).toHaveBeenCalledTimes(1);
		// Back to a size the screen is drawn at: keys act again.
		controller.resized(80, 24);
		press('p');
		expect(state().dialog?.kind).toBe('confirm');
	});

	it('a dialog open when the terminal shrinks is cancelled, and says so; y after it does nothing', async () => {
		const {controller, press, state, applied} = setup();
		press('p');
		expect(state().dialog?.kind).toBe('confirm');
		controller.resized(100, 20);
		expect(state().dialog).toBeUndefined();
		expect(state().notice).toEqual({
			kind: 'info',
			text: 'cancelled: switch myapp from BLUE to GREEN; the terminal shrank to 100x20 before it was confirmed; nothing was changed',
		});
		press('y');
		controller.resized(100, 30);
		press('y');
		await settle();
		expect(applied).toEqual([]);
		// The notice is still there when the screen comes back.
		expect(state().notice?.text).toContain('the terminal shrank to 100x20');
	});

	it('Ctrl-C quits from a confirm dialog', () => {
		const {controller, press, quit, applied} = setup();
		press('p');
		controller.key('c', {ctrl: true});
		expect(quit).toHaveBeenCalledTimes(1);
		expect(applied).toEqual([]);
	});

	it('Ctrl-C quits while a plan runs; other keys wait for it', async () => {
		let finish: (result: ApplyResult) => void = () => {};
		const {controller, press, state, quit, applied} = setup({
			apply: () => new Promise((resolve) => (finish = resolve)),
		});
		press('p', 'y');
		expect(state().dialog?.kind).toBe('running');
		press('q', 'p', 'r', {escape: true});
		expect(state().dialog?.kind).toBe('running');
		expect(applied).toHaveLength(1);
		expect(quit).not.toHaveBeenCalled();
		// Ink reports Ctrl-C as "c" with ctrl set.
		controller.key('c', {ctrl: true});
		expect(quit).toHaveBeenCalledTimes(1);
		finish({ok: true, summary: 'done'});
		await settle();
	});

	it('a failed plan closes the dialog and shows the error in words', async () => {
		const {press, state} = setup({
			apply: async () => ({
				ok: false,
				step: 1,
				kind: 'conflict',
				error: 'the live color changed since you looked: now green; nothing was changed',
			}),
		});
		press('p', 'y');
		await settle();
		expect(state().dialog).toBeUndefined();
		expect(state().notice).toEqual({
			kind: 'error',
			text: 'the live color changed since you looked: now green; nothing was changed',
		});
	});

	it('typing a filter takes every key as text, even ones bound to commands', () => {
		const {press, state, quit} = setup();
		press('/');
		expect(state().filtering).toBe(true);
		press('q', 'p', 'y', 'x');
		expect(state().filter).toBe('qpyx');
		expect(state().dialog).toBeUndefined();
		expect(quit).not.toHaveBeenCalled();
		press({backspace: true}, {backspace: true}, {backspace: true}, {backspace: true});
		press('m', 'y', 'a');
		press({return: true});
		expect(state()).toMatchObject({filtering: false, filter: 'mya'});
		// The filter stays; keys are commands again.
		press('p');
		expect(state().dialog?.kind).toBe('confirm');
		press('n', '/', {escape: true});
		expect(state()).toMatchObject({filtering: false, filter: ''});
	});

	it('keys that arrive as one chunk (typed ahead, a slow link) are each a key', () => {
		const {controller, state} = setup();
		controller.input('/myapp', {});
		expect(state()).toMatchObject({filtering: true, filter: 'myapp'});
		controller.input('\r', {return: true});
		controller.input('py', {});
		expect(state().dialog?.kind).toBe('running');
	});

	it('--readonly binds no dangerous key: p, r, d open nothing; t still smoke-tests', async () => {
		const all = bindingsFor(registry.actions, false);
		const readonly = bindingsFor(registry.actions, true);
		expect(readonly.some((b) => b.dangerous)).toBe(false);
		expect(readonly.length).toBe(all.filter((b) => !b.dangerous).length);
		for (const action of ['promote', 'rollback', 'deploy', 'step', 'finalize'])
			expect(readonly.some((b) => b.command.kind === 'action' && b.command.action === action)).toBe(
				false,
			);
		const {press, state, applied} = setup({readonly: true});
		press('p', 'r', 'd', 's', 'f');
		expect(state().dialog).toBeUndefined();
		expect(applied).toEqual([]);
		press('t');
		await settle();
		expect(applied.map((p) => p.action)).toEqual(['smoke']);
		expect(applied[0]!.steps.every((s) => s.kind !== 'request')).toBe(true);
	});

	it('t smoke-tests at once, without a dialog, and reports what the pods answered', async () => {
		const {press, state, applied} = setup({
			apply: async (plan, onProgress) => {
				onProgress({
					index: 0,
					step: plan.steps[0]!,
					status: 'done',
					detail: '3/3 pods answered /health with 200',
				});
				return {ok: true, summary: `${plan.summary}: done`};
			},
		});
		press('t');
		expect(state().dialog?.kind).toBe('running');
		await settle();
		expect(applied).toHaveLength(1);
		expect(state().notice?.text).toContain('(3/3 pods answered /health with 200)');
	});

	it('d asks for an image, plans the deploy for confirmation, then offers the switch', async () => {
		const {press, state, applied} = setup();
		press('d');
		const input = state().dialog;
		expect(input).toMatchObject({
			kind: 'input',
			prompt: 'image to deploy to app-green (now myapp:1.1.0)',
			value: '',
		});
		press(...'myapp:1.2.x'.split(''), {backspace: true}, '0');
		expect(state().dialog).toMatchObject({kind: 'input', value: 'myapp:1.2.0'});
		// Keys bound elsewhere are text here.
		expect(applied).toEqual([]);
		press({return: true});
		const confirm = state().dialog;
		if (confirm?.kind !== 'confirm') throw new Error('no confirm dialog after the image');
		expect(confirm.plan.action).toBe('deploy');
		expect(JSON.stringify(confirm.plan.steps)).toContain('myapp:1.2.0');
		expect(applied).toEqual([]);
		press('y');
		await vi.waitFor(() => expect(state().dialog?.kind).toBe('confirm'));
		expect(applied.map((p) => p.action)).toEqual(['deploy']);
		const offer = state().dialog;
		if (offer?.kind !== 'confirm') throw new Error('no switch offered');
		expect(offer.plan.summary).toBe('switch myapp from BLUE to GREEN');
		expect(state().notice?.text).toMatch(/: done\. Switch now\?$/);
		press('y');
		await settle();
		expect(applied.map((p) => p.action)).toEqual(['deploy', offer.plan.action]);
	});

	it('Esc in the image prompt cancels; an empty image is refused', () => {
		const {press, state, applied} = setup();
		press('d', 'x', {escape: true});
		expect(state().dialog).toBeUndefined();
		expect(state().notice).toEqual({kind: 'info', text: 'cancelled: nothing was changed'});
		press('d', {return: true});
		expect(state().dialog?.kind).not.toBe('confirm');
		expect(state().notice?.kind).toBe('error');
		expect(applied).toEqual([]);
	});

	it('an action the rollout does not have says so', () => {
		const {press, state} = setup();
		press('s');
		expect(state().dialog).toBeUndefined();
		expect(state().notice).toEqual({
			kind: 'error',
			text: 'myapp (blue/green) has no step action',
		});
	});

	it('s on a failing canary shows why in red and takes force + Enter, not y; the Event says it was forced', async () => {
		const snapshot = shopSnapshot();
		const {store, press, state, applied} = setup({snapshot});
		const shop = store.get().rollouts.find((r) => r.name === 'shop-canary')!;
		const reading = {rps: 4, errorRatio: 0.025, p99Seconds: 0.84, requests: 240, errors: 6};
		store.update({
			selectedId: shop.id,
			metrics: new Map([
				[
					shop.id,
					{
						rolloutId: shop.id,
						windowMinutes: 5,
						rateWindow: '1m',
						tracks: [{key: 'canary', points: [{t: Date.now(), ...reading}], now: reading}],
					},
				],
			]),
		});
		press('s');
		const dialog = state().dialog;
		if (dialog?.kind !== 'confirm') throw new Error('no confirm dialog');
		expect(dialog.review?.blockers).toEqual([
			'CANARY is failing: error ratio 2.5 % > 1.0 %, p99 840 ms > 500 ms',
		]);
		// The usual y is not enough: it is typed into the box, and Enter with anything but force cancels.
		press('y', {return: true});
		expect(state().dialog).toBeUndefined();
		expect(state().notice?.text).toContain('nothing was changed');
		expect(applied).toEqual([]);
		press('s', 'f', 'o', 'r', 'c', 'e', {return: true});
		await settle();
		expect(applied.map((p) => p.audit.message)).toEqual([
			'canary weight 10 -> 25 on shop/shop-canary (forced past the guard: CANARY is failing: error ratio 2.5 % > 1.0 %, p99 840 ms > 500 ms)',
		]);
	});

	it('Esc in help returns to the screen help was opened from', () => {
		const {press, state} = setup();
		press({return: true}, '?');
		expect(state().screen).toBe('help');
		press({escape: true});
		expect(state().screen).toBe('detail');
		press('?', {escape: true}, {escape: true});
		expect(state().screen).toBe('list');
	});

	it('a notice stays on its screen: a refused action is not repeated on the next one', () => {
		const {press, state} = setup();
		press('s');
		expect(state().notice?.text).toBe('myapp (blue/green) has no step action');
		press({return: true});
		expect(state().screen).toBe('detail');
		expect(state().notice).toBeUndefined();
		press('p', 'n');
		expect(state().notice?.text).toContain('nothing was changed');
		press({escape: true});
		expect(state().notice).toBeUndefined();
	});

	it('Enter opens the detail, Esc goes back, ? shows help, q quits', () => {
		const {press, state, quit} = setup();
		press({return: true});
		expect(state().screen).toBe('detail');
		press({escape: true});
		expect(state().screen).toBe('list');
		press('?');
		expect(state().screen).toBe('help');
		press({escape: true}, 'q');
		expect(quit).toHaveBeenCalledTimes(1);
	});
});

describe('quiet rollouts', () => {
	/** The seed, and a rolling Deployment settled long ago: the list leaves it out until asked. */
	const withQuiet = () => {
		const seed = seedSnapshot();
		return snapshotOf({
			...seed.parts,
			deployments: [
				...(seed.parts.deployments ?? []),
				deployment({name: 'web', labels: {app: 'web'}, image: 'web:1.0.0'}),
			],
		});
	};

	it('a settled rolling update is hidden, counted, shown on H, and found by a filter', () => {
		const {store, press, state} = setup({snapshot: withQuiet()});
		const web = state().rollouts.find((r) => r.name === 'web')!;
		expect(web).toMatchObject({strategy: 'rolling', phase: 'Complete', quiet: true});
		expect(visibleRollouts(state()).map((r) => r.name)).not.toContain('web');
		expect(hiddenQuiet(state())).toBe(1);
		press('H');
		expect(visibleRollouts(state()).map((r) => r.name)).toContain('web');
		expect(hiddenQuiet(state())).toBe(0);
		press('H');
		store.update({filter: 'web'});
		expect(visibleRollouts(state()).map((r) => r.name)).toEqual(['web']);
	});
});
