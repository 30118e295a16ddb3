import type {ApplyResult, Progress} from '../core/adapters.js';
import {forced, type Review, reviewAction} from '../core/guard.js';
import type {ActionName, ActionSpec, Plan, PlanInput, PlanResult, Rollout} from '../core/types.js';
import {type Binding, type Command, findBinding} from './keymap.js';
import {
	type AppState,
	type Dialog,
	type StepView,
	type Store,
	selectedRollout,
	visibleRollouts,
} from './store.js';

/** Ink's key flags, narrowed to what the console reads. */
export type KeyFlags = {
	upArrow?: boolean;
	downArrow?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	backspace?: boolean;
	delete?: boolean;
	tab?: boolean;
};

export type ControllerDeps = {
	store: Store;
	bindings: Binding[];
	/** The actions the strategies offer: what input each needs. */
	actions: ActionSpec[];
	/** Whether a metrics source is in force: without one the guard cannot judge. */
	judged?: boolean;
	/** Plans an action on the newest snapshot of the cluster (the registry's plan). */
	plan: (action: ActionName, rollout: Rollout, input: PlanInput) => PlanResult;
	/** Executes a plan against the cluster. */
	apply: (plan: Plan, onProgress: (progress: Progress) => void) => Promise<ApplyResult>;
	quit: () => void;
	/** How long to wait for the watch to show a finished deploy before offering the switch. */
	followUpMs?: number;
};

/** Names a key the way the keymap does. */
function keyName(input: string, key: KeyFlags): string {
	if (key.ctrl && input === 'c') return 'ctrl+c';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.return) return 'return';
	if (key.escape) return 'escape';
	if (key.backspace || key.delete) return 'backspace';
	if (key.tab) return 'tab';
	return input;
}

function printable(input: string, key: KeyFlags): boolean {
	return (
		input.length > 0 &&
		!key.ctrl &&
		!key.escape &&
		!key.return &&
		!key.tab &&
		![...input].some((char) => char.charCodeAt(0) < 32)
	);
}

/** The smallest terminal the console draws in. */
export const minimumSize = {columns: 80, rows: 24};

/**
 * The one reader of the keyboard, with priorities: Ctrl-C, then an open dialog, then the filter
 * being typed, then the key bindings of the screen. Plain TypeScript, tested without Ink.
 */
export class Controller {
	/** Whether the screen is drawn: below the minimum size only q and Ctrl-C do anything. */
	private fits = true;

	constructor(private readonly deps: ControllerDeps) {}

	/**
	 * The terminal's size, from the screen. Below the minimum nothing is drawn but a note, so no
	 * key may act on what cannot be seen: an open dialog is cancelled (its notice waits for the
	 * screen to come back), and keys do nothing until it does. A running plan carries on.
	 */
	resized(columns: number, rows: number): void {
		const fits = columns >= minimumSize.columns && rows >= minimumSize.rows;
		const {dialog} = this.state;
		if (!fits && this.fits && dialog && dialog.kind !== 'running') {
			const what =
				dialog.kind === 'confirm' ? dialog.plan.summary : `${dialog.action} (not yet planned)`;
			this.notify(
				'info',
				`cancelled: ${what}; the terminal shrank to ${columns}x${rows} before it was confirmed; nothing was changed`,
				{dialog: undefined},
			);
		}
		this.fits = fits;
	}

	private get state(): AppState {
		return this.deps.store.get();
	}

	private update(change: Partial<AppState>): void {
		this.deps.store.update(change);
	}

	private notify(
		kind: 'ok' | 'error' | 'info',
		text: string,
		change: Partial<AppState> = {},
	): void {
		this.update({...change, notice: {kind, text}});
	}

	/**
	 * What Ink's useInput hands over. Over a slow link (or a paste) several keys arrive in one
	 * chunk ("j\r"), which Ink reports as one input: they are taken one by one.
	 */
	input(input: string, flags: KeyFlags): void {
		const special =
			flags.ctrl ||
			flags.escape ||
			flags.upArrow ||
			flags.downArrow ||
			flags.return ||
			flags.tab ||
			flags.backspace ||
			flags.delete;
		if (input.length <= 1 || special) {
			this.key(input, flags);
			return;
		}
		for (const char of input) {
			if (char === '\r' || char === '\n') this.key('', {return: true});
			else if (char === '\u007f' || char === '\b') this.key('', {backspace: true});
			else if (char === '\u0003') this.key('c', {ctrl: true});
			else this.key(char, {});
		}
	}

