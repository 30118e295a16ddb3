import type * as z from 'zod';
import {allowedKeys} from './scenario-schema.js';

/** Every mistake in a scenario, with the file and where in it, so its author can fix it. */
export class ScenarioError extends Error {
	override name = 'ScenarioError';
}

/** One line per problem (at most 10), each naming the file and the path in it. */
export function describeIssues(issues: z.core.$ZodIssue[], data: unknown, source: string): string {
	const lines = issues
		.slice(0, 10)
		.map((issue) => `scenario file ${source}: ${describeIssue(issue, data)}`);
	if (issues.length > 10)
		lines.push(`scenario file ${source}: ... and ${issues.length - 10} more problems`);
	return lines.join('\n');
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
	const path = issue.path;
	if (issue.code === 'unrecognized_keys') {
		const keys = issue.keys.map((key) => `"${key}"`).join(', ');
		const allowed = allowedKeys(path).join(', ');
		const what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} (allowed: ${allowed})`;
		return path.length === 0 ? what : `${formatPath(path)}: ${what}`;
	}
	// "objects[3] (Deployment shop/x): metadata.name is missing": the item, then the field in it.
	const split = path[0] === 'objects' || path[0] === 'forwards' || path[0] === 'behaviours' ? 2 : 1;
	const location = formatPath(path.slice(0, split)) + describeObjectAt(path, data);
	const field = formatPath(path.slice(split));
	const message = messageOf(issue, valueAt(data, path));
	if (path.length <= split) return `${location} ${message}`;
	return `${location}: ${field} ${message}`;
}

/** For an object, its kind and name as written, so a person can find it without counting. */
function describeObjectAt(path: PropertyKey[], data: unknown): string {
	if (path[0] !== 'objects' || typeof path[1] !== 'number' || path.length <= 2) return '';
	const object = valueAt(data, path.slice(0, 2)) as
		| {kind?: unknown; metadata?: {name?: unknown}}
		| undefined;
	const kind = typeof object?.kind === 'string' ? object.kind : undefined;
	const name = typeof object?.metadata?.name === 'string' ? object.metadata.name : undefined;
	if (kind === undefined && name === undefined) return '';
	return ` (${[kind, name].filter(Boolean).join(' ')})`;
}

function messageOf(issue: z.core.$ZodIssue, value: unknown): string {
	const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
	if (issue.message === 'is missing') return issue.message;
	if (issue.code === 'invalid_type' && !issue.message.startsWith('must'))
		return `must be ${article(issue.expected)}${got}`;
	return `${issue.message}${got}`;
}

function article(expected: string): string {
	if (expected === 'object') return 'a mapping';
	if (expected === 'array') return 'a list';
	return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function formatPath(path: PropertyKey[]): string {
	let text = '';
	for (const key of path) {
		if (typeof key === 'number') text += `[${key}]`;
		else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) text += text ? `.${String(key)}` : String(key);
		else text += `[${JSON.stringify(String(key))}]`;
	}
	return text;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
	let value = data;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[key];
	}
	return value;
}
