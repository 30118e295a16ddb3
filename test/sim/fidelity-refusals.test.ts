/**
 * Writes and reads a real API server refuses, refused by the sim in the same words: what the
 * real kubectl (1.33 and 1.27) prints and exits with, what the official Python client gets, and
 * that nothing was stored.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {kubectlVersions, type Ran, requireBinary, runBinary} from '../helpers/binaries.js';
import {startCluster, type TestCluster, typeOf} from '../helpers/sim-cluster.js';

const kubectls = kubectlVersions([33, 27]);
const skip = requireBinary(
	'kubectl 1.33 and 1.27',
	kubectls.length === 2 ? kubectls[0]!.path : undefined,
	'the machine image that ships kubectl.1.27 ... kubectl.1.33 beside kubectl',
);

/** Debian's python3-kubernetes installs into the system Python, not a pyenv one. */
const python = ['/usr/bin/python3', 'python3'].find((candidate) => {
	try {
		execFileSync(candidate, ['-c', 'import kubernetes'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
});
const skipPython = requireBinary(
	'python3-kubernetes',
	python,
	'apt-get install -y --no-install-recommends python3-kubernetes',
);

const tmp = mkdtempSync(join(tmpdir(), 'cutover-fidelity-'));
let cluster: TestCluster;
beforeAll(async () => {
	cluster = await startCluster();
});
afterAll(async () => {
	await cluster?.stop();
	rmSync(tmp, {recursive: true, force: true});
});

type Result = Ran;

function run(file: string, args: string[]): Promise<Result> {
	return runBinary(file, args, {kubeconfig: cluster.kubeconfig, home: tmp});
}

let files = 0;
function manifest(object: unknown): string {
	const file = join(tmp, `object-${++files}.json`);
	writeFileSync(file, JSON.stringify(object));
	return file;
}

function stored(plural: string, name: string, namespace = 'default') {
	const type = typeOf(plural);
	return cluster.sim.store.find(type, type.namespaced ? namespace : undefined, name);
}

const service = (name: string, spec: object = {ports: [{port: 80}]}) => ({
	apiVersion: 'v1',
	kind: 'Service',
	metadata: {name},
	spec,
});
const configMap = (name: string, labels: Record<string, string>) => ({
	apiVersion: 'v1',
	kind: 'ConfigMap',
	metadata: {name, labels},
	data: {a: 'b'},
});
const deployment = (name: string, container: string) => ({
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name},
	spec: {
		selector: {matchLabels: {app: name}},
		template: {
			metadata: {labels: {app: name}},
			spec: {containers: [{name: container, image: 'nginx:1.27'}]},
		},
	},
});
const ingress = (name: string, pathType: string) => ({
	apiVersion: 'networking.k8s.io/v1',
	kind: 'Ingress',
	metadata: {name},
	spec: {
		rules: [
			{
				http: {
					paths: [{path: '/', pathType, backend: {service: {name: 'myapp', port: {number: 80}}}}],
				},
			},
		],
	},
});

const dns1035 =
	"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const label1123 =
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const labelValue =
	"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const long = 'a'.repeat(70);
const longValue = 'v'.repeat(64);

type Refusal = {
	what: string;
	object: {apiVersion: string; kind: string; metadata: {name: string}};
	plural: string;
	stderr: string;
};

const refusals: Refusal[] = [
	{
		what: 'a Service named fid.svc (a DNS-1035 label has no dots)',
		object: service('fid.svc'),
		plural: 'services',
		stderr: `The Service "fid.svc" is invalid: metadata.name: Invalid value: "fid.svc": ${dns1035}`,
	},
	{
		what: 'a Service named 1fidsvc (a DNS-1035 label starts with a letter)',
		object: service('1fidsvc'),
		plural: 'services',
		stderr: `The Service "1fidsvc" is invalid: metadata.name: Invalid value: "1fidsvc": ${dns1035}`,
	},
	{
		what: 'a Service with a 70-character name',
		object: service(long),
		plural: 'services',
		stderr: `The Service "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 63 characters`,
	},
	{
		what: 'a Namespace named fid.ns (a DNS-1123 label)',
		object: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'fid.ns'}},
		plural: 'namespaces',
		stderr:
			'The Namespace "fid.ns" is invalid: metadata.name: Invalid value: "fid.ns": must not contain dots',
	},
	{
		what: 'a container named C_1',
		object: deployment('fid-deploy', 'C_1'),
		plural: 'deployments',
		stderr: `The Deployment "fid-deploy" is invalid: spec.template.spec.containers[0].name: Invalid value: "C_1": ${label1123}`,
	},
	{
		what: 'a label value with a space',
		object: configMap('fid-space', {team: 'has space'}),
		plural: 'configmaps',
		stderr: `The ConfigMap "fid-space" is invalid: metadata.labels: Invalid value: "has space": ${labelValue}`,
	},
	{
		what: 'a 64-character label value',
		object: configMap('fid-long-label', {team: longValue}),
		plural: 'configmaps',
		stderr: `The ConfigMap "fid-long-label" is invalid: metadata.labels: Invalid value: "${longValue}": must be no more than 63 characters`,
	},
	{
		what: 'a Service with no ports',
		object: service('fid-noports', {selector: {app: 'myapp'}}),
		plural: 'services',
		stderr: 'The Service "fid-noports" is invalid: spec.ports: Required value',
	},
	{
		what: 'an Ingress path of pathType Wrong',
		object: ingress('fid-ing', 'Wrong'),
		plural: 'ingresses',
		stderr:
			'The Ingress "fid-ing" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: "Wrong": supported values: "Exact", "ImplementationSpecific", "Prefix"',
	},
];

