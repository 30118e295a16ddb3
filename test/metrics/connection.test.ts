import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingHttpHeaders} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {connect, PrometheusConfigError} from '../../source/metrics/connection.js';
import {PrometheusSource} from '../../source/metrics/prometheus.js';
import {myapp, track} from './targets.js';

function secret(text: string): string {
	const file = join(mkdtempSync(join(tmpdir(), 'cutover-secret-')), 'secret');
	writeFileSync(file, text);
	return file;
}

describe('reaching Prometheus', () => {
	it('refuses unusable options at start, without echoing secrets', () => {
		expect(() => connect({})).toThrow(PrometheusConfigError);
		expect(() => connect({url: 'http://a', service: 'm/p:9090'})).toThrow(/not both/);
		expect(() => connect({url: 'http://bob:hunter2@prom:9090'})).toThrow(
			/must not hold user:password/,
		);
		expect(() => connect({url: 'http://bob:hunter2@prom:9090'})).not.toThrow(/hunter2/);
		expect(() => connect({service: 'monitoring/prometheus:9090'})).toThrow(/needs a kubeconfig/);
		expect(() => connect({service: 'prometheus'})).toThrow(/NAMESPACE\/NAME:PORT/);
		expect(() => connect({url: 'http://prom', tokenFile: '/nonexistent/token'})).toThrow(
			/cannot read the Prometheus token file \/nonexistent\/token: ENOENT/,
		);
		expect(() => connect({url: 'http://prom', basicAuthFile: secret('no-colon')})).toThrow(
			/must hold user:password/,
		);
	});

	it('sends the token from the environment or a file, and basic auth from a file', async () => {
		const seen: IncomingHttpHeaders[] = [];
		const server = createServer((request, response) => {
			seen.push(request.headers);
			response.writeHead(200, {'Content-Type': 'application/json'});
			response.end(JSON.stringify({status: 'success', data: {resultType: 'matrix', result: []}}));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const w = {endMs: Date.now(), minutes: 1, stepSeconds: 10};
		try {
			await new PrometheusSource({url, env: {CUTOVER_PROMETHEUS_TOKEN: 'from-env'}}).fetch(
				[myapp],
				w,
			);
			await new PrometheusSource({url, tokenFile: secret('from-file\n')}).fetch([myapp], w);
			const [result] = await new PrometheusSource({url, basicAuthFile: secret('bob:pw\n')}).fetch(
				[myapp],
				w,
			);
			expect(seen.slice(0, 3).map((h) => h.authorization)).toEqual([
				'Bearer from-env',
				'Bearer from-env',
				'Bearer from-env',
			]);
			expect(seen[3]?.authorization).toBe('Bearer from-file');
			expect(seen[6]?.authorization).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
			// An empty answer is "no traffic", never zero.
			expect(track(result, 'blue').noData).toBe('no traffic');
			expect(track(result, 'blue').now.rps).toBeNull();
		} finally {
			server.close();
		}
	});

	it('fails a target of an unknown preset without querying for it', async () => {
		let requests = 0;
		const server = createServer((_request, response) => {
			requests++;
			response.writeHead(200, {'Content-Type': 'application/json'});
			response.end(JSON.stringify({status: 'success', data: {resultType: 'matrix', result: []}}));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const source = new PrometheusSource({url});
			const [istio, app] = await source.fetch([{...myapp, preset: 'istio'}, myapp], {
				endMs: Date.now(),
				minutes: 1,
				stepSeconds: 10,
			});
			const reason = 'no metrics preset "istio" (known: app, nginx)';
			expect(istio?.error).toBe(reason);
			expect(istio?.tracks.map((t) => t.noData)).toEqual([reason, reason]);
			// Only the app preset's three questions went out.
			expect(source.queriesMade).toBe(3);
			expect(requests).toBe(3);
			expect(app?.error).toBeUndefined();
			expect(track(app, 'blue').noData).toBe('no traffic');
		} finally {
			server.close();
		}
	});

	it('answers a query Prometheus rejects with its error, for every track', async () => {
		const server = createServer((_request, response) => {
			response.writeHead(400, {'Content-Type': 'application/json'});
			response.end(
				JSON.stringify({status: 'error', errorType: 'bad_data', error: 'parse error at char 3'}),
			);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const [result] = await new PrometheusSource({url}).fetch([myapp], {
				endMs: Date.now(),
				minutes: 1,
				stepSeconds: 10,
			});
			expect(result?.tracks.map((t) => t.noData)).toEqual([
				'query failed: parse error at char 3',
				'query failed: parse error at char 3',
			]);
		} finally {
			server.close();
		}
	});
});
