import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {
	findKubectl,
	kubectlVersions,
	type Ran,
	requireBinary,
	runBinary,
} from '../helpers/binaries.js';

const kubectl = findKubectl();
const skip = requireBinary(
	'kubectl',
	kubectl,
	'install kubectl 1.27 or newer, or the machine image that ships kubectl.1.27 ... kubectl.1.33',
);
const old = kubectlVersions([27])[0]?.path;
/** The newest kubectl and the oldest the machine ships: 1.33 reads EndpointSlices, 1.27 Endpoints. */
const clients = [{version: '1.33', path: kubectl}, ...(old ? [{version: '1.27', path: old}] : [])];

const tmp = mkdtempSync(join(tmpdir(), 'cutover-endpoints-'));
let sim: Sim;
let kubeconfig: string;

beforeAll(async () => {
	sim = await startSim({port: 0, rolloutSeconds: 1, podStartSeconds: 0.2});
	kubeconfig = join(tmp, 'kubeconfig');
	writeFileSync(kubeconfig, sim.kubeconfig, {mode: 0o600});
});
afterAll(async () => {
	await sim?.stop();
	rmSync(tmp, {recursive: true, force: true});
});

type Result = Ran;

function k(args: string[], binary = kubectl!, timeout = 20_000): Promise<Result> {
	return runBinary(binary, args, {kubeconfig, home: tmp, timeout});
}

async function ok(args: string[], binary?: string): Promise<string> {
	const result = await k(args, binary);
	if (result.code !== 0)
		throw new Error(
			`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`,
		);
	return result.stdout;
}

function row(output: string, name: string): string[] {
	const found = output
		.trim()
		.split('\n')
		.map((line) => line.trim().split(/\s{2,}/))
		.find((cells) => cells[0] === name || cells[1] === name);
	if (!found) throw new Error(`no row ${name} in:\n${output}`);
	return found;
}

/** The IPs of the pods a selector picks, sorted as the controllers sort addresses. */
async function podIps(selector: string, namespace = 'default'): Promise<string[]> {
	const out = await ok([
		'get',
		'pods',
		'-n',
		namespace,
		'-l',
		selector,
		'-o',
		'jsonpath={.items[*].status.podIP}',
	]);
	return out
		.split(/\s+/)
		.filter(Boolean)
		.sort((a, b) => Number(a.split('.')[3]) - Number(b.split('.')[3]) || a.localeCompare(b));
}

describe.skipIf(skip)('Endpoints, EndpointSlices, pod IPs and can-i, with the real kubectl', () => {
	it('get pods -o wide: every pod Running with an IP of its own, a kubectl run one too', async () => {
		await ok(['run', 'web', '--image=nginx', '--restart=Never']);
		await ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=10s']);
		const out = await ok(['get', 'pods', '-A', '-o', 'wide', '--no-headers']);
		expect(row(out, 'web').slice(3, 8)).toEqual([
			'Running',
			'0',
			expect.any(String),
			expect.stringMatching(/^10\.244\./),
			'sim-node-1',
		]);
		const lines = out
			.trim()
			.split('\n')
			.map((line) => line.trim().split(/\s+/));
		expect(lines.length).toBeGreaterThan(15);
		for (const cells of lines) expect(cells[3]).toBe('Running');
		const ips = lines.map((cells) => cells[6]!);
		for (const ip of ips) expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
		expect(new Set(ips).size).toBe(ips.length);
	});

	for (const client of clients) {
		it(`kubectl ${client.version} describe svc myapp shows the three ready blue pods as Endpoints`, async () => {
			const ips = await podIps('app=myapp,version=blue');
			expect(ips).toHaveLength(3);
			const out = await ok(['describe', 'svc', 'myapp'], client.path);
			expect(out).toMatch(
				new RegExp(`Endpoints:\\s+${ips.map((ip) => `${ip}:8080`).join(',')}\\n`),
			);
		});

		it(`kubectl ${client.version} describe ing shows the shop's backends with their pods`, async () => {
			const ips = await podIps('app=shop,track=stable', 'shop');
			expect(ips.length).toBeGreaterThan(0);
			const out = await ok(['describe', 'ing', '-n', 'shop', 'shop'], client.path);
			expect(out).not.toContain('<error');
			expect(out).toContain(`shop-stable:80 (${ips.map((ip) => `${ip}:8080`).join(',')})`);
		});

		it(`kubectl ${client.version} run --rm -it ends at once, saying the sim runs no containers`, async () => {
			const name = `smoke-${client.version.replace('.', '')}`;
			const result = await k(
				['run', name, '--image=busybox', '--rm', '-it', '--restart=Never', '--', 'echo', 'hi'],
				client.path,
				30_000,
			);
			expect(result.ms).toBeLessThan(15_000);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(`cutover sim runs no containers: pod "${name}"`);
			expect(result.stdout).toContain(`pod "${name}" deleted`);
		});
	}

	it('get endpoints and get endpointslices show the rows of a real server', async () => {
		const ips = await podIps('app=myapp,version=blue');
		const endpoints = await k(['get', 'endpoints']);
		expect(endpoints.stderr).toContain('v1 Endpoints is deprecated in v1.33+');
		expect(endpoints.stdout.trim().split('\n')[0]!.split(/\s+/)).toEqual([
			'NAME',
			'ENDPOINTS',
			'AGE',
		]);
		expect(row(endpoints.stdout, 'myapp')[1]).toBe(ips.map((ip) => `${ip}:8080`).join(','));
		const slices = await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=myapp']);
		const lines = slices.trim().split('\n');
		expect(lines[0]!.split(/\s+/)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
		expect(lines).toHaveLength(2);
		const cells = lines[1]!.trim().split(/\s+/);
		expect(cells[0]).toMatch(/^myapp-[a-z0-9]{5}$/);
		expect(cells.slice(1, 4)).toEqual(['IPv4', '8080', ips.join(',')]);
		const managed = await ok([
			'get',
			'endpointslices',
			'-l',
			'endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io',
			'-o',
			'name',
		]);
		expect(managed).toContain(`endpointslice.discovery.k8s.io/${cells[0]}`);
	});

	it('auth can-i patch services answers yes, and --list (kubectl 1.27: 1.32 and later send the review as protobuf)', async () => {
		const binary = old ?? kubectl!;
		const result = await k(['auth', 'can-i', 'patch', 'services'], binary);
		expect(result).toMatchObject({code: 0, stdout: 'yes\n'});
		const list = await ok(['auth', 'can-i', '--list'], binary);
		expect(row(list, '*.*')).toEqual(['*.*', '[]', '[]', '[*]']);
	});

	it('a scaled-down Deployment leaves its Endpoints with the pods that remain', async () => {
		await ok(['scale', 'deployment', 'app-green', '--replicas=1']);
		let ips: string[] = [];
		let shown = '';
		for (let i = 0; i < 50; i++) {
			ips = await podIps('app=myapp,version=green');
			shown = row(await ok(['get', 'endpoints', 'app-green']), 'app-green')[1]!;
			if (ips.length === 1 && shown === `${ips[0]}:8080`) break;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(ips).toHaveLength(1);
		expect(shown).toBe(`${ips[0]}:8080`);
		const slice = await ok([
			'get',
			'endpointslices',
			'-l',
			'kubernetes.io/service-name=app-green',
			'--no-headers',
		]);
		expect(slice.trim().split(/\s+/)[3]).toBe(ips[0]);
	});
});
