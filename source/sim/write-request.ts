/**
 * A write's options and body as the API server takes them in: the options validated first,
 * then the body's unknown fields refused (Strict), dropped with a warning (Warn, the default)
 * or dropped silently (Ignore).
 */
import {errors} from './errors.js';
import {type OptionsKind, writeOptions} from './request-options.js';
import type {ResourceType} from './resources.js';
import {dropFields, unknownFields} from './unknown-fields.js';

export type Screened = {dryRun: boolean; headers: Record<string, string[]>};

export function screenWrite(
	type: ResourceType,
	kind: OptionsKind,
	url: URL,
	/** Read only once the options pass, as the API server decodes the body after them. */
	body?: unknown,
	/** A patch's body: its stray fields are worded without the kind's decoding prefix. */
	patch = false,
): Screened {
	const options = writeOptions(kind, url);
	const unknown = body === undefined ? [] : unknownFields(type, body, patch);
	const screened: Screened = {dryRun: options.dryRun, headers: {}};
	if (unknown.length === 0 || options.fieldValidation === 'Ignore') {
		dropFields(body, unknown);
		return screened;
	}
	const words = unknown.map((path) => `unknown field "${path}"`);
	if (options.fieldValidation === 'Strict') {
		const strict = `strict decoding error: ${words.join(', ')}`;
		throw errors.badRequest(
			patch
				? strict
				: `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${strict}`,
		);
	}
	dropFields(body, unknown);
	screened.headers.Warning = words.map((word) => `299 - ${JSON.stringify(word)}`);
	return screened;
}
