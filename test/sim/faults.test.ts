/**
 * The per-request faults of a spec (`startSim({faults})`), as a client sees them: plain fetch and
 * the real @kubernetes/client-node against an in-process sim on a free port.
 */
import {createServer, type Server} from 'node:http';
import {PatchStrategy, setHeaderOptions} from '@kubernetes/client-node';
import {afterEach, describe, expect, it} from 'vitest';
import {seededRandom} from '../../source/sim/faults.js';
import type {SimOptions} from '../../source/sim/index.js';
import {get} from '../helpers/sim-cluster.js';
import {type Any, apiError, type Client, connect, watch} from './client-node-helpers.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const services = '/api/v1/namespaces/default/services';
const configmaps = '/api/v1/namespaces/default/configmaps';

const open: Client[] = [];
/** The sim's log of the faults that hit (what --verbose prints), per test. */
let hits: string[] = [];
afterEach(async () => {
	hits = [];
	await Promise.all(open.splice(0).map((client) => client.sim.stop()));
});

async function simWith(faults: string, options: SimOptions = {}): Promise<Client> {
	const log = (line: string) => {
		if (line.startsWith('fault ')) hits.push(line);
	};
	const client = await connect({faults, trafficIntervalMs: 0, log, ...options});
	open.push(client);
	return client;
}

/** How long a call takes, in ms, and what it came to. */
async function timed<T>(call: () => Promise<T>): Promise<{ms: number; value: T}> {
	const started = performance.now();
	const value = await call();
	return {ms: performance.now() - started, value};
}