const cases = kubectls.flatMap(({version, path}) =>
	refusals.map((refusal) => ({...refusal, version, path})),
);

describe.skipIf(skipPython)('the official Python client (python3-kubernetes)', () => {
	// First in the file: it watches the seed's Services before the other tests add theirs.
	it('watches with watch=True, and gets the refusals as ApiExceptions', async () => {
		const script = join(import.meta.dirname, '..', 'fixtures', 'fidelity', 'python-client.py');
		const result = await run(python!, [script, cluster.kubeconfig]);
		expect(result.stderr).toBe('');
		const out = JSON.parse(result.stdout);
		// watch.Watch().stream(v1.list_namespaced_service, 'default', timeout_seconds=2)
		expect(out.watched).toEqual(['app-blue', 'app-green', 'myapp']);
		expect([out.name.status, out.name.body.reason, out.name.body.details.causes]).toEqual([
			422,
			'Invalid',
			[
				{
					reason: 'FieldValueInvalid',
					field: 'metadata.name',
					message: `Invalid value: "fid.svc": ${dns1035}`,
				},
			],
		]);
		expect([out.dryRun.status, out.dryRun.body.details.causes[0]]).toEqual([
			422,
			{
				reason: 'FieldValueNotSupported',
				field: 'dryRun',
				message: 'Unsupported value: []string{"Bogus"}: supported values: "All"',
			},
		]);
		expect([out.fieldSelector.status, out.fieldSelector.body.message]).toEqual([
			400,
			'field label not supported: spec.replicas',
		]);
		expect(out.labelSelector.status).toBe(400);
		expect([out.strict.status, out.strict.body.message]).toEqual([
			400,
			'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.foo"',
		]);
		for (const name of ['fid.svc', 'py-dry', 'py-strict'])
			expect(stored('services', name)).toBeUndefined();
	});
});

