/**
 * Field errors as the API server's validation words them (`field: Invalid value: "x": detail`),
 * and the 422 Invalid Status that carries them, with one cause per error.
 */
import {ApiError} from './errors.js';

export type FieldErrorType =
	| 'FieldValueRequired'
	| 'FieldValueInvalid'
	| 'FieldValueNotSupported'
	| 'FieldValueTooLong';

export type FieldError = {type: FieldErrorType; field: string; value?: unknown; detail: string};

const words: Record<FieldErrorType, string> = {
	FieldValueRequired: 'Required value',
	FieldValueInvalid: 'Invalid value',
	FieldValueNotSupported: 'Unsupported value',
	FieldValueTooLong: 'Too long',
};

export const fieldError = {
	required: (field: string, detail = ''): FieldError => ({
		type: 'FieldValueRequired',
		field,
		detail,
	}),
	invalid: (field: string, value: unknown, detail: string): FieldError => ({
		type: 'FieldValueInvalid',
		field,
		value,
		detail,
	}),
	notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({
		type: 'FieldValueNotSupported',
		field,
		value,
		detail: `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`,
	}),
	/** The value itself is left out of the message, as the API server leaves it out. */
	tooLong: (field: string, max: number): FieldError => ({
		type: 'FieldValueTooLong',
		field,
		detail: `must have at most ${max} bytes`,
	}),
};

/** A bad value as Go's `%q` / `%v` / `%#v` print it in these messages. */
function printed(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value === null || value === undefined) return 'null';
	if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
		return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
	if (typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string')) {
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;
	}
	return JSON.stringify(value);
}

/** The message without the field: what a Status cause carries. */
export function errorBody(error: FieldError): string {
	const word = words[error.type];
	const head =
		error.type === 'FieldValueRequired' || error.type === 'FieldValueTooLong'
			? word
			: `${word}: ${printed(error.value)}`;
	return error.detail ? `${head}: ${error.detail}` : head;
}

export function errorText(error: FieldError): string {
	return `${error.field}: ${errorBody(error)}`;
}

/**
 * 422 Invalid: `Kind.group "name" is invalid: <error>` (several: `[a, b]`), details naming the
 * kind and group, a cause per distinct error.
 */
export function invalidObject(
	kind: string,
	group: string,
	name: string,
	list: FieldError[],
): ApiError {
	const seen = new Set<string>();
	const distinct = list.filter((error) => {
		const text = errorText(error);
		if (seen.has(text)) return false;
		seen.add(text);
		return true;
	});
	const texts = distinct.map(errorText);
	const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
	return new ApiError(
		422,
		'Invalid',
		`${group ? `${kind}.${group}` : kind} ${JSON.stringify(name)} is invalid: ${aggregate}`,
		{
			name,
			group,
			kind,
			causes: distinct.map((error) => ({
				reason: error.type,
				message: errorBody(error),
				field: error.field,
			})),
		},
	);
}
