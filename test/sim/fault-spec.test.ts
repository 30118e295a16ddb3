/**
 * The fault spec of `cutover sim --faults` and `startSim({faults})`: each rule form read into the
 * Faults and timers the sim runs, and each kind of mistake refused with its exact message.
 */
import {describe, expect, it} from 'vitest';
import {FaultSpecError, parseDuration, parseFaultSpec} from '../../source/sim/fault-spec.js';

const writes = ['PUT', 'PATCH', 'DELETE'];

function refusal(spec: string): FaultSpecError {
	try {
		parseFaultSpec(spec);
	} catch (error) {
		if (error instanceof FaultSpecError) return error;
		throw error;
	}
	throw new Error(`"${spec}" was not refused`);
}

describe('fault spec: the rule forms', () => {
	it.each([
		['error 503 10%', {status: 503, share: 0.1}],
		[
			'error 500 5% GET /apis/apps',
			{status: 500, share: 0.05, method: 'GET', path: /^\/apis\/apps(?:\/|$)/},
		],
		['error 503 GET PATCH', {status: 503, method: ['GET', 'PATCH']}],
		['error 503 retry-after 5s', {status: 503, retryAfterSeconds: 5}],
		['error 401 /api once', {status: 401, path: /^\/api(?:\/|$)/, times: 1}],
		['error 504 PATCH 3 times', {status: 504, method: 'PATCH', times: 3}],
		['latency 2s', {delayMs: 2000, compose: true}],
		[
			'latency 500ms PATCH /api/v1/namespaces/default/services',
			{
				delayMs: 500,
				compose: true,
				method: 'PATCH',
				path: /^\/api\/v1\/namespaces\/default\/services(?:\/|$)/,
			},
		],
		['latency 1.5s 50%', {delayMs: 1500, compose: true, share: 0.5}],
		['throttle 10% retry-after 3s', {status: 429, share: 0.1, retryAfterSeconds: 3}],
		['throttle', {status: 429, retryAfterSeconds: 1}],
		['conflict 20% PATCH', {status: 409, share: 0.2, method: 'PATCH'}],
		['conflict', {status: 409, method: writes}],
		['expire-resumes', {expireResumes: true, method: 'GET'}],
		[
			'expire-resumes 50% /api/v1/services',
			{expireResumes: true, method: 'GET', share: 0.5, path: /^\/api\/v1\/services(?:\/|$)/},
		],
		[
			'hang PATCH /api/v1/namespaces/default/services',
			{hang: true, method: 'PATCH', path: /^\/api\/v1\/namespaces\/default\/services(?:\/|$)/},
		],
		['lose-answer PATCH', {loseAnswer: true, method: 'PATCH'}],
		['drop-connection 25% GET', {dropConnection: true, share: 0.25, method: 'GET'}],
	])('%s', (rule, fault) => {
		const plan = parseFaultSpec(rule);
		expect(plan.faults).toEqual([{rule, ...fault}]);
		expect(plan.timers).toEqual([]);
	});

	it.each([
		['drop-watches every 30s', {action: 'drop-watches', everyMs: 30_000}],
		['restart every 2m', {action: 'restart', everyMs: 120_000}],
		['restart after 45s', {action: 'restart', afterMs: 45_000}],
		['restart after 10s every 1m', {action: 'restart', afterMs: 10_000, everyMs: 60_000}],
	])('%s', (rule, timer) => {
		expect(parseFaultSpec(rule)).toEqual({rules: [rule], faults: [], timers: [{rule, ...timer}]});
	});

	it('prometheus rules match the proxy paths of the Prometheus Service, and no other', () => {
		const [slow, hang, named, error] = parseFaultSpec(
			'prometheus slow 5s; prometheus hang 50%; prometheus monitoring/prom-k8s:9090 slow 1s; prometheus error 503',
		).faults;
		expect(slow).toMatchObject({delayMs: 5000, compose: true});
		expect(hang).toMatchObject({hang: true, share: 0.5});
		expect(error).toMatchObject({status: 503});
		const matches = (path: string) => (slow!.path as RegExp).test(path);
		expect(
			matches('/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query'),
		).toBe(true);
		expect(matches('/api/v1/namespaces/default/services/http:prometheus-server:80/proxy/')).toBe(
			true,
		);
		expect(matches('/api/v1/namespaces/default/services/prometheus/proxy')).toBe(true);
		expect(matches('/api/v1/namespaces/default/services/myapp/proxy/health')).toBe(false);
		expect(matches('/api/v1/namespaces/default/services/prometheus')).toBe(false);
		const named_ = (path: string) => (named!.path as RegExp).test(path);
		expect(named_('/api/v1/namespaces/monitoring/services/prom-k8s:web/proxy/api/v1/query')).toBe(
			true,
		);
		expect(named_('/api/v1/namespaces/default/services/prom-k8s:web/proxy/api/v1/query')).toBe(
			false,
		);
	});

	it('matches a path by whole segments: /api is not /apis', () => {
		const [fault] = parseFaultSpec('error 503 /api/v1/namespaces/default/services/myapp').faults;
		const path = fault!.path as RegExp;
		expect(path.test('/api/v1/namespaces/default/services/myapp')).toBe(true);
		expect(path.test('/api/v1/namespaces/default/services/myapp/status')).toBe(true);
		expect(path.test('/api/v1/namespaces/default/services/myapp-canary')).toBe(false);
		const api = parseFaultSpec('hang /api/').faults[0]!.path as RegExp;
		expect([api.test('/api'), api.test('/api/v1'), api.test('/apis/apps/v1')]).toEqual([
			true,
			true,
			false,
		]);
	});

	it('reads several rules, a seed, and skips empty ones', () => {
		const plan = parseFaultSpec(' error 503 10% ;; latency 2s;seed 42; drop-watches every 1s ;');
		expect(plan.rules).toEqual(['error 503 10%', 'latency 2s', 'seed 42', 'drop-watches every 1s']);
		expect(plan.faults.map((f) => f.rule)).toEqual(['error 503 10%', 'latency 2s']);
		expect(plan.timers.map((t) => t.rule)).toEqual(['drop-watches every 1s']);
		expect(plan.seed).toBe(42);
	});

	it('reads durations in ms, s, m and h', () => {
		expect([
			parseDuration('500ms'),
			parseDuration('3s'),
			parseDuration('2m'),
			parseDuration('1h'),
		]).toEqual([500, 3000, 120_000, 3_600_000]);
		expect(parseDuration('3')).toBeUndefined();
		expect(parseDuration('3 s')).toBeUndefined();
	});
});

