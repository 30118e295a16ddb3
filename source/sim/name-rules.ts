/**
 * The API server's name and label rules (apimachinery's util/validation): each returns the
 * messages it words for a value that breaks it, none for a good one.
 */

function regexError(message: string, format: string, ...examples: string[]): string {
	if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
	const shown = examples.map((example) => `'${example}', `).join(' or ');
	return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

/** Go's len(): bytes, not UTF-16 units. */
const bytes = (value: string) => Buffer.byteLength(value);

const maxLength = (n: number) => `must be no more than ${n} characters`;

/** The formats, also for the sim's own inputs (scenario files, fault specs). */
export const labelFormat = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const subdomainFormat = `${labelFormat}(\\.${labelFormat})*`;
const dns1035Format = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedFormat = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFormat = `(${qualifiedFormat})?`;
const whole = (format: string) => new RegExp(`^${format}$`);
const labelRule = whole(labelFormat);
const subdomainRule = whole(subdomainFormat);
const dns1035Rule = whole(dns1035Format);
const qualifiedRule = whole(qualifiedFormat);
const labelValueRule = whole(labelValueFormat);

export function dns1123Subdomain(value: string): string[] {
	const errors: string[] = [];
	if (bytes(value) > 253) errors.push(maxLength(253));
	if (!subdomainRule.test(value))
		errors.push(
			regexError(
				"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
				subdomainFormat,
				'example.com',
			),
		);
	return errors;
}

export function dns1123Label(value: string): string[] {
	const errors: string[] = [];
	if (bytes(value) > 63) errors.push(maxLength(63));
	if (!labelRule.test(value)) {
		// A good subdomain that is no label: it has dots (the length is checked above).
		if (subdomainRule.test(value)) errors.push('must not contain dots');
		else
			errors.push(
				regexError(
					"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
					labelFormat,
					'my-name',
					'123-abc',
				),
			);
	}
	return errors;
}

export function dns1035Label(value: string): string[] {
	const errors: string[] = [];
	if (bytes(value) > 63) errors.push(maxLength(63));
	if (!dns1035Rule.test(value))
		errors.push(
			regexError(
				"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
				dns1035Format,
				'my-name',
				'abc-123',
			),
		);
	return errors;
}

const qualifiedMessage =
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** A label key or annotation key: an optional DNS subdomain prefix and `/`, then a name. */
export function qualifiedName(value: string): string[] {
	const errors: string[] = [];
	const parts = value.split('/');
	if (parts.length > 2)
		return [
			`a qualified name ${regexError(qualifiedMessage, qualifiedFormat, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
		];
	const name = parts.at(-1)!;
	if (parts.length === 2) {
		const prefix = parts[0]!;
		if (prefix === '') errors.push('prefix part must be non-empty');
		else errors.push(...dns1123Subdomain(prefix).map((message) => `prefix part ${message}`));
	}
	if (name === '') errors.push('name part must be non-empty');
	else if (bytes(name) > 63) errors.push(`name part ${maxLength(63)}`);
	if (!qualifiedRule.test(name))
		errors.push(
			`name part ${regexError(qualifiedMessage, qualifiedFormat, 'MyName', 'my.name', '123-abc')}`,
		);
	return errors;
}

export function labelValue(value: string): string[] {
	const errors: string[] = [];
	if (bytes(value) > 63) errors.push(maxLength(63));
	if (!labelValueRule.test(value))
		errors.push(
			regexError(
				"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
				labelValueFormat,
				'MyValue',
				'my_value',
				'12345',
			),
		);
	return errors;
}
