/**
 * The text form of the sim's faults (`cutover sim --faults SPEC`, `startSim({faults: SPEC})`):
 * rules separated by `;`, each a few words, read into Faults the API server applies per request
 * and timers that drop watches or restart the sim. The table below is also the help's text.
 */
import type {Fault} from './faults.js';
import {labelFormat} from './name-rules.js';

export type FaultTimer = {
	rule: string;
	action: 'drop-watches' | 'restart';
	/** The first run, ms after the start; else one period in. */
	afterMs?: number;
	/** The period, ms; none: once. */
	everyMs?: number;
};

export type FaultPlan = {
	/** The rules as typed, trimmed. */
	rules: string[];
	faults: Fault[];
	timers: FaultTimer[];
	seed?: number;
};

/** A spec refused, naming the rule as typed and what is wrong with it. */
export class FaultSpecError extends Error {
	override name = 'FaultSpecError';
	constructor(
		readonly rule: string | undefined,
		readonly problem: string,
	) {
		super(`faults: ${rule === undefined ? '' : `"${rule}": `}${problem}`);
	}
}

/**
 * Every rule: its form and what it does (cutover sim --help prints these). MATCH is what every
 * request rule may add, in any order: [N%] [METHOD...] [/PATH] [once | N times].
 */
export const faultRules = [
	['error STATUS [MATCH]', 'answer with STATUS (400-599); 429 and 503 take retry-after 3s'],
	['latency DURATION [MATCH]', 'answer late (adds to the rule that answers, if one does)'],
	['throttle [retry-after 3s] [MATCH]', '429 TooManyRequests, its Retry-After 1s unless given'],
	['conflict [MATCH]', '409 Conflict, on PUT, PATCH and DELETE unless methods are given'],
	['expire-resumes [N%] [/PATH]', '410 Expired to watches resuming from a resourceVersion'],
	['hang [MATCH]', 'accept and never answer (until the sim stops or restarts)'],
	['lose-answer [MATCH]', 'handle the request, then cut the connection: no answer'],
	['drop-connection [MATCH]', 'cut the connection before the request is handled'],
	['drop-watches every DURATION', 'end every open watch, every DURATION'],
	['restart every|after DURATION', 'as if killed and restarted: connections cut, the scenario'],
	['', 'reloaded, resourceVersions starting over (after D every D: both)'],
	['prometheus [NS/NAME] slow DURATION [N%]', 'the Prometheus Service behind the service proxy'],
	['prometheus [NS/NAME] hang|error STATUS [N%]', '(by default every Service named prometheus*)'],
	['seed N', 'the seed of the random that picks the share of requests hit'],
] as const;

const kinds = [
	'error',
	'latency',
	'throttle',
	'conflict',
	'expire-resumes',
	'hang',
	'lose-answer',
	'drop-connection',
	'drop-watches',
	'restart',
	'prometheus',
	'seed',
];
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const writes = ['PUT', 'PATCH', 'DELETE'];
const durationHint = 'give one like 500ms, 3s or 2m';
const minimumPeriodMs = 100;

/** `500ms`, `3s`, `1.5s`, `2m`, `1h` as milliseconds; undefined when it is none of these. */
export function parseDuration(word: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(word);
	if (!match) return undefined;
	const scale = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[match[2] as 'ms' | 's' | 'm' | 'h'];
	return Number(match[1]) * scale;
}

/** One rule's words, read left to right; `fail` names the rule as typed. */
class Words {
	private at = 0;
	constructor(
		readonly rule: string,
		private readonly words: string[],
	) {}

	next(): string | undefined {
		return this.words[this.at++];
	}

	fail(problem: string): never {
		throw new FaultSpecError(this.rule, problem);
	}

	duration(word: string | undefined, missing: string): number {
		if (word === undefined) this.fail(missing);
		const ms = parseDuration(word);
		if (ms === undefined || ms <= 0) this.fail(`"${word}" is not a duration; ${durationHint}`);
		return ms;
	}

	status(word: string | undefined, missing: string): number {
		if (word === undefined) this.fail(missing);
		const status = Number(word);
		if (!/^\d+$/.test(word) || status < 400 || status > 599)
			this.fail(`${word} is not an HTTP error status; give 400-599`);
		return status;
	}
}

type Tail = {
	share?: number;
	methods: string[];
	path?: string;
	retryAfterSeconds?: number;
	times?: number;
};
type Allowed = {
	methods?: boolean;
	path?: boolean;
	retryAfter?: boolean;
	/** Why a method is refused, when methods are not allowed. */
	noMethod?: string;
};