	key(input: string, flags: KeyFlags): void {
		const name = keyName(input, flags);
		const {dialog} = this.state;
		if (name === 'ctrl+c') this.deps.quit();
		else if (!this.fits) {
			if (name === 'q') this.deps.quit();
		} else if (dialog) this.dialogKey(dialog, name, input, flags);
		else if (this.state.filtering) this.filterKey(name, input, flags);
		else {
			const binding = findBinding(this.deps.bindings, this.state.screen, name);
			if (binding) this.command(binding.command);
		}
	}

	private dialogKey(dialog: Dialog, name: string, input: string, flags: KeyFlags): void {
		if (dialog.kind === 'running') return;
		if (dialog.kind === 'confirm') {
			const blocked = (dialog.review?.blockers.length ?? 0) > 0;
			if (!blocked) {
				if (name === 'y' || name === 'Y') void this.execute(dialog.plan);
				else this.cancel(dialog.plan);
			} else if (name === 'return') {
				// A deliberate confirmation: the word, not a key pressed by habit.
				if ((dialog.typed ?? '').trim() === 'force')
					void this.execute(forced(dialog.plan, dialog.review!));
				else this.cancel(dialog.plan);
			} else if (name === 'escape') this.cancel(dialog.plan);
			else if (name === 'backspace')
				this.update({dialog: {...dialog, typed: (dialog.typed ?? '').slice(0, -1)}});
			else if (printable(input, flags))
				this.update({dialog: {...dialog, typed: `${dialog.typed ?? ''}${input}`}});
		} else if (name === 'escape')
			this.notify('info', 'cancelled: nothing was changed', {dialog: undefined});
		else if (name === 'backspace')
			this.update({dialog: {...dialog, value: dialog.value.slice(0, -1)}});
		else if (name === 'return') this.submitInput(dialog);
		else if (printable(input, flags))
			this.update({dialog: {...dialog, value: dialog.value + input}});
	}

	private cancel(plan: Plan): void {
		this.notify('info', `cancelled: ${plan.summary}; nothing was changed`, {dialog: undefined});
	}

	private filterKey(name: string, input: string, flags: KeyFlags): void {
		if (name === 'escape') this.update({filtering: false, filter: ''});
		else if (name === 'return') this.update({filtering: false});
		else if (name === 'backspace') this.update({filter: this.state.filter.slice(0, -1)});
		else if (printable(input, flags)) this.update({filter: this.state.filter + input});
	}

	private move(to: 'up' | 'down' | 'top' | 'bottom'): void {
		const visible = visibleRollouts(this.state);
		if (visible.length === 0) return;
		const current = Math.max(
			0,
			visible.findIndex((r) => r.id === selectedRollout(this.state)?.id),
		);
		const index = {up: current - 1, down: current + 1, top: 0, bottom: visible.length - 1}[to];
		this.update({selectedId: visible[Math.min(visible.length - 1, Math.max(0, index))]!.id});
	}

	private command(command: Command): void {
		if (command.kind === 'action') {
			this.request(command.action);
			return;
		}
		switch (command.to) {
			case 'quit':
				this.deps.quit();
				break;
			// A notice belongs to the screen it was said on: moving on clears it.
			case 'help':
				if (this.state.screen !== 'help')
					this.update({screen: 'help', helpFrom: this.state.screen, notice: undefined});
				break;
			case 'back':
				this.update({
					screen: this.state.screen === 'help' ? this.state.helpFrom : 'list',
					notice: undefined,
				});
				break;
			case 'filter':
				this.update({filtering: true});
				break;
			case 'acknowledge':
				this.update({banners: []});
				break;
			case 'quiet':
				this.update({showQuiet: !this.state.showQuiet});
				break;
			case 'autopilot':
				this.toggleAutopilot();
				break;
			case 'open': {
				const rollout = selectedRollout(this.state);
				if (rollout) this.update({screen: 'detail', selectedId: rollout.id, notice: undefined});
				break;
			}
			default:
				this.move(command.to);
		}
	}