describe.skipIf(skip)('kubectl create -f of what a real API server refuses', () => {
	it.for(cases)('kubectl $version: $what is refused, exit 1, nothing stored', async (c) => {
		// --validate=false: kubectl checks nothing itself (and needs no OpenAPI), the server judges.
		const result = await run(c.path, ['create', '-f', manifest(c.object), '--validate=false']);
		expect([result.code, result.stderr]).toEqual([1, `${c.stderr}\n`]);
		expect(stored(c.plural, c.object.metadata.name)).toBeUndefined();
	});

	it.for([
		{
			what: 'a headless Service with no ports',
			object: service('fid-headless', {clusterIP: 'None'}),
		},
		{
			what: 'an ExternalName Service with no ports',
			object: service('fid-external', {type: 'ExternalName', externalName: 'example.com'}),
		},
		{what: 'a ConfigMap named with dots (a DNS-1123 subdomain)', object: configMap('fid.cm', {})},
	])('what a real API server takes is still taken: $what', async ({object}) => {
		const result = await run(kubectls[0]!.path, [
			'create',
			'-f',
			manifest(object),
			'--validate=false',
		]);
		expect([result.code, result.stderr]).toEqual([0, '']);
		expect(
			stored(object.kind === 'Service' ? 'services' : 'configmaps', object.metadata.name),
		).toBeDefined();
	});
});