function list(items: string[]): string {
	return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)}` : items[0]!;
}

/** What may follow a rule's own words: a share, methods, a path, retry-after, a count. */
function tail(words: Words, allowed: Allowed): Tail {
	const found: Tail = {methods: []};
	const accepted = [
		'a share (10%)',
		...(allowed.methods ? ['methods (GET, PATCH ...)'] : []),
		...(allowed.path ? ['a path (/apis/apps)'] : []),
		...(allowed.retryAfter ? ['retry-after 3s'] : []),
		'once',
		'N times',
	];
	for (let word = words.next(); word !== undefined; word = words.next()) {
		if (word.endsWith('%')) {
			const percent = Number(word.slice(0, -1));
			if (!/^\d+(\.\d+)?%$/.test(word) || percent <= 0 || percent > 100)
				words.fail(`${word} is not a share; give more than 0% and at most 100%`);
			if (found.share !== undefined) words.fail('gives two shares; give one');
			found.share = percent / 100;
		} else if (allowed.methods && methods.includes(word)) {
			if (!found.methods.includes(word)) found.methods.push(word);
		} else if (methods.includes(word.toUpperCase()) && word !== word.toUpperCase()) {
			words.fail(`"${word}" is not a method: methods are uppercase; give ${word.toUpperCase()}`);
		} else if (allowed.path && word.startsWith('/')) {
			if (word.includes('?'))
				words.fail(`${word}: a path is matched without its query; give it up to "?"`);
			if (found.path !== undefined) words.fail('gives two paths; give one');
			found.path = word;
		} else if (allowed.retryAfter && word === 'retry-after') {
			const ms = words.duration(words.next(), `retry-after needs a duration; ${durationHint}`);
			if (ms < 1000 || ms % 1000 !== 0)
				words.fail('Retry-After is whole seconds; give 1s or more, like retry-after 3s');
			found.retryAfterSeconds = ms / 1000;
		} else if (word === 'once') {
			found.times = 1;
		} else if (/^\d+$/.test(word) && Number(word) >= 1) {
			if (words.next() !== 'times')
				words.fail(`"${word}" is not understood here; give ${list(accepted)}`);
			found.times = Number(word);
		} else if (methods.includes(word) && allowed.noMethod) {
			words.fail(`${allowed.noMethod}; give no method`);
		} else {
			words.fail(`"${word}" is not understood here; give ${list(accepted)}`);
		}
	}
	return found;
}

/** A path prefix of whole segments: `/api` matches `/api/v1/...`, never `/apis`. */
function pathPrefix(path: string): RegExp {
	const escaped = path.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^${escaped}(?:/|$)`);
}

/** The Fault fields a tail sets. */
function matching(found: Tail, rule: string): Fault {
	return {
		rule,
		...(found.methods.length === 1 ? {method: found.methods[0]!} : {}),
		...(found.methods.length > 1 ? {method: found.methods} : {}),
		...(found.path ? {path: pathPrefix(found.path)} : {}),
		...(found.share !== undefined ? {share: found.share} : {}),
		...(found.times !== undefined ? {times: found.times} : {}),
	};
}

const anyRequest: Allowed = {methods: true, path: true};

/** A Service's proxy path: one named NS/NAME, else any Service whose name starts with prometheus. */
function prometheusPath(service: string | undefined): RegExp {
	const [namespace, name] = service ? service.split('/') : ['[^/]+', 'prometheus[^/:]*'];
	return new RegExp(
		`^/api/v1/namespaces/${namespace}/services/(?:https?:)?${name}(?::[^/]*)?/proxy(?:/|$)`,
	);
}

function prometheusRule(words: Words): Fault {
	let word = words.next();
	let service: string | undefined;
	const label = labelFormat;
	// NS/NAME, or NS/NAME:PORT as --prometheus-service takes it (any port of it matches).
	if (word && new RegExp(`^${label}/${label}(:[a-z0-9-]+)?$`).test(word)) {
		service = word.split(':')[0];
		word = words.next();
	}
	const wanted = 'give prometheus [NS/NAME] slow DURATION, hang or error STATUS';
	let fault: Fault;
	if (word === 'slow')
		fault = {
			delayMs: words.duration(words.next(), `slow needs a duration; ${durationHint}`),
			compose: true,
		};
	else if (word === 'hang') fault = {hang: true};
	else if (word === 'error')
		fault = {status: words.status(words.next(), 'error needs a status; give 400-599')};
	else if (word === undefined) words.fail(`needs a fault; ${wanted}`);
	else words.fail(`"${word}" is not a Prometheus fault; ${wanted}`);
	return {
		...fault,
		...matching(tail(words, {noMethod: 'a Prometheus fault takes every method'}), words.rule),
		path: prometheusPath(service),
	};
}

