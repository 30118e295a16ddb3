import type {Fact, Health, Tone} from '../core/types.js';
import {visible} from '../core/visible.js';
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

/** A health as symbol and color, so color is never the only signal. */
export function healthSymbol(theme: Theme, health: Health): {symbol: string; color: string} {
	const {symbols} = theme;
	switch (health) {
		case 'ok':
			return {symbol: symbols.ok, color: 'green'};
		case 'progressing':
			return {symbol: symbols.progressing, color: 'yellow'};
		case 'paused':
			return {symbol: theme.ascii ? '=' : '॥', color: 'yellow'};
		case 'bad':
			return {symbol: symbols.bad, color: 'red'};
		default:
			return {symbol: symbols.unknown, color: 'gray'};
	}
}

/** A tone's color, for facts and lines a strategy marks. */
export function toneColor(tone: Tone | undefined): string | undefined {
	return {ok: 'green', progressing: 'yellow', warn: 'yellow', bad: 'red', neutral: undefined}[
		tone ?? 'neutral'
	];
}

/** Pads or cuts to a width; a cut ends in an ellipsis (`~` in ASCII). */
export function pad(raw: string, width: number, ascii = false): string {
	if (width <= 0) return '';
	// Widths are counted on what is shown: cluster text with its escapes made visible.
	const text = visible(raw);
	if (text.length > width)
		return width > 1 ? `${text.slice(0, width - 1)}${ascii ? '~' : '…'}` : text.slice(0, width);
	return text.padEnd(width);
}

/**
 * `namespace/name` in at most `width` characters: when it does not fit, the namespace gives way
 * first (cut to at least a few characters), then the name, so what is acted on stays readable.
 */
export function qualifiedName(
	namespace: string,
	name: string,
	width: number,
	ascii = false,
): string {
	const whole = `${visible(namespace)}/${visible(name)}`;
	if (whole.length <= width) return whole;
	const shownName = visible(name);
	const namespaceRoom = Math.max(4, width - 1 - shownName.length);
	const shortNamespace = cut(namespace, namespaceRoom, ascii);
	return cut(`${shortNamespace}/${shownName}`, width, ascii);
}

/**
 * Word-wraps to lines of at most `width` characters, at most `maxLines` of them (the last cut
 * with an ellipsis): for errors that name what failed, where cutting at one line hides it.
 */
export function wrapWords(raw: string, width: number, maxLines: number, ascii = false): string[] {
	if (width <= 0 || maxLines <= 0) return [];
	const text = visible(raw);
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		let rest = word;
		if (line && line.length + 1 + rest.length <= width) {
			line = `${line} ${rest}`;
			continue;
		}
		if (line) lines.push(line);
		// A word longer than a line is split across lines.
		while (rest.length > width) {
			lines.push(rest.slice(0, width));
			rest = rest.slice(width);
		}
		line = rest;
	}
	if (line || lines.length === 0) lines.push(line);
	if (lines.length <= maxLines) return lines;
	// The last line kept runs on into what is left, cut with an ellipsis.
	const rest = lines.slice(maxLines - 1).join(' ');
	return [...lines.slice(0, maxLines - 1), pad(rest, width, ascii)];
}

/** Cuts to a width like `pad`, but adds no padding: for text Ink would otherwise cut with `…`. */
export function cut(raw: string, width: number, ascii = false): string {
	const text = visible(raw);
	return text.length > width ? pad(text, width, ascii) : text;
}

/** A fact as the console says it: its label and value, and its time as "3m ago" or "in 40s". */
export function factText(fact: Fact, now: number): string {
	const time = (iso: string) => Date.parse(iso);
	const when = fact.since
		? `${coarseAge(now - time(fact.since))} ago`
		: fact.until
			? time(fact.until) <= now
				? 'due now'
				: `in ${coarseAge(time(fact.until) - now)}`
			: '';
	return visible([fact.label, fact.value, when].filter(Boolean).join(' '));
}

/** Facts packed into at most `maxLines` lines of `width`, two spaces apart, in order. */
export function packFacts(
	facts: Fact[],
	width: number,
	maxLines: number,
	now: number,
): Array<Array<{fact: Fact; text: string}>> {
	const lines: Array<Array<{fact: Fact; text: string}>> = [];
	let used = 0;
	for (const fact of facts) {
		const text = factText(fact, now);
		const line = lines.at(-1);
		if (line && used + 2 + text.length <= width) {
			line.push({fact, text});
			used += 2 + text.length;
		} else if (lines.length < maxLines) {
			lines.push([{fact, text: cut(text, width)}]);
			used = Math.min(text.length, width);
		}
	}
	return lines;
}
