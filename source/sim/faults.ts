import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError, errors} from './errors.js';
import {queryBool} from './request-options.js';
import {objectOfPath} from './targets.js';

/**
 * A failure to inject into the sim's API for tests and drills: an error status, a delay, a
 * dropped connection (before the request is handled), a lost answer (the request is handled,
 * then the connection is cut before the answer leaves: a write that landed though its client
 * never heard so), a hang, or a 410 to watch resumes, for requests whose method and path match,
 * a share of them, a number of times or forever.
 */
export type Fault = {
	/** One method or several; none: every method. */
	method?: string | string[];
	/** A path prefix, or a pattern the path must match. */
	path?: string | RegExp;
	status?: number;
	message?: string;
	/** With 429 or 503: the Retry-After header and the Status' `details.retryAfterSeconds`. */
	retryAfterSeconds?: number;
	delayMs?: number;
	dropConnection?: boolean;
	loseAnswer?: boolean;
	/** Accepts the request and never answers, until the sim stops or restarts. */
	hang?: boolean;
	/**
	 * Matches only watch resumes (a watch with a resourceVersion), answered as the apiserver
	 * answers a version it no longer has: a 200 stream whose one event is a 410 Expired ERROR.
	 */
	expireResumes?: boolean;
	/** 0..1: the share of matching requests it hits (by the sim's random); the rest pass. */
	share?: number;
	/**
	 * Only delays, and its delay adds to the next fault that hits the same request instead of
	 * being all that happens to it (a latency rule beside an error rule: slow, sometimes failing).
	 */
	compose?: boolean;
	/** How many hits it has left; none: forever. */
	times?: number;
	/** The rule it came from, as typed in a fault spec (`cutover sim --faults`): for the log. */
	rule?: string;
};

/** What the server does with a request after its faults: answer it, or not. */
export type FaultOutcome = 'go' | 'dropped' | 'lose' | 'hang' | 'expire';

export type FaultsOptions = {
	/** Uniform in [0, 1): decides which requests a share hits (`seededRandom` for repeatable runs). */
	random?: () => number;
	/** Told of each fault that hits a request (the sim's --verbose log). */
	log?: (line: string) => void;
};

const reasons: Record<number, string> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	405: 'MethodNotAllowed',
	409: 'Conflict',
	410: 'Expired',
	413: 'RequestEntityTooLarge',
	415: 'UnsupportedMediaType',
	422: 'Invalid',
	429: 'TooManyRequests',
	500: 'InternalError',
	503: 'ServiceUnavailable',
	504: 'Timeout',
};

/** A small seedable generator (mulberry32): the same seed, the same requests hit. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A watch that resumes from a version (0 and none mean "from now", not a resume). */
export function isWatchResume(url: string | undefined): boolean {
	const query = new URL(url ?? '/', 'http://sim').searchParams;
	const version = query.get('resourceVersion');
	return queryBool(new URL(url ?? '/', 'http://sim'), 'watch') && !!version && version !== '0';
}

function describe(fault: Fault): string {
	if (fault.rule) return `"${fault.rule}"`;
	const parts = Object.entries(fault)
		.filter(([key]) => key !== 'times')
		.map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(',') : String(value)}`);
	return `{${parts.join(', ')}}`;
}

/** The Status a fault answers with, as the real apiserver words it where it has a word. */
function statusError(fault: Fault, path: string): ApiError {
	const status = fault.status!;
	const reason = reasons[status] ?? 'InternalError';
	const retry = fault.retryAfterSeconds;
	const details = retry !== undefined ? {retryAfterSeconds: retry} : undefined;
	if (fault.message) return new ApiError(status, reason, fault.message, details);
	const object = status === 409 ? objectOfPath(path) : undefined;
	if (object) {
		const conflict = errors.conflict(object.type, object.name);
		return new ApiError(409, 'Conflict', conflict.message, {...conflict.details, ...details});
	}
	const message =
		status === 429 ? 'Too many requests, please try again later.' : `injected fault: ${reason}`;
	return new ApiError(status, reason, message, details);
}

export class Faults {
	private readonly active: Fault[] = [];
	private readonly random: () => number;
	private readonly log: ((line: string) => void) | undefined;

	constructor(options: FaultsOptions = {}) {
		this.random = options.random ?? Math.random;
		this.log = options.log;
	}

	add(fault: Fault): void {
		if (fault.share !== undefined && !(fault.share >= 0 && fault.share <= 1))
			throw new Error(`a fault's share is 0..1, not ${fault.share}`);
		if (fault.retryAfterSeconds !== undefined && fault.status !== 429 && fault.status !== 503)
			throw new Error('retryAfterSeconds goes with status 429 or 503 only');
		this.active.push({...fault});
	}

	clear(): void {
		this.active.length = 0;
	}

	private matches(fault: Fault, method: string, path: string, resume: boolean): boolean {
		const methods = fault.method === undefined ? [] : [fault.method].flat();
		if (methods.length > 0 && !methods.some((m) => m.toUpperCase() === method)) return false;
		if (typeof fault.path === 'string' && !path.startsWith(fault.path)) return false;
		if (fault.path instanceof RegExp && !fault.path.test(path)) return false;
		if (fault.expireResumes && !resume) return false;
		return true;
	}

	/**
	 * The faults that hit a request, in order: composing ones (delays), then at most one that
	 * decides its answer. A fault whose share misses lets the request meet the next one.
	 */
	private take(method: string, path: string, resume: boolean): Fault[] {
		const hits: Fault[] = [];
		for (const fault of [...this.active]) {
			if (!this.matches(fault, method, path, resume)) continue;
			if (fault.share !== undefined && fault.share < 1 && !(this.random() < fault.share)) continue;
			if (fault.times !== undefined && --fault.times <= 0)
				this.active.splice(this.active.indexOf(fault), 1);
			hits.push(fault);
			if (!fault.compose) break;
		}
		return hits;
	}

	/**
	 * Applies the faults that hit a request (their delays, then the first that decides): 'dropped'
	 * when the connection was cut before handling, 'lose' when the request is to be handled and
	 * its answer lost, 'hang' when it is never to be answered, 'expire' when a watch resume is to
	 * be answered 410 Expired, else 'go'. An error status is thrown as its ApiError.
	 */
	async apply(request: IncomingMessage, path: string): Promise<FaultOutcome> {
		const method = request.method ?? 'GET';
		const hits = this.take(method, path, isWatchResume(request.url));
		if (hits.length === 0) return 'go';
		for (const fault of hits) this.log?.(`fault ${describe(fault)} hits ${method} ${path}`);
		const delay = hits.reduce((sum, fault) => sum + (fault.delayMs ?? 0), 0);
		if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
		const fault = hits.at(-1)!;
		if (fault.compose) return 'go';
		if (fault.dropConnection) {
			request.socket.destroy();
			return 'dropped';
		}
		if (fault.hang) return 'hang';
		if (fault.expireResumes) return 'expire';
		if (fault.status) throw statusError(fault, path);
		return fault.loseAnswer ? 'lose' : 'go';
	}
}

/** Lets the request be handled, then cuts the connection where its answer would have been sent. */
export function loseAnswer(
	request: IncomingMessage,
	response: ServerResponse,
	said: () => void,
): void {
	let done = false;
	const cut = () => {
		if (!done) said();
		done = true;
		request.socket.destroy();
		return response;
	};
	response.writeHead = cut as unknown as ServerResponse['writeHead'];
	response.write = cut as unknown as ServerResponse['write'];
	response.end = cut as unknown as ServerResponse['end'];
}
