/**
 * The OpenAPI documents the sim serves, built once from the real Kubernetes schemas in
 * `openapi/kubernetes.json` (a release's swagger.json cut down to the kinds in resources.ts by
 * scripts/openapi-subset.mjs) and, for the custom resources, objects whose spec and status keep
 * unknown fields, as a real server publishes a CRD without a structural schema.
 */
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {apiVersionOf, type ResourceType, resourceTypes} from './resources.js';

export type Schema = Record<string, unknown>;
export type Definitions = Record<string, Schema>;
type Gvk = {group: string; version: string; kind: string};

export type OpenApiDocs = {
	/** The OpenAPI v2 document (`/openapi/v2`), paths and definitions. */
	v2: {swagger: string; info: Schema; paths: Record<string, Schema>; definitions: Definitions};
	/** Each group-version's OpenAPI v3 document by its path (`apis/apps/v1`), as JSON text. */
	v3: Map<string, {body: string; hash: string}>;
};

export const openApiDir = new URL('./openapi/', import.meta.url);

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const gvkKey = 'x-kubernetes-group-version-kind';

function gvksOf(schema: Schema | undefined): Gvk[] {
	return (schema?.[gvkKey] as Gvk[] | undefined) ?? [];
}

/** `flagger.app` -> `app.flagger`, as the API server names a CRD's definitions. */
function crdDefinitionName(type: ResourceType): string {
	return `${type.group.split('.').reverse().join('.')}.${type.version}.${type.kind}`;
}

/**
 * A custom resource the sim has no CRD schema for: apiVersion, kind and metadata as every object
 * has them (their real descriptions), spec and status open to any fields.
 */
function crdDefinition(type: ResourceType, definitions: Definitions): Schema {
	const standard = definitions['io.k8s.api.core.v1.ConfigMap']!.properties as Definitions;
	const open = {type: 'object', 'x-kubernetes-preserve-unknown-fields': true};
	return {
		description: `${type.kind} (${apiVersionOf(type)}): the simulated cluster has no schema for this custom resource, so its spec and status take any fields.`,
		type: 'object',
		properties: {
			apiVersion: standard.apiVersion,
			kind: standard.kind,
			metadata: standard.metadata,
			spec: {...open, description: `The desired state of the ${type.kind}.`},
			status: {...open, description: `The observed state of the ${type.kind}.`},
		},
		[gvkKey]: [{group: type.group, version: type.version, kind: type.kind}],
	};
}

function definitionFor(definitions: Definitions, type: ResourceType): string | undefined {
	return Object.keys(definitions).find((name) =>
		gvksOf(definitions[name]).some(
			(gvk) => gvk.group === type.group && gvk.version === type.version && gvk.kind === type.kind,
		),
	);
}

function pathsFor(
	type: ResourceType,
	definition: string,
	refPrefix: string,
): Record<string, Schema> {
	const prefix = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
	const collection = type.namespaced
		? `${prefix}/namespaces/{namespace}/${type.plural}`
		: `${prefix}/${type.plural}`;
	const gvk = {group: type.group, version: type.version, kind: type.kind};
	const verbs = type.verbs ?? [];
	// No `fieldValidation` parameter, so kubectl sees server-side field validation unsupported and
	// validates against these full schemas on the client, as against a server older than 1.25:
	// the sim's own strict check knows the field names of the top level, metadata and spec only,
	// and a typo in a container would pass it.
	const parameters = ['dryRun', 'fieldManager'].map((name) => ({
		name,
		in: 'query',
		type: 'string',
		uniqueItems: true,
	}));
	const ok = {description: 'OK', schema: {$ref: `${refPrefix}${definition}`}};
	const operation = (verb: string, action: string) => ({
		operationId: `${verb}${type.kind}`,
		'x-kubernetes-action': action,
		[gvkKey]: gvk,
		...(action === 'get' ? {} : {parameters}),
		responses: {'200': ok},
	});
	const item: Schema = {};
	if (verbs.includes('get')) item.get = operation('read', 'get');
	if (verbs.includes('patch')) item.patch = operation('patch', 'patch');
	const paths: Record<string, Schema> = {};
	if (verbs.includes('create')) paths[collection] = {post: operation('create', 'post')};
	if (Object.keys(item).length > 0) paths[`${collection}/{name}`] = item;
	return paths;
}

