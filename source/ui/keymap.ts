import type {ActionName, ActionSpec} from '../core/types.js';

export type Screen = 'list' | 'detail' | 'help';

/** What a key does: move around the console, or ask a rollout for one of its actions. */
export type Command =
	| {
			kind: 'nav';
			to:
				| 'up'
				| 'down'
				| 'top'
				| 'bottom'
				| 'open'
				| 'back'
				| 'help'
				| 'filter'
				| 'quit'
				| 'autopilot'
				| 'acknowledge'
				| 'quiet';
	  }
	| {kind: 'action'; action: ActionName};

export type Binding = {
	/** The keys as Ink reports them: a character, or a name (up, down, return, escape). */
	keys: string[];
	/** How the footer and the help screen show the key. */
	label: string;
	/** The footer's word for it. */
	hint: string;
	command: Command;
	description: string;
	/** Changes the cluster: never bound in --readonly. */
	dangerous: boolean;
	screens: Screen[];
	/** Shown in the footer (the help screen shows all). */
	footer: boolean;
};

const both: Screen[] = ['list', 'detail'];

/** The keys that move around the console; the strategies' actions are bound beside them. */
export const navigation: Binding[] = [
	{
		keys: ['up', 'k'],
		label: '↑/k',
		command: {kind: 'nav', to: 'up'},
		hint: 'up',
		description: 'move up',
		dangerous: false,
		screens: ['list'],
		footer: false,
	},
	{
		keys: ['down', 'j'],
		label: '↓/j',
		command: {kind: 'nav', to: 'down'},
		hint: 'down',
		description: 'move down',
		dangerous: false,
		screens: ['list'],
		footer: false,
	},
	{
		keys: ['g'],
		label: 'g',
		command: {kind: 'nav', to: 'top'},
		hint: 'top',
		description: 'first rollout',
		dangerous: false,
		screens: ['list'],
		footer: false,
	},
	{
		keys: ['G'],
		label: 'G',
		command: {kind: 'nav', to: 'bottom'},
		hint: 'bottom',
		description: 'last rollout',
		dangerous: false,
		screens: ['list'],
		footer: false,
	},
	{
		keys: ['return'],
		label: 'Enter',
		command: {kind: 'nav', to: 'open'},
		hint: 'details',
		description: 'open the selected rollout',
		dangerous: false,
		screens: ['list'],
		footer: true,
	},
	{
		keys: ['/'],
		label: '/',
		command: {kind: 'nav', to: 'filter'},
		hint: 'filter',
		description: 'filter by namespace/name',
		dangerous: false,
		screens: ['list'],
		footer: true,
	},
	{
		keys: ['escape'],
		label: 'Esc',
		command: {kind: 'nav', to: 'back'},
		hint: 'back',
		description: 'back',
		dangerous: false,
		screens: ['detail', 'help'],
		footer: true,
	},
	{
		keys: ['?'],
		label: '?',
		command: {kind: 'nav', to: 'help'},
		hint: 'help',
		description: 'help: every key',
		dangerous: false,
		screens: both,
		footer: true,
	},
	{
		keys: ['a'],
		label: 'a',
		command: {kind: 'nav', to: 'autopilot'},
		hint: 'autopilot',
		description: 'autopilot on/off',
		dangerous: true,
		screens: both,
		footer: false,
	},
	{
		keys: ['!'],
		label: '!',
		command: {kind: 'nav', to: 'acknowledge'},
		hint: 'acknowledge',
		description: "ack the guard's banners",
		dangerous: false,
		screens: both,
		footer: false,
	},
	{
		keys: ['H'],
		label: 'H',
		command: {kind: 'nav', to: 'quiet'},
		hint: 'quiet',
		description: 'show/hide quiet rollouts',
		dangerous: false,
		screens: ['list'],
		footer: false,
	},
	{
		keys: ['q', 'ctrl+c'],
		label: 'q',
		command: {kind: 'nav', to: 'quit'},
		hint: 'quit',
		description: 'quit',
		dangerous: false,
		screens: ['list', 'detail', 'help'],
		footer: true,
	},
];

/** An action's binding, from the strategy's own words for it. */
function actionBinding(spec: ActionSpec & {key: string}): Binding {
	return {
		keys: [spec.key],
		label: spec.key,
		hint: spec.hint,
		command: {kind: 'action', action: spec.name},
		description: spec.description,
		dangerous: spec.dangerous,
		screens: both,
		footer: true,
	};
}

/**
 * Every key in force: navigation, then each action the strategies offer with a key of its own
 * (before Esc, help and quit, so the footer reads as before). --readonly leaves the dangerous
 * ones out, so they cannot fire. The footer and the help screen are generated from this list.
 */
export function bindingsFor(actions: ActionSpec[], readonly: boolean): Binding[] {
	const keyed = actions
		.filter((spec): spec is ActionSpec & {key: string} => spec.key !== undefined)
		.map(actionBinding);
	const moving = navigation.filter(
		(b) => b.command.kind === 'nav' && !['back', 'help', 'quit'].includes(b.command.to),
	);
	const leaving = navigation.filter((b) => !moving.includes(b));
	const all = [...moving, ...keyed, ...leaving];
	return readonly ? all.filter((b) => !b.dangerous) : all;
}

export function findBinding(all: Binding[], screen: Screen, key: string): Binding | undefined {
	return all.find((b) => b.screens.includes(screen) && b.keys.includes(key));
}

/** The key that asks for an action, for "press p to promote" hints. */
export function keyFor(all: Binding[], action: ActionName): string | undefined {
	return all.find((b) => b.command.kind === 'action' && b.command.action === action)?.label;
}