describe('faults from a spec, as a client sees them', () => {
	it('error: the status with a Kubernetes Status, on the method and path prefix given only', async () => {
		const client = await simWith('error 503 100% GET /api/v1/namespaces');
		const {code, status} = await apiError(client.core.listNamespace());
		expect(code).toBe(503);
		expect(status).toMatchObject({
			reason: 'ServiceUnavailable',
			message: 'injected fault: ServiceUnavailable',
		});
		// A prefix: the namespaced paths below it too; other paths and methods pass.
		expect((await apiError(client.core.listNamespacedService({namespace: 'default'}))).code).toBe(
			503,
		);
		expect((await client.apps.listNamespacedDeployment({namespace: 'default'})).items).toHaveLength(
			2,
		);
		const patched = await client.core.patchNamespacedService(
			{name: 'myapp', namespace: 'default', body: {metadata: {labels: {drill: 'yes'}}}},
			merge,
		);
		expect(patched.metadata?.labels?.drill).toBe('yes');
		// --verbose says which rule hit which request.
		expect(hits).toContain(
			'fault "error 503 100% GET /api/v1/namespaces" hits GET /api/v1/namespaces',
		);
	});

	it('throttle: 429 TooManyRequests with Retry-After and details.retryAfterSeconds, as the apiserver', async () => {
		const client = await simWith(
			`throttle retry-after 3s GET ${configmaps}; error 503 retry-after 2s GET /api/v1/nodes`,
		);
		const answer = await fetch(`${client.sim.url}${configmaps}`);
		expect(answer.status).toBe(429);
		expect(answer.headers.get('retry-after')).toBe('3');
		expect(await answer.json()).toEqual({
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: 'Too many requests, please try again later.',
			reason: 'TooManyRequests',
			details: {retryAfterSeconds: 3},
			code: 429,
		});
		const unavailable = await fetch(`${client.sim.url}/api/v1/nodes`);
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers.get('retry-after')).toBe('2');
		expect(((await unavailable.json()) as Any).details).toEqual({retryAfterSeconds: 2});
		// Other requests carry no Retry-After.
		const fine = await fetch(`${client.sim.url}${services}`);
		expect(fine.status).toBe(200);
		expect(fine.headers.get('retry-after')).toBeNull();
	});

	it("conflict: 409 in the apiserver's words for the object patched, which is left unchanged", async () => {
		const client = await simWith(`conflict PATCH ${services}/myapp`);
		const before = get(client.sim, 'services', 'myapp').spec.selector.version;
		const {code, status} = await apiError(
			client.core.patchNamespacedService(
				{name: 'myapp', namespace: 'default', body: {spec: {selector: {version: 'other'}}}},
				merge,
			),
		);
		expect(code).toBe(409);
		expect(status.reason).toBe('Conflict');
		expect(status.message).toBe(
			'Operation cannot be fulfilled on services "myapp": the object has been modified; please apply your changes to the latest version and try again',
		);
		expect(status.details).toMatchObject({name: 'myapp', kind: 'services'});
		expect(get(client.sim, 'services', 'myapp').spec.selector.version).toBe(before);
		expect(
			(await client.core.readNamespacedService({name: 'myapp', namespace: 'default'})).metadata
				?.name,
		).toBe('myapp');
	});

	it('expire-resumes: a watch resuming from a version gets a 410 Expired ERROR; a fresh one its objects', async () => {
		const client = await simWith('expire-resumes');
		const list = await client.core.listNamespacedConfigMap({namespace: 'default'});
		const version = list.metadata!.resourceVersion!;
		const resumed = await watch(client.kc, configmaps, {resourceVersion: version});
		const error = await resumed.next('the ERROR event', (event) => event.type === 'ERROR');
		expect(error.object).toMatchObject({
			kind: 'Status',
			status: 'Failure',
			code: 410,
			reason: 'Expired',
			message: `too old resource version: ${version} (${client.sim.store.resourceVersion + 1})`,
		});
		await resumed.done;
		// The stream is a 200 whose first line is that event, as a real apiserver answers it.
		const raw = await fetch(`${client.sim.url}${configmaps}?watch=true&resourceVersion=${version}`);
		expect(raw.status).toBe(200);
		expect(JSON.parse((await raw.text()).split('\n')[0]!)).toMatchObject({
			type: 'ERROR',
			object: {code: 410},
		});
		const fresh = await watch(client.kc, services, {});
		await fresh.next(
			'myapp ADDED',
			(event) => event.type === 'ADDED' && event.object.metadata.name === 'myapp',
		);
		expect(fresh.events.some((event) => event.type === 'ERROR')).toBe(false);
		fresh.stop();
	});

	it('hang: accepted and never answered, until the client gives up; sim.stop() still returns at once', async () => {
		const client = await simWith(`hang GET ${configmaps}`);
		const started = performance.now();
		await expect(
			fetch(`${client.sim.url}${configmaps}`, {signal: AbortSignal.timeout(400)}),
		).rejects.toThrow(/aborted|timeout/i);
		expect(performance.now() - started).toBeGreaterThanOrEqual(390);
		// Other paths are answered meanwhile.
		expect((await fetch(`${client.sim.url}${services}`)).status).toBe(200);
		const hung = fetch(`${client.sim.url}${configmaps}`).then(
			() => 'answered',
			() => 'cut',
		);
		const early = await Promise.race([
			hung,
			new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
		]);
		expect(early).toBe('waiting');
		const stopping = await timed(() => open.splice(0)[0]!.sim.stop());
		expect(stopping.ms).toBeLessThan(1000);
		expect(await hung).toBe('cut');
	});

	it('lose-answer: the patch lands, the client hears nothing back', async () => {
		const client = await simWith(`lose-answer PATCH ${services}/myapp once`);
		await expect(
			client.core.patchNamespacedService(
				{name: 'myapp', namespace: 'default', body: {metadata: {labels: {landed: 'yes'}}}},
				merge,
			),
		).rejects.toThrow();
		expect(get(client.sim, 'services', 'myapp').metadata.labels?.landed).toBe('yes');
		// `once`: the next one is answered.
		const again = await client.core.patchNamespacedService(
			{name: 'myapp', namespace: 'default', body: {metadata: {labels: {landed: 'twice'}}}},
			merge,
		);
		expect(again.metadata?.labels?.landed).toBe('twice');
	});

	it('latency: answers late, and adds to a rule that fails the same request', async () => {
		const client = await simWith(
			'latency 300ms GET /version; latency 200ms GET /api; error 504 GET /api/v1/nodes',
		);
		const slow = await timed(() => fetch(`${client.sim.url}/version`));
		expect(slow.value.status).toBe(200);
		expect(slow.ms).toBeGreaterThanOrEqual(290);
		const failing = await timed(() => fetch(`${client.sim.url}/api/v1/nodes`));
		expect(failing.value.status).toBe(504);
		expect(((await failing.value.json()) as Any).reason).toBe('Timeout');
		expect(failing.ms).toBeGreaterThanOrEqual(190);
		// `/api` is a whole segment: /apis is not slowed.
		expect((await fetch(`${client.sim.url}/apis`)).status).toBe(200);
		expect(hits).toEqual([
			'fault "latency 300ms GET /version" hits GET /version',
			'fault "latency 200ms GET /api" hits GET /api/v1/nodes',
			'fault "error 504 GET /api/v1/nodes" hits GET /api/v1/nodes',
		]);
	});

	it('a 50% share with a seed hits exactly the requests its random picks, the rest pass untouched', async () => {
		const client = await simWith('seed 7; error 503 50% GET /version');
		const statuses: number[] = [];
		for (let i = 0; i < 40; i++) {
			statuses.push((await fetch(`${client.sim.url}/version`)).status);
			// Requests the rule does not match draw nothing from its random, and pass.
			expect((await fetch(`${client.sim.url}/apis`)).status).toBe(200);
		}
		const random = seededRandom(7);
		const expected = statuses.map(() => (random() < 0.5 ? 503 : 200));
		expect(statuses).toEqual(expected);
		const hits = statuses.filter((status) => status === 503).length;
		expect(hits).toBeGreaterThan(10);
		expect(hits).toBeLessThan(30);
	});

	describe('prometheus through the service proxy', () => {
		let prometheus: Server | undefined;
		afterEach(
			() => new Promise<void>((done) => (prometheus ? prometheus.close(() => done()) : done())),
		);

		/** A Service default/prometheus whose proxy forwards to a stand-in Prometheus. */
		async function withPrometheus(faults: string): Promise<{client: Client; query: string}> {
			prometheus = createServer((_request, response) => {
				response.writeHead(200, {'Content-Type': 'application/json'});
				response.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
			});
			await new Promise<void>((done) => prometheus!.listen(0, '127.0.0.1', done));
			const port = (prometheus.address() as {port: number}).port;
			const client = await simWith(faults);
			await client.core.createNamespacedService({
				namespace: 'default',
				body: {
					metadata: {name: 'prometheus'},
					spec: {ports: [{port: 9090}], selector: {app: 'prometheus'}},
				},
			});
			client.sim.forwards.set('default/prometheus', `http://127.0.0.1:${port}`);
			return {
				client,
				query: `${client.sim.url}${services}/prometheus:9090/proxy/api/v1/query?query=up`,
			};
		}

		it('prometheus slow: its answers late, the API and other services on time', async () => {
			const {client, query} = await withPrometheus('prometheus slow 500ms');
			const slow = await timed(() => fetch(query));
			expect(slow.value.status).toBe(200);
			expect(((await slow.value.json()) as Any).status).toBe('success');
			expect(slow.ms).toBeGreaterThanOrEqual(490);
			expect((await fetch(`${client.sim.url}${services}/myapp:80/proxy/health`)).status).toBe(200);
			expect(hits).toEqual([
				`fault "prometheus slow 500ms" hits GET ${services}/prometheus:9090/proxy/api/v1/query`,
			]);
		});

		it('prometheus hang: a query never answered until its timeout; the app behind the proxy still is', async () => {
			const {client, query} = await withPrometheus('prometheus hang');
			await expect(fetch(query, {signal: AbortSignal.timeout(300)})).rejects.toThrow(
				/aborted|timeout/i,
			);
			expect((await fetch(`${client.sim.url}${services}/myapp:80/proxy/health`)).status).toBe(200);
		});
	});

	it('startSim refuses a bad spec before it starts', async () => {
		await expect(connect({faults: 'error 700 10%'})).rejects.toThrow(
			'faults: "error 700 10%": 700 is not an HTTP error status; give 400-599',
		);
	});
});
