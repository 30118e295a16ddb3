/**
 * PromQL templates per preset and question. One query per question answers every target of a
 * preset at once: the placeholders are filled with regex alternations of all targets' values and
 * the result is grouped by namespace and the track label, then split per target here.
 */
import {readFileSync} from 'node:fs';
import {parse} from 'yaml';
import * as z from 'zod';
import type {MetricsTarget} from '../core/metrics.js';

export type Question = 'rate' | 'errorRatio' | 'p99';
export const questions: Question[] = ['rate', 'errorRatio', 'p99'];

export const placeholders = ['namespace', 'app', 'track', 'ingress', 'interval'] as const;
export type Placeholder = (typeof placeholders)[number];

export type PresetTemplates = Record<Question, string> & {
	/** The label whose value tells the track: `version` (app) or `canary` (nginx). */
	trackLabel: string;
	/**
	 * When the track label only says whether a series is the candidate's (ingress-nginx's
	 * `canary` holds an upstream name, or ""): the track keys for unset and set.
	 */
	trackPresence?: {unset: string; set: string};
	/** The placeholder whose value scopes a target's series (its app, its Ingress). */
	scope: Placeholder;
};
/** Presets by id: what a rollout's `metrics.preset` and a track's `series` name. */
export type Templates = Record<string, PresetTemplates>;

export class TemplateError extends Error {
	override name = 'TemplateError';
}

const appSelector = 'namespace=~"{{namespace}}",app=~"{{app}}",version=~"{{track}}"';
const appBy = 'sum by (namespace, app, version)';
const appRate = `rate(http_requests_total{${appSelector}}[{{interval}}])`;
const appErrors = `rate(http_requests_total{${appSelector},status_code=~"5.."}[{{interval}}])`;

const nginxSelector = 'namespace=~"{{namespace}}",ingress=~"{{ingress}}"';
const nginxBy = 'sum by (namespace, ingress, canary)';
const nginxRate = `rate(nginx_ingress_controller_requests{${nginxSelector}}[{{interval}}])`;
const nginxErrors = `rate(nginx_ingress_controller_requests{${nginxSelector},status=~"5.."}[{{interval}}])`;

// The error ratio's numerator falls back to 0 x the rate so a track without any 5xx reads 0,
// not "no data" (a missing series would hide a healthy track).
export const defaultTemplates: Templates = {
	app: {
		trackLabel: 'version',
		scope: 'app',
		rate: `${appBy} (${appRate})`,
		errorRatio: `(${appBy} (${appErrors}) or ${appBy} (${appRate}) * 0) / ${appBy} (${appRate})`,
		p99: `histogram_quantile(0.99, sum by (namespace, app, version, le) (rate(http_request_duration_seconds_bucket{${appSelector}}[{{interval}}])))`,
	},
	nginx: {
		trackLabel: 'canary',
		trackPresence: {unset: 'stable', set: 'canary'},
		scope: 'ingress',
		rate: `${nginxBy} (${nginxRate})`,
		errorRatio: `(${nginxBy} (${nginxErrors}) or ${nginxBy} (${nginxRate}) * 0) / ${nginxBy} (${nginxRate})`,
		// A real quantile from ingress-nginx's histogram, where Flagger divides _sum by _count.
		p99: `histogram_quantile(0.99, sum by (namespace, ingress, canary, le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{${nginxSelector}}[{{interval}}])))`,
	},
};

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The problems of one template: unknown placeholders and stray braces. */
function problemsOf(template: string): string[] {
	const problems: string[] = [];
	for (const match of template.matchAll(placeholderPattern)) {
		const name = match[1] ?? '';
		if (!(placeholders as readonly string[]).includes(name)) {
			problems.push(
				`unknown placeholder {{${name}}} (known: ${placeholders.map((p) => `{{${p}}}`).join(' ')})`,
			);
		}
	}
	const rest = template.replace(placeholderPattern, '');
	if (rest.includes('{{') || rest.includes('}}'))
		problems.push('unbalanced "{{" or "}}": placeholders are written {{name}}');
	return problems;
}

/** Throws a TemplateError naming where and what when a template set is unusable. */
export function validateTemplates(templates: Templates, source = 'the templates'): void {
	const problems: string[] = [];
	for (const [preset, set] of Object.entries(templates)) {
		for (const question of questions) {
			for (const problem of problemsOf(set[question])) {
				problems.push(`${source}: ${preset}.${question}: ${problem}`);
			}
		}
		if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(set.trackLabel))
			problems.push(`${source}: ${preset}.trackLabel: "${set.trackLabel}" is not a label name`);
	}
	if (problems.length > 0) throw new TemplateError(problems.join('\n'));
}