const selectors = [
	{
		what: 'a field selector on spec.replicas of Services',
		args: ['get', 'svc', '--field-selector', 'spec.replicas=5'],
		stderr:
			'Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label selector "", field selector "spec.replicas=5": field label not supported: spec.replicas',
	},
	{
		// Deployments have no field label conversion of their own: the API server's default words it.
		what: 'a field selector on spec.replicas of Deployments',
		args: ['get', 'deploy', '--field-selector', 'spec.replicas=5'],
		stderr:
			'Error from server (BadRequest): Unable to find "apps/v1, Resource=deployments" that match label selector "", field selector "spec.replicas=5": "spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
	},
	{
		what: 'a label selector whose key ends in _',
		args: ['get', 'svc', '-l', 'bad_=x'],
		stderr: `Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label selector "bad_=x", field selector "": unable to parse requirement: key: Invalid value: "bad_": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
	},
];

describe.skipIf(skip)('selectors a real API server refuses', () => {
	it.for(kubectls.flatMap((k) => selectors.map((s) => ({...s, ...k}))))(
		'kubectl $version: $what is a 400, exit 1',
		async (c) => {
			const result = await run(c.path, c.args);
			expect([result.code, result.stderr, result.stdout]).toEqual([1, `${c.stderr}\n`, '']);
		},
	);

	it.for(kubectls)('kubectl $version: a field label Pods support still selects', async ({path}) => {
		const result = await run(path, [
			'get',
			'pods',
			'--field-selector',
			'status.phase=Running',
			'-o',
			'name',
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^pod\/app-blue-/m);
	});
});

describe.skipIf(skip)('booleans in the query, read as the API server reads them', () => {
	// Its parameter codec: absent, 0 and false in any case are false; anything else is true
	// (not Go's strconv.ParseBool: `yes` is no 400). False is the control: not every value watches.
	it.for([
		{value: 'True', watch: true},
		{value: 'TRUE', watch: true},
		{value: 't', watch: true},
		{value: 'yes', watch: true},
		{value: 'False', watch: false},
	])('watch=$value: a watch is $watch', async ({value, watch}) => {
		const path = `/api/v1/namespaces/default/services?watch=${value}&timeoutSeconds=1`;
		const result = await run(kubectls[0]!.path, ['get', '--raw', path]);
		expect(result.code).toBe(0);
		const first = JSON.parse(result.stdout.split('\n')[0]!);
		expect(watch ? first.type : first.kind).toBe(watch ? 'ADDED' : 'ServiceList');
	});
});

describe.skipIf(skip)('write options a real API server refuses', () => {
	const manager = 'm'.repeat(129);
	it.for(kubectls)(
		'kubectl $version: a 129-character --field-manager is refused',
		async ({path}) => {
			const object = configMap('fid-manager', {});
			const file = manifest(object);
			const result = await run(path, [
				'create',
				'-f',
				file,
				'--validate=false',
				`--field-manager=${manager}`,
			]);
			expect([result.code, result.stderr]).toEqual([
				1,
				'The CreateOptions "" is invalid: fieldManager: Too long: must have at most 128 bytes\n',
			]);
			expect(stored('configmaps', 'fid-manager')).toBeUndefined();
			// 128 is the most it takes.
			const ok = await run(path, [
				'create',
				'-f',
				file,
				'--validate=false',
				`--field-manager=${manager.slice(1)}`,
			]);
			expect(ok.code).toBe(0);
			expect(stored('configmaps', 'fid-manager')).toBeDefined();
			await run(path, ['delete', '-f', file]);
		},
	);

	it.for(kubectls)(
		'kubectl $version: dryRun=Bogus is refused and dryRun=All stores nothing',
		async ({path}) => {
			const file = manifest(service('fid-dry'));
			const bogus = await run(path, [
				'create',
				'--raw',
				'/api/v1/namespaces/default/services?dryRun=Bogus',
				'-f',
				file,
			]);
			expect([bogus.code, bogus.stderr]).toEqual([
				1,
				'The CreateOptions "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"\n',
			]);
			const all = await run(path, [
				'create',
				'--raw',
				'/api/v1/namespaces/default/services?dryRun=All',
				'-f',
				file,
			]);
			expect(all.code).toBe(0);
			expect(JSON.parse(all.stdout).metadata.name).toBe('fid-dry');
			const server = await run(path, [
				'create',
				'-f',
				file,
				'--validate=false',
				'--dry-run=server',
			]);
			expect([server.code, server.stdout]).toEqual([
				0,
				'service/fid-dry created (server dry run)\n',
			]);
			expect(stored('services', 'fid-dry')).toBeUndefined();
		},
	);

	it.for(kubectls)('kubectl $version: a dry-run delete deletes nothing', async ({path}) => {
		const result = await run(path, ['delete', 'svc', 'myapp', '--dry-run=server']);
		expect([result.code, result.stdout]).toEqual([0, 'service "myapp" deleted (server dry run)\n']);
		expect(stored('services', 'myapp')).toBeDefined();
	});
});

describe.skipIf(skip)('unknown fields, by fieldValidation', () => {
	const withFoo = (name: string) => service(name, {foo: 1, ports: [{port: 80}]});
	const url = (query: string) => `/api/v1/namespaces/default/services${query}`;

	it.for(kubectls)(
		'kubectl $version: Strict refuses spec.foo, 400, nothing stored',
		async ({path}) => {
			const result = await run(path, [
				'create',
				'--raw',
				url('?fieldValidation=Strict'),
				'-f',
				manifest(withFoo(`fid-strict-${path.slice(-2)}`)),
			]);
			expect([result.code, result.stderr]).toEqual([
				1,
				'Error from server (BadRequest): Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.foo"\n',
			]);
			expect(stored('services', `fid-strict-${path.slice(-2)}`)).toBeUndefined();
		},
	);

	it.for(
		kubectls.flatMap((k) => [
			{
				...k,
				directive: 'Warn (no fieldValidation: the default)',
				query: '',
				warning: 'Warning: unknown field "spec.foo"\n',
			},
			{
				...k,
				directive: 'Warn',
				query: '?fieldValidation=Warn',
				warning: 'Warning: unknown field "spec.foo"\n',
			},
			{...k, directive: 'Ignore', query: '?fieldValidation=Ignore', warning: ''},
		]),
	)('kubectl $version: $directive stores the Service without spec.foo', async (c) => {
		const name = `fid-${c.query ? c.query.split('=')[1]!.toLowerCase() : 'default'}-${c.version.replace('.', '')}`;
		const result = await run(c.path, [
			'create',
			'--raw',
			url(c.query),
			'-f',
			manifest(withFoo(name)),
		]);
		expect([result.code, result.stderr]).toEqual([0, c.warning]);
		expect(JSON.parse(result.stdout).spec).not.toHaveProperty('foo');
		const object = stored('services', name);
		expect(object?.spec.ports).toMatchObject([{port: 80}]);
		expect(object?.spec).not.toHaveProperty('foo');
	});
});