	/** Autopilot on the selected rollout, on or off; it needs numbers to judge by. */
	private toggleAutopilot(): void {
		const rollout = selectedRollout(this.state);
		const autopilot = new Set(this.state.autopilot);
		if (!rollout) this.notify('error', 'no rollout selected');
		else if (this.state.autopilotAll)
			this.notify('info', 'autopilot is on for every rollout (--autopilot)');
		else if (autopilot.delete(rollout.id))
			this.notify('info', `autopilot off for ${rollout.name}: nothing moves by itself`, {
				autopilot,
			});
		else if (!this.deps.judged)
			this.notify('error', 'autopilot needs numbers to judge by: start with --prometheus URL');
		else
			this.notify(
				'ok',
				`autopilot on for ${rollout.name}: steps after ${rollout.policy.stepIntervals} healthy windows, promotes at the end, rolls back when failing; it lives only while this cutover runs`,
				{autopilot: autopilot.add(rollout.id)},
			);
	}

	/** An action key on the selected rollout: ask its strategy, then confirm, input or run. */
	request(action: ActionName): void {
		const rollout = selectedRollout(this.state);
		const state = rollout?.actions.find((a) => a.action === action);
		if (!rollout) this.notify('error', 'no rollout selected');
		else if (!state)
			this.notify('error', `${rollout.name} (${rollout.strategyLabel}) has no ${action} action`);
		else if (!state.available)
			this.notify('error', `cannot ${action} ${rollout.name}: ${state.reason}`);
		else if (this.deps.actions.find((a) => a.name === action)?.input) {
			const prompt = state.prompt ?? `${action} ${rollout.name}: which image?`;
			this.update({
				dialog: {kind: 'input', rolloutId: rollout.id, action, prompt, value: ''},
				notice: undefined,
			});
		} else this.planAndAsk(rollout, action, {});
	}

	private planAndAsk(rollout: Rollout, action: ActionName, input: PlanInput): void {
		const result = this.deps.plan(action, rollout, input);
		if ('error' in result) this.notify('error', result.error);
		// What changes nothing (a smoke test) runs without asking.
		else if (!result.plan.changes) void this.execute(result.plan);
		else
			this.update({
				dialog: {kind: 'confirm', plan: result.plan, review: this.review(rollout, action)},
				notice: undefined,
			});
	}

	/** The guard's review of an action, on the numbers on screen now. */
	private review(rollout: Rollout, action: ActionName): Review {
		const spec = this.deps.actions.find((a) => a.name === action);
		const metrics = this.state.metrics.get(rollout.id);
		return reviewAction(rollout, spec, metrics, this.deps.judged ?? false, Date.now());
	}

	private submitInput(dialog: Extract<Dialog, {kind: 'input'}>): void {
		const rollout = this.state.rollouts.find((r) => r.id === dialog.rolloutId);
		this.update({dialog: undefined});
		if (rollout) this.planAndAsk(rollout, dialog.action, {image: dialog.value});
		else this.notify('error', 'the rollout is gone');
	}

	private async execute(plan: Plan): Promise<void> {
		let steps: StepView[] = plan.steps.map((step) => ({step, status: 'waiting'}));
		this.update({dialog: {kind: 'running', plan, steps}, notice: undefined});
		const result = await this.deps.apply(plan, (progress) => {
			steps = steps.map((view, index) =>
				index === progress.index
					? {
							step: view.step,
							status: progress.status,
							...(progress.detail ? {detail: progress.detail} : {}),
						}
					: view,
			);
			this.update({dialog: {kind: 'running', plan, steps}});
		});
		if (!result.ok) {
			this.notify('error', result.error, {dialog: undefined});
			return;
		}
		const detail = steps.find((s) => s.step.kind === 'smoke')?.detail;
		const extra = detail && plan.action === 'smoke' ? ` (${detail})` : '';
		this.notify('ok', `${result.summary}${extra}`, {dialog: undefined});
		if (plan.next) await this.offerNext(plan);
	}

	/** After a plan with a next action (deploy, then switch), offer it once the watch shows it possible. */
	private async offerNext(done: Plan): Promise<void> {
		const deadline = Date.now() + (this.deps.followUpMs ?? 5000);
		for (;;) {
			const rollout = this.state.rollouts.find((r) => r.id === done.rolloutId);
			const state = rollout?.actions.find((a) => a.action === done.next);
			if (rollout && state?.available) {
				const result = this.deps.plan(done.next!, rollout, {});
				if ('plan' in result) {
					const next = `${done.next!.charAt(0).toUpperCase()}${done.next!.slice(1)}`;
					this.update({
						dialog: {kind: 'confirm', plan: result.plan, review: this.review(rollout, done.next!)},
						notice: {kind: 'ok', text: `${done.summary}: done. ${next} now?`},
					});
				}
				return;
			}
			if (Date.now() > deadline || this.state.dialog) return;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}