const presetFields = z.strictObject({
	trackLabel: z.string().optional(),
	rate: z.string().optional(),
	errorRatio: z.string().optional(),
	p99: z.string().optional(),
});
/** A file may override the presets there are, and only their questions and track label. */
function fileFields(base: Templates) {
	return z.strictObject(
		Object.fromEntries(Object.keys(base).map((id) => [id, presetFields.optional()])),
	);
}

function describeIssue(issue: z.core.$ZodIssue, base: Templates): string {
	const where = issue.path.map(String).join('.');
	const ids = Object.keys(base).join(', ');
	if (issue.code === 'unrecognized_keys') {
		const known =
			issue.path.length === 0 ? `presets are ${ids}` : `questions are ${questions.join(', ')}`;
		const key = issue.keys.join('", "');
		return `${where ? `${where}: ` : ''}unknown ${issue.path.length === 0 ? 'preset' : 'key'} "${key}" (${known}, trackLabel)`;
	}
	return `${where || 'the file'}: ${issue.path.length === 0 ? `must be a mapping of presets (${ids})` : 'must be a string'}`;
}

/**
 * Templates from a YAML file (`app:` / `nginx:` mappings of `rate`, `errorRatio`, `p99`,
 * `trackLabel`), over the defaults. Every mistake is a TemplateError naming the file.
 */
export function loadTemplates(file: string, base: Templates = defaultTemplates): Templates {
	let data: unknown;
	try {
		data = parse(readFileSync(file, 'utf8'));
	} catch (error) {
		throw new TemplateError(`metrics templates ${file}: ${(error as Error).message}`);
	}
	const parsed = fileFields(base).safeParse(data ?? {});
	if (!parsed.success) {
		throw new TemplateError(
			parsed.error.issues
				.map((i) => `metrics templates ${file}: ${describeIssue(i, base)}`)
				.join('\n'),
		);
	}
	const overrides = parsed.data as Record<string, Partial<PresetTemplates> | undefined>;
	const templates: Templates = Object.fromEntries(
		Object.entries(base).map(([id, preset]) => {
			const merged: PresetTemplates = {...preset, ...overrides[id]};
			// A track label of the user's own carries values, not the presence of a canary.
			if (merged.trackLabel !== preset.trackLabel) delete merged.trackPresence;
			return [id, merged];
		}),
	);
	validateTemplates(templates, `metrics templates ${file}`);
	return templates;
}

/** Escapes RE2 metacharacters, then what a double-quoted PromQL string needs. */
export function regexLiteral(value: string): string {
	const regex = value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
	return regex.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function alternation(values: Array<string | undefined>): string {
	// A target without the value matches any, so the query does not silently drop it.
	if (values.some((v) => v === undefined || v === '')) return '.*';
	return [...new Set(values as string[])].sort().map(regexLiteral).join('|');
}

/** The values each placeholder takes for a set of targets of one preset. */
export function placeholderValues(
	targets: MetricsTarget[],
	interval: string,
): Record<Placeholder, string> {
	return {
		namespace: alternation(targets.map((t) => t.namespace)),
		app: alternation(targets.map((t) => t.labels.app)),
		ingress: alternation(targets.map((t) => t.labels.ingress)),
		track: alternation(targets.flatMap((t) => t.tracks.map((track) => track.series))),
		interval,
	};
}

export function fill(template: string, values: Record<Placeholder, string>): string {
	return template.replace(
		placeholderPattern,
		(whole, name: string) => values[name as Placeholder] ?? whole,
	);
}

/** A Prometheus duration, checked before it goes into a query unescaped. */
export function checkInterval(interval: string): string {
	if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(interval))
		throw new TemplateError(
			`rate interval "${interval}" is not a Prometheus duration like 1m or 30s`,
		);
	return interval;
}

/** The track value a result series carries, by its labels: what a track's `series` holds. */
export function trackOfSeries(
	set: PresetTemplates,
	labels: Record<string, string | undefined>,
): string {
	const value = labels[set.trackLabel] ?? '';
	if (set.trackPresence) return value === '' ? set.trackPresence.unset : set.trackPresence.set;
	return value;
}

export function seriesMatches(
	target: MetricsTarget,
	set: PresetTemplates,
	labels: Record<string, string | undefined>,
) {
	const same = (label: string, want: string | undefined) =>
		want === undefined || labels[label] === undefined || labels[label] === want;
	return same('namespace', target.namespace) && same(set.scope, target.labels[set.scope]);
}