/** Every definition `roots` reach through `$ref`. */
function closure(definitions: Definitions, roots: string[]): Definitions {
	const kept: Definitions = {};
	const visit = (name: string) => {
		if (kept[name] || !definitions[name]) return;
		kept[name] = definitions[name];
		JSON.stringify(definitions[name], (key, value) => {
			if (key === '$ref' && typeof value === 'string')
				visit(value.replace(/^#\/definitions\//, ''));
			return value;
		});
	};
	for (const root of roots) visit(root);
	return kept;
}

/**
 * A v2 schema as v3 has it: `#/components/schemas/` references, and a reference with siblings
 * (a description) wrapped in `allOf`, as the API server publishes it.
 */
function toV3(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(toV3);
	if (!value || typeof value !== 'object') return value;
	const out: Schema = {};
	for (const [key, inner] of Object.entries(value)) out[key] = toV3(inner);
	const ref = out.$ref;
	if (typeof ref !== 'string') return out;
	const v3Ref = ref.replace(/^#\/definitions\//, '#/components/schemas/');
	if (Object.keys(out).length === 1) return {$ref: v3Ref};
	delete out.$ref;
	return {...out, allOf: [{$ref: v3Ref}]};
}

function v3Document(
	info: Schema,
	types: ResourceType[],
	definitions: Definitions,
	names: Map<ResourceType, string>,
): string {
	const roots = [...new Set(types.map((type) => names.get(type)!))];
	if (types.some((type) => type.scale)) roots.push('io.k8s.api.autoscaling.v1.Scale');
	roots.push(`${metaV1}.Status`, `${metaV1}.DeleteOptions`);
	const paths = Object.assign(
		{},
		...types.map((type) => pathsFor(type, names.get(type)!, '#/components/schemas/')),
	);
	for (const path of Object.values(paths) as Schema[]) {
		for (const operation of Object.values(path) as Schema[]) {
			const responses = operation.responses as Record<string, {schema: unknown}>;
			for (const [code, response] of Object.entries(responses)) {
				responses[code] = {
					description: 'OK',
					content: {'application/json': {schema: response.schema}},
				} as never;
			}
			operation.parameters = (operation.parameters as Schema[] | undefined)?.map(
				({type, ...parameter}) => ({...parameter, schema: {type}}),
			);
		}
	}
	return JSON.stringify({
		openapi: '3.0.0',
		info,
		paths,
		components: {schemas: toV3(closure(definitions, roots))},
	});
}

export function buildOpenApiDocs(): OpenApiDocs {
	const spec = JSON.parse(readFileSync(new URL('kubernetes.json', openApiDir), 'utf8')) as {
		swagger: string;
		info: Schema;
		definitions: Definitions;
	};
	const definitions: Definitions = {...spec.definitions};
	const names = new Map<ResourceType, string>();
	for (const type of resourceTypes) {
		let name = definitionFor(definitions, type);
		if (!name && !type.custom)
			throw new Error(
				`no schema for ${type.kind} (${apiVersionOf(type)}) in openapi/kubernetes.json: add it to scripts/openapi-subset.mjs and run it`,
			);
		if (!name) {
			name = crdDefinitionName(type);
			definitions[name] = crdDefinition(type, definitions);
		}
		names.set(type, name);
	}
	const paths = Object.assign(
		{},
		...resourceTypes.map((type) => pathsFor(type, names.get(type)!, '#/definitions/')),
	);
	const byGroupVersion = new Map<string, ResourceType[]>();
	for (const type of resourceTypes) {
		const key = type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`;
		byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), type]);
	}
	const v3 = new Map<string, {body: string; hash: string}>();
	for (const [key, types] of byGroupVersion) {
		const body = v3Document(spec.info, types, definitions, names);
		v3.set(key, {body, hash: createHash('sha512').update(body).digest('hex').toUpperCase()});
	}
	return {v2: {swagger: spec.swagger, info: spec.info, paths, definitions}, v3};
}
