import type {Phase, Rollout, Track} from '../core/types.js';
import type {Theme} from './theme.js';

/** A coarse age: it changes at most once a minute, so an idle screen writes nothing. */
export function coarseAge(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return '?';
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 1) return '<1m';
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours}h`;
	return `${Math.floor(hours / 24)}d`;
}

export function phaseSymbol(theme: Theme, phase: Phase): {symbol: string; color: string} {
	const {symbols} = theme;
	switch (phase) {
		case 'Healthy':
		case 'Stable':
			return {symbol: symbols.ok, color: 'green'};
		case 'Promoted':
			return {symbol: symbols.ok, color: 'cyan'};
		case 'Canary':
		case 'Progressing':
			return {symbol: symbols.progressing, color: 'yellow'};
		case 'Paused':
			return {symbol: theme.ascii ? '=' : '॥', color: 'yellow'};
		case 'Degraded':
		case 'Invalid':
			return {symbol: symbols.bad, color: 'red'};
		default:
			return {symbol: symbols.unknown, color: 'gray'};
	}
}

/** BLUE/GREEN for blue/green tracks, STABLE/CANARY for canaries. */
export function trackName(track: Track): string {
	if (track.color) return track.color.toUpperCase();
	if (track.role === 'stable' || track.role === 'canary') return track.role.toUpperCase();
	return (track.label ?? track.role).toUpperCase();
}

export const strategyLabels: Record<string, string> = {
	'service-selector': 'blue/green',
	'nginx-canary': 'nginx canary',
	flagger: 'flagger',
	'argo-rollouts': 'argo',
};

export function strategyLabel(rollout: Rollout): string {
	return strategyLabels[rollout.strategy] ?? rollout.strategy;
}

/** Pads or cuts to a width; a cut ends in an ellipsis (`~` in ASCII). */
export function pad(text: string, width: number, ascii = false): string {
	if (width <= 0) return '';
	if (text.length > width)
		return width > 1 ? `${text.slice(0, width - 1)}${ascii ? '~' : '…'}` : text.slice(0, width);
	return text.padEnd(width);
}
