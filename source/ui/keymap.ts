import type {ActionName} from '../core/types.js';

export type Screen = 'list' | 'detail' | 'help';

/** What a key does: move around the console, or ask a rollout for one of its actions. */
export type Command =
	| {
			kind: 'nav';
			to: 'up' | 'down' | 'top' | 'bottom' | 'open' | 'back' | 'help' | 'filter' | 'quit';
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

/** Every key binding. The footer and the help screen are generated from this table. */
export const bindings: Binding[] = [
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
		description: 'details of the selected rollout',
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
		keys: ['p'],
		label: 'p',
		command: {kind: 'action', action: 'promote'},
		hint: 'promote',
		description: 'promote: switch traffic to the new version',
		dangerous: true,
		screens: both,
		footer: true,
	},
	{
		keys: ['r'],
		label: 'r',
		command: {kind: 'action', action: 'rollback'},
		hint: 'rollback',
		description: 'roll back to the previous version',
		dangerous: true,
		screens: both,
		footer: true,
	},
	{
		keys: ['s'],
		label: 's',
		command: {kind: 'action', action: 'step'},
		hint: 'step',
		description: 'step the canary to its next weight',
		dangerous: true,
		screens: both,
		footer: true,
	},
	{
		keys: ['f'],
		label: 'f',
		command: {kind: 'action', action: 'finalize'},
		hint: 'finalize',
		description: 'finalize: the canary becomes the new stable',
		dangerous: true,
		screens: both,
		footer: true,
	},
	{
		keys: ['d'],
		label: 'd',
		command: {kind: 'action', action: 'deploy'},
		hint: 'deploy',
		description: 'deploy an image to the standby',
		dangerous: true,
		screens: both,
		footer: true,
	},
	{
		keys: ['t'],
		label: 't',
		command: {kind: 'action', action: 'smoke'},
		hint: 'smoke test',
		description: 'smoke-test the standby (changes nothing)',
		dangerous: false,
		screens: both,
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

/** The bindings in force: --readonly leaves the dangerous ones out, so they cannot fire. */
export function activeBindings(readonly: boolean): Binding[] {
	return readonly ? bindings.filter((b) => !b.dangerous) : bindings;
}

export function findBinding(all: Binding[], screen: Screen, key: string): Binding | undefined {
	return all.find((b) => b.screens.includes(screen) && b.keys.includes(key));
}

/** The key that asks for an action, for "press p to promote" hints. */
export function keyFor(all: Binding[], action: ActionName): string | undefined {
	return all.find((b) => b.command.kind === 'action' && b.command.action === action)?.label;
}
