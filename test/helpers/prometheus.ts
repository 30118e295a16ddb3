/**
 * A real Prometheus (Debian's /usr/bin/prometheus) on loopback for tests: its own temp folder,
 * a free port, 1 s scrapes of the given targets. The package starts no daemon; each test file
 * starts and stops its own.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {findBinary} from './binaries.js';

export const prometheusInstallHint = 'apt-get install -y --no-install-recommends prometheus';

export function findPrometheus(): string | undefined {
	return existsSync('/usr/bin/prometheus') ? '/usr/bin/prometheus' : findBinary('prometheus');
}

/** A port nobody listens on now: bind 0, read it, close. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export type TestPrometheus = {
	url: string;
	port: number;
	process: ChildProcess;
	/** Stops it (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
	stop(): Promise<void>;
	/** Waits until each target has been scraped `samples` times (rate() needs a full interval). */
	waitForSamples(samples: number, timeoutMs?: number): Promise<void>;
};

/**
 * Starts Prometheus on a free port. A port found free can be taken by another test before
 * Prometheus binds it, so a bind failure is retried on a new port (a few times).
 */
export async function startPrometheus(options: {
	binary: string;
	targets: string[];
}): Promise<TestPrometheus> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await startPrometheusOn({...options, port: await freePort()});
		} catch (error) {
			if (attempt >= 4 || !/address already in use/.test(String(error))) throw error;
		}
	}
}

async function startPrometheusOn(options: {
	binary: string;
	/** host:port of each /metrics to scrape. */
	targets: string[];
	port: number;
}): Promise<TestPrometheus> {
	const dir = mkdtempSync(join(tmpdir(), 'cutover-prometheus-'));
	const {port} = options;
	const config = join(dir, 'prometheus.yml');
	writeFileSync(
		config,
		[
			'global:',
			'  scrape_interval: 1s',
			'  evaluation_interval: 1s',
			'scrape_configs:',
			'  - job_name: sim',
			'    metrics_path: /metrics',
			'    static_configs:',
			`      - targets: [${options.targets.map((t) => `'${t}'`).join(', ')}]`,
			'',
		].join('\n'),
	);
	const child = spawn(
		options.binary,
		[
			`--config.file=${config}`,
			`--storage.tsdb.path=${join(dir, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
			'--web.enable-lifecycle',
		],
		{stdio: ['ignore', 'ignore', 'pipe']},
	);
	let log = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		log = (log + chunk.toString()).slice(-4000);
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${port}`;
	const poll = async (what: string, timeoutMs: number, probe: () => Promise<boolean>) => {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null)
				throw new Error(`prometheus exited (${child.exitCode}):\n${log}`);
			if (await probe().catch(() => false)) return;
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error(`prometheus: ${what} not within ${timeoutMs} ms\n${log}`);
	};
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
		rmSync(dir, {recursive: true, force: true});
	};
	try {
		await poll('ready', 10_000, async () => (await fetch(`${url}/-/ready`)).ok);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		url,
		port,
		process: child,
		stop,
		waitForSamples: (samples, timeoutMs = 25_000) =>
			poll(`${samples} scrapes of every target`, timeoutMs, async () => {
				const query = encodeURIComponent('min(count_over_time(up[1m]))');
				const answer = (await (await fetch(`${url}/api/v1/query?query=${query}`)).json()) as {
					data?: {result?: Array<{value: [number, string]}>};
				};
				return Number(answer.data?.result?.[0]?.value[1] ?? 0) >= samples;
			}),
	};
}
