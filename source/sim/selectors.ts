import {errors} from './errors.js';
import {labelValue, qualifiedName} from './name-rules.js';

type Requirement =
	| {key: string; op: 'exists' | 'notexists'}
	| {key: string; op: 'in' | 'notin'; values: string[]};

export type Selector = (labelsOrFields: (key: string) => string | undefined) => boolean;

/** Splits on commas that are not inside a `(...)` value set. */
function splitTerms(text: string): string[] {
	const terms: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of text) {
		if (char === '(') depth++;
		if (char === ')') depth--;
		if (char === ',' && depth === 0) {
			terms.push(current.trim());
			current = '';
		} else current += char;
	}
	if (current.trim()) terms.push(current.trim());
	return terms.filter(Boolean);
}

const setTerm = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/;
const equalityTerm = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/;
const existsTerm = /^(!?)([^=!\s()]+)$/;

function parseTerm(term: string, what: string): Requirement {
	const set = setTerm.exec(term);
	if (set) {
		const values = set[3]!.split(',').map((v) => v.trim());
		return {key: set[1]!, op: set[2] as 'in' | 'notin', values};
	}
	const equality = equalityTerm.exec(term);
	if (equality) {
		return {key: equality[1]!, op: equality[2] === '!=' ? 'notin' : 'in', values: [equality[3]!]};
	}
	const exists = existsTerm.exec(term);
	if (exists && what === 'label') {
		return {key: exists[2]!, op: exists[1] ? 'notexists' : 'exists'};
	}
	throw errors.badRequest(`unable to parse requirement: invalid ${what} selector: "${term}"`);
}

/**
 * A label selector's key must be a label key and its values label values, as labels.Parse
 * checks them: `unable to parse requirement: key: Invalid value: "-x": ...`.
 */
function checkLabelRequirement(requirement: Requirement): Requirement {
	const problems = qualifiedName(requirement.key);
	if (problems.length > 0)
		throw errors.badRequest(
			`unable to parse requirement: key: Invalid value: ${JSON.stringify(requirement.key)}: ${problems.join('; ')}`,
		);
	const values = 'values' in requirement ? requirement.values : [];
	values.forEach((value, index) => {
		const wrong = labelValue(value);
		if (wrong.length > 0)
			throw errors.badRequest(
				`unable to parse requirement: values[${index}]: Invalid value: ${JSON.stringify(value)}: ${wrong.join('; ')}`,
			);
	});
	return requirement;
}

function parse(text: string | null | undefined, what: 'label' | 'field'): Selector {
	const requirements = splitTerms(text ?? '').map((term) => {
		const requirement = parseTerm(term, what);
		return what === 'label' ? checkLabelRequirement(requirement) : requirement;
	});
	return (lookup) =>
		requirements.every((requirement) => {
			const value = lookup(requirement.key);
			switch (requirement.op) {
				case 'exists':
					return value !== undefined;
				case 'notexists':
					return value === undefined;
				case 'in':
					return value !== undefined && requirement.values.includes(value);
				default:
					// notin. A field that is absent reads as '' in Kubernetes field selectors.
					return !requirement.values.includes(value ?? (what === 'field' ? '' : '\0absent'));
			}
		});
}

export function parseLabelSelector(text: string | null | undefined): Selector {
	return parse(text, 'label');
}

export function parseFieldSelector(text: string | null | undefined): Selector {
	return parse(text, 'field');
}

export function labelLookup(object: {metadata?: {labels?: Record<string, string>}}) {
	const labels = object.metadata?.labels ?? {};
	return (key: string) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
}

/** Field selectors read a dotted path (`metadata.name`, `involvedObject.uid`, `status.phase`). */
export function fieldLookup(object: unknown) {
	return (path: string): string | undefined => {
		let value: unknown = object;
		for (const part of path.split('.')) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as Record<string, unknown>)[part];
		}
		if (value === undefined || value === null) return '';
		return String(value);
	};
}

/** Whether an object is in a list's or a watch's namespace and matches its selectors. */
export function matchesFilter(
	object: {metadata: {namespace?: string; labels?: Record<string, string>}},
	filter: {namespace?: string; labelSelector?: Selector; fieldSelector?: Selector},
): boolean {
	if (filter.namespace && object.metadata.namespace !== filter.namespace) return false;
	if (filter.labelSelector && !filter.labelSelector(labelLookup(object))) return false;
	if (filter.fieldSelector && !filter.fieldSelector(fieldLookup(object))) return false;
	return true;
}

/** Whether a matchLabels map (a Service selector, a Deployment's selector) selects these labels. */
export function matchesLabels(
	selector: Record<string, string> | undefined,
	labels: Record<string, string> | undefined,
): boolean {
	if (!selector || Object.keys(selector).length === 0) return false;
	return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}
