import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {
	checkInterval,
	defaultTemplates,
	fill,
	loadTemplates,
	placeholderValues,
	regexLiteral,
	seriesMatches,
	TemplateError,
	trackOfSeries,
	validateTemplates,
} from '../../source/metrics/presets.js';
import {histogramQuantile} from '../../source/metrics/quantile.js';
import {reasonOf} from '../../source/metrics/reasons.js';
import {myapp, shopApp, shopNginx, strangers} from './targets.js';

const app = defaultTemplates.app!;
const nginx = defaultTemplates.nginx!;

function templateFile(text: string): string {
	const file = join(mkdtempSync(join(tmpdir(), 'cutover-templates-')), 'metrics.yaml');
	writeFileSync(file, text);
	return file;
}

describe('filling templates', () => {
	it('puts every target of a preset in one query as regex alternations', () => {
		const values = placeholderValues([myapp, shopApp, ...strangers('app', 2)], '10s');
		const query = fill(app.rate, values);
		expect(query).toBe(
			'sum by (namespace, app, version) (rate(http_requests_total{namespace=~"default|shop|team-0|team-1",app=~"myapp|shop|svc-0|svc-1",version=~"blue|canary|green|stable|v1|v2"}[10s]))',
		);
	});

	it('escapes regex metacharacters, then backslashes for the PromQL string', () => {
		expect(regexLiteral('a.b')).toBe('a\\\\.b');
		expect(regexLiteral('x|y(1)"')).toBe('x\\\\|y\\\\(1\\\\)\\"');
		const values = placeholderValues([{...myapp, tracks: [{key: 'blue', series: 'v1.2'}]}], '1m');
		expect(fill('{{track}}', values)).toBe('v1\\\\.2');
	});

	it('matches anything for a target without the value, rather than dropping it', () => {
		const withoutApp = {...myapp, labels: {}};
		expect(placeholderValues([withoutApp, shopApp], '1m').app).toBe('.*');
	});

	it('takes {{ name }} with spaces, as Flagger writes them', () => {
		expect(
			fill('x{namespace="{{ namespace }}"}[{{interval}}]', placeholderValues([myapp], '30s')),
		).toBe('x{namespace="default"}[30s]');
	});

	it('keeps the error ratio defined without any 5xx and takes p99 from the histogram', () => {
		expect(nginx.errorRatio).toContain(' or sum by (namespace, ingress, canary)');
		expect(nginx.errorRatio).toContain('* 0) /');
		expect(nginx.p99).toMatch(
			/^histogram_quantile\(0\.99, sum by \(namespace, ingress, canary, le\) \(rate\(nginx_ingress_controller_request_duration_seconds_bucket/,
		);
		expect(app.p99).toContain('http_request_duration_seconds_bucket');
	});

	it('reads tracks from result labels: version for app, canary "" = stable for nginx', () => {
		expect(trackOfSeries(app, {version: 'blue'})).toBe('blue');
		expect(trackOfSeries(nginx, {})).toBe('stable');
		expect(trackOfSeries(nginx, {canary: 'shop-shop-canary-80'})).toBe('canary');
		expect(seriesMatches(shopNginx, nginx, {namespace: 'shop', ingress: 'shop'})).toBe(true);
		expect(seriesMatches(shopNginx, nginx, {namespace: 'shop', ingress: 'other'})).toBe(false);
		expect(seriesMatches(myapp, app, {namespace: 'shop', app: 'myapp'})).toBe(false);
	});

	it('accepts only Prometheus durations as the interval', () => {
		expect(checkInterval('1m30s')).toBe('1m30s');
		expect(() => checkInterval('1 minute')).toThrow(TemplateError);
		expect(() => checkInterval('1m"}')).toThrow(/not a Prometheus duration/);
	});
});

describe('loading templates from a file', () => {
	it('overrides some questions and keeps the defaults for the rest', () => {
		const file = templateFile(
			'nginx:\n  p99: histogram_quantile(0.99, sum by (namespace, ingress, canary, le) (rate(x_bucket{namespace=~"{{ namespace }}"}[{{interval}}])))\n',
		);
		const templates = loadTemplates(file);
		expect(templates.nginx?.p99).toContain('x_bucket');
		expect(templates.nginx?.rate).toBe(nginx.rate);
		expect(templates.app).toEqual(defaultTemplates.app);
		// The track label is not overridden, so ingress-nginx's "" = stable still holds.
		expect(templates.nginx?.trackPresence).toEqual({unset: 'stable', set: 'canary'});
	});

	it('reads a track label of its own as values, not as canary or not', () => {
		const templates = loadTemplates(templateFile('nginx:\n  trackLabel: upstream\n'));
		expect(templates.nginx?.trackPresence).toBeUndefined();
		expect(trackOfSeries(templates.nginx!, {upstream: 'shop-v2'})).toBe('shop-v2');
	});

	it('names the file and the unknown placeholder', () => {
		const file = templateFile(
			'app:\n  rate: sum(rate(x{namespace="{{nmespace}}"}[{{interval}}]))\n',
		);
		expect(() => loadTemplates(file)).toThrow(TemplateError);
		expect(() => loadTemplates(file)).toThrow(
			`metrics templates ${file}: app.rate: unknown placeholder {{nmespace}}`,
		);
	});

	it('names an unknown preset or question', () => {
		expect(() => loadTemplates(templateFile('istio:\n  rate: x\n'))).toThrow(
			/unknown preset "istio" \(presets are app, nginx,/,
		);
		// Only the presets of the base there are.
		expect(() => loadTemplates(templateFile('nginx:\n  rate: x\n'), {app})).toThrow(
			/unknown preset "nginx" \(presets are app,/,
		);
		expect(() => loadTemplates(templateFile('[]\n'), {app})).toThrow(
			/must be a mapping of presets \(app\)/,
		);
		expect(() => loadTemplates(templateFile('app:\n  p95: x\n'))).toThrow(
			/metrics templates .*metrics\.yaml: app: unknown key "p95"/,
		);
		expect(() => loadTemplates(templateFile('app:\n  rate: 3\n'))).toThrow(
			/app\.rate: must be a string/,
		);
	});

	it('names a missing or broken file', () => {
		expect(() => loadTemplates('/nonexistent/metrics.yaml')).toThrow(
			/metrics templates \/nonexistent\/metrics\.yaml: ENOENT/,
		);
		expect(() => loadTemplates(templateFile('app: [\n'))).toThrow(
			/metrics templates .*metrics\.yaml/,
		);
	});

	it('catches stray braces and bad track labels', () => {
		expect(() =>
			validateTemplates({
				...defaultTemplates,
				app: {...app, rate: 'x{{namespace}'},
			}),
		).toThrow(/app\.rate: unbalanced/);
		expect(() =>
			validateTemplates({...defaultTemplates, app: {...app, trackLabel: 'a-b'}}),
		).toThrow(/app\.trackLabel/);
	});
});

describe('histogram_quantile as Prometheus computes it', () => {
	const bounds = [0.1, 0.2, 0.5];
	it('interpolates linearly inside the bucket the rank falls in', () => {
		// 100 observations: 50 <= 0.1, 40 in (0.1, 0.2], 10 in (0.2, 0.5]: rank 99 is 9/10 into the last.
		expect(histogramQuantile(0.99, bounds, [50, 40, 10, 0])).toBeCloseTo(0.2 + 0.3 * 0.9, 10);
		expect(histogramQuantile(0.5, bounds, [50, 40, 10, 0])).toBeCloseTo(0.1, 10);
		expect(histogramQuantile(0.25, bounds, [50, 40, 10, 0])).toBeCloseTo(0.05, 10);
	});
	it('answers a rank in +Inf with the highest finite bound, and nothing with NaN', () => {
		expect(histogramQuantile(0.99, bounds, [0, 0, 0, 5])).toBe(0.5);
		expect(histogramQuantile(0.99, bounds, [0, 0, 0, 0])).toBeNaN();
	});
});

describe('failure reasons', () => {
	it('says unreachable when nothing answered, query failed when Prometheus refused', () => {
		expect(reasonOf({errorType: 'network_error', error: 'connect ECONNREFUSED 127.0.0.1:9'})).toBe(
			'prometheus unreachable: connect ECONNREFUSED 127.0.0.1:9',
		);
		expect(
			reasonOf({
				errorType: 'http_error',
				httpStatus: 400,
				error: 'parse error at char 5',
				prometheus: {error: 'parse error at char 5'},
			}),
		).toBe('query failed: parse error at char 5');
		expect(
			reasonOf({
				errorType: 'http_error',
				httpStatus: 503,
				error: 'Service Unavailable',
				prometheus: {kind: 'Status', message: 'error trying to reach service: dial tcp: refused'},
			}),
		).toBe('prometheus unreachable: error trying to reach service: dial tcp: refused');
	});
});