describe('fault spec: mistakes, refused naming the rule and what to give', () => {
	it.each([
		['error 700 10%', '"error 700 10%": 700 is not an HTTP error status; give 400-599'],
		['error 200', '"error 200": 200 is not an HTTP error status; give 400-599'],
		['error', '"error": needs a status; give error STATUS (400-599), like error 503 10%'],
		['latency 2', '"latency 2": "2" is not a duration; give one like 500ms, 3s or 2m'],
		['latency 0s', '"latency 0s": "0s" is not a duration; give one like 500ms, 3s or 2m'],
		['latency', '"latency": needs a duration; give latency DURATION, like latency 500ms'],
		[
			'explode 5%',
			'"explode 5%": "explode" is not a fault; give one of error, latency, throttle, conflict, expire-resumes, hang, lose-answer, drop-connection, drop-watches, restart, prometheus or seed',
		],
		['error 503 150%', '"error 503 150%": 150% is not a share; give more than 0% and at most 100%'],
		['error 503 0%', '"error 503 0%": 0% is not a share; give more than 0% and at most 100%'],
		['error 503 10% 20%', '"error 503 10% 20%": gives two shares; give one'],
		['hang /api /apis', '"hang /api /apis": gives two paths; give one'],
		[
			'error 503 /api?watch=1',
			'"error 503 /api?watch=1": /api?watch=1: a path is matched without its query; give it up to "?"',
		],
		[
			'conflict patch',
			'"conflict patch": "patch" is not a method: methods are uppercase; give PATCH',
		],
		[
			'conflict GET',
			'"conflict GET": a GET cannot conflict; give PUT, PATCH or DELETE (or none: all three)',
		],
		[
			'latency 2s fast',
			'"latency 2s fast": "fast" is not understood here; give a share (10%), methods (GET, PATCH ...), a path (/apis/apps), once or N times',
		],
		[
			'hang 3',
			'"hang 3": "3" is not understood here; give a share (10%), methods (GET, PATCH ...), a path (/apis/apps), once or N times',
		],
		[
			'error 500 retry-after 3s',
			'"error 500 retry-after 3s": retry-after goes with 429 or 503 only',
		],
		[
			'throttle retry-after 500ms',
			'"throttle retry-after 500ms": Retry-After is whole seconds; give 1s or more, like retry-after 3s',
		],
		[
			'throttle retry-after',
			'"throttle retry-after": retry-after needs a duration; give one like 500ms, 3s or 2m',
		],
		['expire-resumes PATCH', '"expire-resumes PATCH": a watch resume is a GET; give no method'],
		[
			'drop-watches',
			'"drop-watches": needs every; give every DURATION, like drop-watches every 30s',
		],
		['drop-watches every 10ms', '"drop-watches every 10ms": 10ms is too soon; give 100ms or more'],
		[
			'drop-watches after 1s',
			'"drop-watches after 1s": "after" is not understood here; give every DURATION, like drop-watches every 30s',
		],
		[
			'restart',
			'"restart": needs every or after; give every DURATION or after DURATION, like restart every 2m',
		],
		['restart every 1m every 2m', '"restart every 1m every 2m": gives every twice; give it once'],
		['restart every', '"restart every": every needs a duration; give one like 500ms, 3s or 2m'],
		[
			'prometheus',
			'"prometheus": needs a fault; give prometheus [NS/NAME] slow DURATION, hang or error STATUS',
		],
		[
			'prometheus fast',
			'"prometheus fast": "fast" is not a Prometheus fault; give prometheus [NS/NAME] slow DURATION, hang or error STATUS',
		],
		['prometheus slow', '"prometheus slow": slow needs a duration; give one like 500ms, 3s or 2m'],
		[
			'prometheus hang GET',
			'"prometheus hang GET": a Prometheus fault takes every method; give no method',
		],
		['prometheus error 99', '"prometheus error 99": 99 is not an HTTP error status; give 400-599'],
		['seed x', '"seed x": "x" is not a seed; give a whole number, like seed 42'],
		['seed', '"seed": needs a seed; give a whole number, like seed 42'],
	])('%s', (spec, problem) => {
		const error = refusal(spec);
		expect(error.message).toBe(`faults: ${problem}`);
		expect(error.rule).toBe(spec);
	});

	it('names the rule that is wrong among good ones, as typed', () => {
		expect(() => parseFaultSpec('error 503 10%; latency  2x ; seed 1')).toThrow(
			'faults: "latency  2x": "2x" is not a duration; give one like 500ms, 3s or 2m',
		);
	});

	it('refuses a spec with no rules', () => {
		expect(() => parseFaultSpec(' ; ')).toThrow(
			'faults: no rules; give rules separated by ";", like "error 503 10%; latency 2s"',
		);
	});
});
