/**
 * The query parameters of a request as the API server decodes and validates them: booleans,
 * and the options of a write (dryRun, fieldManager, fieldValidation), refused in its words.
 */
import {type FieldError, fieldError, invalidObject} from './field-errors.js';

/**
 * A boolean query parameter as the API server's parameter codec reads it: absent, `0` or
 * `false` in any case is false; anything else, `True` and the empty string included, is true.
 */
export function queryBool(url: URL, name: string): boolean {
	const value = url.searchParams.get(name);
	if (value === null) return false;
	return !(value === '0' || value.toLowerCase() === 'false');
}

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export type WriteOptions = {dryRun: boolean; fieldValidation: FieldValidation};

const fieldManagerMaxLength = 128;

/** Printable as Go's unicode.IsPrint sees it: no controls, no separators other than space. */
const unprintable = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

/**
 * The write's options, or a 422 `CreateOptions.meta.k8s.io "" is invalid: ...` (as the API
 * server's ValidateCreateOptions and its peers refuse them) before the body is read.
 */
export function writeOptions(kind: OptionsKind, url: URL): WriteOptions {
	const found: FieldError[] = [];
	const manager = url.searchParams.get('fieldManager') ?? '';
	if (kind !== 'DeleteOptions') {
		if (Buffer.byteLength(manager) > fieldManagerMaxLength)
			found.push(fieldError.tooLong('fieldManager', fieldManagerMaxLength));
		let position = 0;
		for (const char of manager) {
			if (unprintable.test(char)) {
				const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
				found.push(
					fieldError.invalid(
						'fieldManager',
						manager,
						`invalid character U+${code} (at position ${position})`,
					),
				);
			}
			position += Buffer.byteLength(char);
		}
	}
	const dryRun = url.searchParams.getAll('dryRun');
	if (dryRun.some((value) => value !== 'All'))
		found.push(fieldError.notSupported('dryRun', dryRun, ['All']));
	const validation = url.searchParams.get('fieldValidation') ?? '';
	if (kind !== 'DeleteOptions' && !['', 'Ignore', 'Strict', 'Warn'].includes(validation))
		found.push(
			fieldError.notSupported('fieldValidation', validation, ['', 'Ignore', 'Strict', 'Warn']),
		);
	if (found.length > 0) throw invalidObject(kind, 'meta.k8s.io', '', found);
	return {
		dryRun: dryRun.length > 0,
		// No directive is Warn, as on a real server.
		fieldValidation: (validation || 'Warn') as FieldValidation,
	};
}