function timerRule(words: Words, action: FaultTimer['action']): FaultTimer {
	const timer: FaultTimer = {rule: words.rule, action};
	const usage =
		action === 'restart'
			? 'give every DURATION or after DURATION, like restart every 2m'
			: 'give every DURATION, like drop-watches every 30s';
	for (let word = words.next(); word !== undefined; word = words.next()) {
		const key =
			word === 'every'
				? 'everyMs'
				: word === 'after' && action === 'restart'
					? 'afterMs'
					: undefined;
		if (!key) words.fail(`"${word}" is not understood here; ${usage}`);
		if (timer[key] !== undefined) words.fail(`gives ${word} twice; give it once`);
		const next = words.next();
		const ms = words.duration(next, `${word} needs a duration; ${durationHint}`);
		if (ms < minimumPeriodMs) words.fail(`${next} is too soon; give ${minimumPeriodMs}ms or more`);
		timer[key] = ms;
	}
	if (timer.everyMs === undefined && timer.afterMs === undefined)
		words.fail(`needs ${action === 'restart' ? 'every or after' : 'every'}; ${usage}`);
	return timer;
}

/** The Fault of a per-request rule, by its first word. */
function requestRule(kind: string, words: Words): Fault {
	const rule = words.rule;
	switch (kind) {
		case 'error': {
			const status = words.status(
				words.next(),
				'needs a status; give error STATUS (400-599), like error 503 10%',
			);
			const found = tail(words, {...anyRequest, retryAfter: true});
			if (found.retryAfterSeconds !== undefined && status !== 429 && status !== 503)
				words.fail('retry-after goes with 429 or 503 only');
			const retry = found.retryAfterSeconds;
			return {
				status,
				...(retry !== undefined ? {retryAfterSeconds: retry} : {}),
				...matching(found, rule),
			};
		}
		case 'latency': {
			const delayMs = words.duration(
				words.next(),
				'needs a duration; give latency DURATION, like latency 500ms',
			);
			return {delayMs, compose: true, ...matching(tail(words, anyRequest), rule)};
		}
		case 'throttle': {
			const found = tail(words, {...anyRequest, retryAfter: true});
			return {
				status: 429,
				retryAfterSeconds: found.retryAfterSeconds ?? 1,
				...matching(found, rule),
			};
		}
		case 'conflict': {
			const found = tail(words, anyRequest);
			const read = found.methods.find((method) => !writes.includes(method));
			if (read)
				words.fail(`a ${read} cannot conflict; give PUT, PATCH or DELETE (or none: all three)`);
			if (found.methods.length === 0) found.methods = [...writes];
			return {status: 409, ...matching(found, rule)};
		}
		case 'expire-resumes':
			return {
				expireResumes: true,
				...matching(tail(words, {path: true, noMethod: 'a watch resume is a GET'}), rule),
				method: 'GET',
			};
		case 'hang':
			return {hang: true, ...matching(tail(words, anyRequest), rule)};
		case 'lose-answer':
			return {loseAnswer: true, ...matching(tail(words, anyRequest), rule)};
		default:
			return {dropConnection: true, ...matching(tail(words, anyRequest), rule)};
	}
}

/** Reads a spec; throws FaultSpecError naming the first rule that is wrong and how. */
export function parseFaultSpec(spec: string): FaultPlan {
	const plan: FaultPlan = {rules: [], faults: [], timers: []};
	for (const rule of spec.split(';').map((r) => r.trim())) {
		if (rule === '') continue;
		plan.rules.push(rule);
		const words = new Words(rule, rule.split(/\s+/).slice(1));
		const kind = rule.split(/\s+/)[0]!;
		if (!kinds.includes(kind)) words.fail(`"${kind}" is not a fault; give one of ${list(kinds)}`);
		if (kind === 'drop-watches' || kind === 'restart') plan.timers.push(timerRule(words, kind));
		else if (kind === 'prometheus') plan.faults.push(prometheusRule(words));
		else if (kind === 'seed') {
			const word = words.next();
			if (word === undefined || !/^\d+$/.test(word) || words.next() !== undefined)
				words.fail(
					`${word === undefined ? 'needs a seed' : `"${word}" is not a seed`}; give a whole number, like seed 42`,
				);
			plan.seed = Number(word);
		} else plan.faults.push(requestRule(kind, words));
	}
	if (plan.rules.length === 0)
		throw new FaultSpecError(
			undefined,
			'no rules; give rules separated by ";", like "error 503 10%; latency 2s"',
		);
	return plan;
}
