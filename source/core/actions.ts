import type {ActionName, ActionSpec, ActionState} from './types.js';

/**
 * The actions several strategies share, with one key each: a strategy lists the ones it offers
 * (and may add its own), and the keymap, help, footer and subcommands follow from those lists.
 */
export const actionSpecs = {
	switch: {
		name: 'switch',
		hint: 'switch',
		description: 'switch traffic to the standby',
		dangerous: true,
		direction: 'advance',
	},
	promote: {
		name: 'promote',
		key: 'p',
		hint: 'promote',
		description: 'promote: switch traffic to the new version',
		dangerous: true,
		direction: 'advance',
	},
	rollback: {
		name: 'rollback',
		key: 'r',
		hint: 'rollback',
		description: 'roll back to the previous version',
		dangerous: true,
		direction: 'retreat',
	},
	step: {
		name: 'step',
		key: 's',
		hint: 'step',
		description: 'step the canary to its next weight',
		dangerous: true,
		direction: 'advance',
	},
	finalize: {
		name: 'finalize',
		key: 'f',
		hint: 'finalize',
		description: 'finalize: the canary becomes the new stable',
		dangerous: true,
		direction: 'advance',
	},
	deploy: {
		name: 'deploy',
		key: 'd',
		hint: 'deploy',
		description: 'deploy an image to the standby',
		dangerous: true,
		input: 'image',
	},
	pause: {
		name: 'pause',
		key: 'z',
		hint: 'pause',
		description: 'pause: its controller stops moving it until resumed',
		dangerous: true,
	},
	resume: {
		name: 'resume',
		key: 'Z',
		hint: 'resume',
		description: 'resume what pause stopped',
		dangerous: true,
		direction: 'advance',
	},
	undo: {
		name: 'undo',
		key: 'u',
		hint: 'undo',
		description: "undo: back to the previous revision's template",
		dangerous: true,
	},
	restart: {
		name: 'restart',
		key: 'X',
		hint: 'restart',
		description: 'restart: replace the pods, one by one',
		dangerous: true,
	},
	smoke: {
		name: 'smoke',
		key: 't',
		hint: 'smoke test',
		description: 'smoke-test the standby (changes nothing)',
		dangerous: false,
	},
} as const satisfies Record<string, ActionSpec>;

/** An action's state: available, or not with the reason. */
export function stateOf(action: ActionName, reason: string | undefined): ActionState {
	return reason ? {action, available: false, reason} : {action, available: true};
}
