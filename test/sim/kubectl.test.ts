import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Sim, startSim} from '../../source/sim/index.js';
import {loadScenario, type Scenario} from '../../source/sim/scenario.js';
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
	'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/), or the machine image that ships kubectl.1.27 ... kubectl.1.33',
);

const tmp = mkdtempSync(join(tmpdir(), 'cutover-kubectl-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

// The seed's scripts call plain `kubectl`: put the binary under test first on their PATH.
const bin = join(tmp, 'bin');
mkdirSync(bin);
if (kubectl) symlinkSync(kubectl, join(bin, 'kubectl'));

type Result = Ran;

/** Runs a program with the sim's kubeconfig, the kubectl under test first on its PATH. */
function run(file: string, args: string[], kubeconfig: string, timeout = 20_000): Promise<Result> {
	return runBinary(file, args, {
		kubeconfig,
		home: tmp,
		timeout,
		env: {PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`},
	});
}

type Cluster = {
	sim: Sim;
	kubeconfig: string;
	/** kubectl (the one under test unless `binary` says otherwise). */
	k(args: string[], binary?: string): Promise<Result>;
	/** kubectl that must succeed; returns its stdout. */
	ok(args: string[]): Promise<string>;
};

let clusters = 0;

/** A fresh sim per describe block (the tests change the world), with fast rollouts. */
function cluster(scenario?: Scenario): Cluster {
	const self = {} as Cluster;
	beforeAll(async () => {
		self.sim = await startSim({
			port: 0,
			rolloutSeconds: 1,
			podStartSeconds: 0.2,
			...(scenario ? {scenario} : {}),
		});
		self.kubeconfig = join(tmp, `kubeconfig-${++clusters}`);
		writeFileSync(self.kubeconfig, self.sim.kubeconfig, {mode: 0o600});
		self.k = (args, binary = kubectl!) => run(binary, args, self.kubeconfig);
		self.ok = async (args) => {
			const result = await self.k(args);
			if (result.code !== 0) {
				throw new Error(
					`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`,
				);
			}
			return result.stdout;
		};
	});
	afterAll(async () => {
		await self.sim?.stop();
	});
	return self;
}

/** The rows of kubectl's table output, split on runs of spaces. */
function rows(output: string): string[][] {
	return output
		.trim()
		.split('\n')
		.map((line) => line.trim().split(/\s{2,}/));
}

function row(output: string, name: string): string[] {
	const found = rows(output).find((cells) => cells.includes(name));
	if (!found) throw new Error(`no row ${name} in:\n${output}`);
	return found;
}

/** The seed's scripts, unchanged but for the smoke test (the sim runs no containers). */
const fixtures = join(import.meta.dirname, '..', 'fixtures');
const smokeTest =
	'kubectl run smoke-test --rm -it --image=curlimages/curl \\\n  --restart=Never -- curl -f http://app-$TARGET:8080/health';
const smokeThroughProxy =
	'kubectl get --raw /api/v1/namespaces/default/services/app-$TARGET:8080/proxy/health';

function seedScript(name: 'deploy' | 'rollback'): string {
	let text = readFileSync(join(fixtures, `seed-${name}.sh`), 'utf8');
	if (name === 'deploy') {
		expect(text).toContain(smokeTest);
		text = text.replace(smokeTest, smokeThroughProxy);
	}
	const file = join(tmp, `${name}.sh`);
	writeFileSync(file, text, {mode: 0o755});
	return file;
}

describe.skipIf(skip)('kubectl against cutover sim', () => {
	describe('get', () => {
		const c = cluster();

		it('get deploy shows the real columns and the seed Deployments fully ready', async () => {
			const out = await c.ok(['get', 'deploy']);
			expect(rows(out)[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
			expect(row(out, 'app-blue').slice(0, 4)).toEqual(['app-blue', '3/3', '3', '3']);
			expect(row(out, 'app-green').slice(0, 4)).toEqual(['app-green', '3/3', '3', '3']);
			expect(rows(out)).toHaveLength(3);
		});

		it('get deploy -o wide shows containers, images and the selector', async () => {
			const out = await c.ok(['get', 'deploy', '-o', 'wide']);
			expect(rows(out)[0]).toEqual([
				'NAME',
				'READY',
				'UP-TO-DATE',
				'AVAILABLE',
				'AGE',
				'CONTAINERS',
				'IMAGES',
				'SELECTOR',
			]);
			expect(row(out, 'app-green').slice(5)).toEqual([
				'app',
				'myapp:1.1.0',
				'app=myapp,version=green',
			]);
		});

		it('get svc -o wide shows the Service selectors', async () => {
			const out = await c.ok(['get', 'svc', '-o', 'wide']);
			expect(rows(out)[0]).toEqual([
				'NAME',
				'TYPE',
				'CLUSTER-IP',
				'EXTERNAL-IP',
				'PORT(S)',
				'AGE',
				'SELECTOR',
			]);
			const myapp = row(out, 'myapp');
			expect(myapp.slice(0, 5)).toEqual(['myapp', 'ClusterIP', '10.96.12.40', '<none>', '80/TCP']);
			expect(myapp[6]).toBe('app=myapp,version=blue');
			expect(row(out, 'app-green')[6]).toBe('app=myapp,version=green');
		});

		it('get svc -o jsonpath prints the selected version, as the deploy script reads it', async () => {
			const out = await c.ok(['get', 'svc', 'myapp', '-o', 'jsonpath={.spec.selector.version}']);
			expect(out).toBe('blue');
		});

		it('get pods -A lists every namespace with Running pods', async () => {
			const out = await c.ok(['get', 'pods', '-A']);
			expect(rows(out)[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
			const body = rows(out).slice(1);
			expect(new Set(body.map((cells) => cells[0]))).toEqual(
				new Set(['default', 'shop', 'test', 'argo']),
			);
			const blue = body.filter((cells) => cells[0] === 'default' && /^app-blue-/.test(cells[1]!));
			expect(blue).toHaveLength(3);
			for (const cells of blue) expect(cells.slice(2, 5)).toEqual(['1/1', 'Running', '0']);
		});

		it('get pods -l selects by label', async () => {
			const out = await c.ok(['get', 'pods', '-l', 'app=myapp,version=green', '-o', 'name']);
			const names = out.trim().split('\n');
			expect(names).toHaveLength(3);
			for (const name of names) expect(name).toMatch(/^pod\/app-green-[a-z0-9]+-[a-z0-9]{5}$/);
		});

		it('get ing -A shows the nginx primary and canary Ingresses', async () => {
			const out = await c.ok(['get', 'ing', '-A']);
			expect(rows(out)[0]).toEqual([
				'NAMESPACE',
				'NAME',
				'CLASS',
				'HOSTS',
				'ADDRESS',
				'PORTS',
				'AGE',
			]);
			expect(row(out, 'shop-canary').slice(0, 4)).toEqual([
				'shop',
				'shop-canary',
				'nginx',
				'shop.example.com',
			]);
			expect(row(out, 'podinfo-canary')[0]).toBe('test');
			const weight = await c.ok([
				'get',
				'ing',
				'shop-canary',
				'-n',
				'shop',
				'-o',
				'jsonpath={.metadata.annotations.nginx\\.ingress\\.kubernetes\\.io/canary-weight}',
			]);
			expect(weight).toBe('10');
		});

		it('get canaries -n test shows the Flagger canary mid-analysis', async () => {
			const out = await c.ok(['get', 'canaries', '-n', 'test']);
			expect(rows(out)[0]).toEqual(['NAME', 'STATUS', 'WEIGHT', 'LASTTRANSITIONTIME']);
			expect(row(out, 'podinfo').slice(0, 3)).toEqual(['podinfo', 'Progressing', '20']);
		});

		it('get rollouts -n argo shows the Argo Rollout', async () => {
			const out = await c.ok(['get', 'rollouts', '-n', 'argo']);
			expect(rows(out)[0]).toEqual([
				'NAME',
				'DESIRED',
				'CURRENT',
				'UP-TO-DATE',
				'AVAILABLE',
				'AGE',
			]);
			expect(row(out, 'rollouts-demo').slice(0, 5)).toEqual(['rollouts-demo', '3', '4', '1', '4']);
		});

		it('get ns lists the namespaces, Active', async () => {
			const out = await c.ok(['get', 'ns']);
			expect(rows(out)[0]).toEqual(['NAME', 'STATUS', 'AGE']);
			expect(
				rows(out)
					.slice(1)
					.map((cells) => cells.slice(0, 2)),
			).toEqual([
				['argo', 'Active'],
				['default', 'Active'],
				['shop', 'Active'],
				['test', 'Active'],
			]);
		});

		it('a missing object is a NotFound error, exit 1', async () => {
			const result = await c.k(['get', 'deploy', 'nope']);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				'Error from server (NotFound): deployments.apps "nope" not found',
			);
		});

		it('get --raw through a pod proxy answers the pod health', async () => {
			const pod = await c.ok([
				'get',
				'pods',
				'-l',
				'version=blue',
				'-o',
				'jsonpath={.items[0].metadata.name}',
			]);
			expect(pod).toMatch(/^app-blue-/);
			const out = await c.ok([
				'get',
				'--raw',
				`/api/v1/namespaces/default/pods/${pod}/proxy/health`,
			]);
			expect(JSON.parse(out)).toEqual({status: 'ok', pod, version: 'myapp:1.0.0'});
		});
	});

	describe('every kubectl version on the machine', () => {
		const c = cluster();
		const versions = kubectlVersions();

		it('tests with kubectl.1.33 when the machine image ships the versioned kubectls', () => {
			// Elsewhere there may be none: then the loop below has nothing to run, and say so.
			if (versions.length === 0) {
				console.warn('no kubectl.1.NN beside kubectl: only the kubectl on PATH is tested');
				return;
			}
			const newest = versions.find(({version}) => version === '1.33');
			if (newest) expect(kubectl).toBe(newest.path);
		});

		for (const {version, path} of versions) {
			it(`kubectl ${version}: get deploy shows the real columns`, async () => {
				const result = await c.k(['get', 'deploy'], path);
				expect(result.stderr).toBe('');
				expect(result.code).toBe(0);
				expect(rows(result.stdout)[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
				expect(row(result.stdout, 'app-blue').slice(0, 4)).toEqual(['app-blue', '3/3', '3', '3']);
				const client = await c.k(['version', '--client', '-o', 'json'], path);
				expect(JSON.parse(client.stdout).clientVersion.minor).toBe(version.split('.')[1]);
			});
		}
	});

	describe("the seed's deploy and rollback scripts", () => {
		const c = cluster();

		it('deploy.sh 1.2.0 rolls green to 1.2.0, smoke-tests it and switches the Service to green', async () => {
			const result = await run('bash', [seedScript('deploy'), '1.2.0'], c.kubeconfig);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			const lines = result.stdout.split('\n');
			expect(lines[0]).toBe('Current: blue, Deploying to: green');
			expect(result.stdout).toContain('deployment.apps/app-green image updated');
			expect(result.stdout).toContain('deployment "app-green" successfully rolled out');
			expect(result.stdout).toMatch(
				/"status":"ok","pod":"app-green-[a-z0-9-]+","version":"myapp:1.2.0"/,
			);
			expect(result.stdout).toContain('service/myapp patched');
			expect(lines.at(-2)).toBe('Switched to green (v1.2.0)');

			expect(await c.ok(['get', 'svc', 'myapp', '-o', 'jsonpath={.spec.selector.version}'])).toBe(
				'green',
			);
			expect(
				await c.ok([
					'get',
					'deploy',
					'app-green',
					'-o',
					'jsonpath={.spec.template.spec.containers[0].image}',
				]),
			).toBe('myapp:1.2.0');
			const deploy = await c.ok(['get', 'deploy', 'app-green']);
			expect(row(deploy, 'app-green').slice(0, 4)).toEqual(['app-green', '3/3', '3', '3']);
			const pods = await c.ok([
				'get',
				'pods',
				'-l',
				'version=green',
				'-o',
				'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}',
			]);
			expect(pods.trim().split('\n')).toEqual(['myapp:1.2.0', 'myapp:1.2.0', 'myapp:1.2.0']);
			// Blue, the previous version, stays as it was: that is what makes rollback instant.
			expect(row(await c.ok(['get', 'deploy', 'app-blue', '-o', 'wide']), 'app-blue')[6]).toBe(
				'myapp:1.0.0',
			);
		});

		it('rollback.sh switches the Service back to blue', async () => {
			const result = await run('bash', [seedScript('rollback')], c.kubeconfig);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			expect(result.stdout).toBe('service/myapp patched\nRolled back to blue\n');
			expect(await c.ok(['get', 'svc', 'myapp', '-o', 'jsonpath={.spec.selector.version}'])).toBe(
				'blue',
			);
			const wide = await c.ok(['get', 'svc', 'myapp', '-o', 'wide']);
			expect(row(wide, 'myapp')[6]).toBe('app=myapp,version=blue');
		});
	});

	describe('the deploy script stops at a failing smoke test', () => {
		const seed = loadScenario('seed');
		const scenario: Scenario = {
			...seed,
			behaviours: {
				...seed.behaviours,
				'myapp:1.3.0-broken': {...seed.behaviours['*']!, healthy: false},
			},
		};
		const c = cluster(scenario);

		it('exits non-zero before switching traffic; the Service still selects blue', async () => {
			const result = await run('bash', [seedScript('deploy'), '1.3.0-broken'], c.kubeconfig);
			expect(result.code).not.toBe(0);
			expect(result.stdout).toContain('deployment "app-green" successfully rolled out');
			expect(result.stdout).not.toContain('Switched to');
			expect(result.stderr).toMatch(/Error from server \(ServiceUnavailable\)|unhealthy/);
			expect(await c.ok(['get', 'svc', 'myapp', '-o', 'jsonpath={.spec.selector.version}'])).toBe(
				'blue',
			);
		});
	});

	describe('rollout, scale, describe, patch, delete', () => {
		const c = cluster();

		it('rollout undo goes back to the previous template, reusing its ReplicaSet', async () => {
			await c.ok(['set', 'image', 'deployment/app-green', 'app=myapp:1.2.0']);
			await c.ok(['rollout', 'status', 'deployment/app-green', '--timeout=30s']);
			const before = await c.ok(['get', 'rs', '-l', 'version=green', '-o', 'name']);
			expect(before.trim().split('\n')).toHaveLength(2);

			expect(await c.ok(['rollout', 'undo', 'deployment/app-green'])).toBe(
				'deployment.apps/app-green rolled back\n',
			);
			const status = await c.ok(['rollout', 'status', 'deployment/app-green', '--timeout=30s']);
			expect(status).toContain('deployment "app-green" successfully rolled out');
			expect(
				await c.ok([
					'get',
					'deploy',
					'app-green',
					'-o',
					'jsonpath={.spec.template.spec.containers[0].image}',
				]),
			).toBe('myapp:1.1.0');
			// No third ReplicaSet: the revision-1 one is scaled back up and becomes revision 3.
			const after = await c.ok(['get', 'rs', '-l', 'version=green', '-o', 'name']);
			expect(after.trim().split('\n').sort()).toEqual(before.trim().split('\n').sort());
			const sets = await c.ok(['get', 'rs', '-l', 'version=green']);
			const scaled = rows(sets)
				.slice(1)
				.map((cells) => cells.slice(1, 4).join(' '))
				.sort();
			expect(scaled).toEqual(['0 0 0', '3 3 3']);
		});

		it('rollout history lists the revisions', async () => {
			const out = await c.ok(['rollout', 'history', 'deployment/app-green']);
			expect(out).toContain('deployment.apps/app-green');
			expect(rows(out.slice(out.indexOf('REVISION')))).toEqual([
				['REVISION', 'CHANGE-CAUSE'],
				['2', '<none>'],
				['3', '<none>'],
			]);
			const revision2 = await c.ok(['rollout', 'history', 'deployment/app-green', '--revision=2']);
			expect(revision2).toContain('Image:');
			expect(revision2).toContain('myapp:1.2.0');
		});

		it('scale changes the replicas, and the controller follows', async () => {
			expect(await c.ok(['scale', 'deployment/app-blue', '--replicas=5'])).toBe(
				'deployment.apps/app-blue scaled\n',
			);
			await c.ok(['rollout', 'status', 'deployment/app-blue', '--timeout=30s']);
			await expect
				.poll(async () => row(await c.ok(['get', 'deploy', 'app-blue']), 'app-blue').slice(0, 4), {
					timeout: 5000,
				})
				.toEqual(['app-blue', '5/5', '5', '5']);
		});

		it('describe deploy shows the spec, conditions and ScalingReplicaSet events', async () => {
			const out = await c.ok(['describe', 'deploy', 'app-blue']);
			expect(out).toMatch(/^Name:\s+app-blue$/m);
			expect(out).toMatch(/^Namespace:\s+default$/m);
			expect(out).toMatch(/^Selector:\s+app=myapp,version=blue$/m);
			expect(out).toMatch(
				/^Replicas:\s+5 desired \| 5 updated \| 5 total \| 5 available \| 0 unavailable$/m,
			);
			expect(out).toMatch(/^\s+Image:\s+myapp:1\.0\.0$/m);
			// The API server's defaults, as kubectl shows them.
			expect(out).toMatch(/^StrategyType:\s+RollingUpdate$/m);
			expect(out).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
			expect(out).toMatch(/^\s+Port:\s+8080\/TCP$/m);
			expect(out).toMatch(/^\s+Available\s+True\s+MinimumReplicasAvailable$/m);
			expect(out).toMatch(/^\s+Progressing\s+True\s+NewReplicaSetAvailable$/m);
			expect(out).toMatch(/^NewReplicaSet:\s+app-blue-[a-z0-9]+ \(5\/5 replicas created\)$/m);
			const events = out.slice(out.indexOf('Events:'));
			expect(events).toMatch(/Type\s+Reason\s+Age\s+From\s+Message/);
			expect(events).toMatch(
				/Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set app-blue-[a-z0-9]+ from 0 to 3/,
			);
			expect(events).toMatch(/Scaled up replica set app-blue-[a-z0-9]+ from 3 to 5/);
		});

		it('patch --type json with a failing test changes nothing and says why', async () => {
			const result = await c.k([
				'patch',
				'deploy',
				'app-blue',
				'--type',
				'json',
				'-p',
				'[{"op":"test","path":"/spec/replicas","value":7},{"op":"replace","path":"/spec/replicas","value":1}]',
			]);
			expect(result.code).not.toBe(0);
			expect(result.stderr).toContain('/spec/replicas');
			expect(result.stderr).toMatch(/test/i);
			expect(await c.ok(['get', 'deploy', 'app-blue', '-o', 'jsonpath={.spec.replicas}'])).toBe(
				'5',
			);
		});

		it('patch --type json with a passing test applies', async () => {
			await c.ok([
				'patch',
				'deploy',
				'app-blue',
				'--type',
				'json',
				'-p',
				'[{"op":"test","path":"/spec/replicas","value":5},{"op":"replace","path":"/spec/replicas","value":3}]',
			]);
			expect(await c.ok(['get', 'deploy', 'app-blue', '-o', 'jsonpath={.spec.replicas}'])).toBe(
				'3',
			);
		});

		it('patch of a Canary needs --type merge: strategic merge is not supported for custom resources', async () => {
			const patch = '{"spec":{"skipAnalysis":true}}';
			const refused = await c.k(['patch', 'canary', 'podinfo', '-n', 'test', '-p', patch]);
			expect(refused.code).toBe(1);
			expect(refused.stderr).toContain(
				'error: application/strategic-merge-patch+json is not supported by flagger.app/v1beta1, Kind=Canary',
			);
			expect(
				await c.ok([
					'get',
					'canary',
					'podinfo',
					'-n',
					'test',
					'-o',
					'jsonpath={.spec.skipAnalysis}',
				]),
			).not.toBe('true');

			expect(
				await c.ok(['patch', 'canary', 'podinfo', '-n', 'test', '--type', 'merge', '-p', patch]),
			).toBe('canary.flagger.app/podinfo patched\n');
			expect(
				await c.ok([
					'get',
					'canary',
					'podinfo',
					'-n',
					'test',
					'-o',
					'jsonpath={.spec.skipAnalysis}',
				]),
			).toBe('true');
		});

		it('delete removes the Deployment, its ReplicaSets and its pods', async () => {
			expect(await c.ok(['delete', 'deploy', 'app-green'])).toBe(
				'deployment.apps "app-green" deleted\n',
			);
			const deploys = await c.ok(['get', 'deploy', '-o', 'name']);
			expect(deploys.trim().split('\n')).toEqual(['deployment.apps/app-blue']);
			await expect
				.poll(
					async () => (await c.ok(['get', 'rs,pods', '-l', 'version=green', '-o', 'name'])).trim(),
					{
						timeout: 5000,
					},
				)
				.toBe('');
		});
	});
});
