import {createContext, useContext} from 'react';
import type {Color} from '../core/types.js';

/**
 * How things look: colors only when allowed (NO_COLOR, --no-color, TERM=dumb), and Unicode
 * symbols only without --ascii. Meaning never rests on color alone: every colored thing also
 * has a word or a symbol.
 */
export type Theme = {
	color: boolean;
	ascii: boolean;
	symbols: {
		live: string;
		standby: string;
		ok: string;
		bad: string;
		unknown: string;
		progressing: string;
		cursor: string;
		barFull: string;
		barEmpty: string;
		caret: string;
		arrow: string;
		/** The candidate compared with the baseline: worse, or alike. */
		worse: string;
		alike: string;
	};
};

export function makeTheme(options: {color: boolean; ascii: boolean}): Theme {
	const symbols = options.ascii
		? {
				live: '*',
				standby: 'o',
				ok: '+',
				bad: 'x',
				unknown: '?',
				progressing: '~',
				cursor: '>',
				barFull: '#',
				barEmpty: '.',
				caret: '_',
				arrow: '->',
				worse: '^',
				alike: '=',
			}
		: {
				live: '●',
				standby: '○',
				ok: '✔',
				bad: '✖',
				unknown: '?',
				progressing: '◌',
				cursor: '›',
				barFull: '█',
				barEmpty: '░',
				caret: '█',
				arrow: '→',
				worse: '▲',
				alike: '≈',
			};
	return {...options, symbols};
}

/** Whether the environment allows color (https://no-color.org, TERM=dumb). */
export function colorAllowed(env: NodeJS.ProcessEnv, flag: boolean): boolean {
	if (!flag) return false;
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	return env.TERM !== 'dumb';
}

export const ThemeContext = createContext<Theme>(makeTheme({color: true, ascii: false}));

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

/** An Ink color name for a track: its own color, else cyan for the baseline and yellow for the candidate. */
export function trackColor(
	theme: Theme,
	track: {color?: Color | undefined; side: 'baseline' | 'candidate'},
): string | undefined {
	if (!theme.color) return undefined;
	if (track.color) return track.color === 'blue' ? 'blueBright' : 'greenBright';
	return track.side === 'candidate' ? 'yellow' : 'cyan';
}

export function tint(theme: Theme, color: string): string | undefined {
	return theme.color ? color : undefined;
}
