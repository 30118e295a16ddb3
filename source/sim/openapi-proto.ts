/**
 * The OpenAPI v2 document as client-go asks for it: protobuf of gnostic's `openapi.v2.Document`
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`), which it decodes without
 * falling back to JSON. Values that gnostic keeps as YAML (defaults, enums, extensions) are
 * written as JSON, which is YAML too.
 */
import {fileURLToPath} from 'node:url';
import type {OpenApiDocs, Schema} from './openapi-docs.js';
import {openApiDir} from './openapi-docs.js';

type Message = Record<string, unknown>;

const anyOf = (value: unknown): Message => ({yaml: JSON.stringify(value)});

const named = <T>(entries: Record<string, T>, convert: (value: T) => unknown) =>
	Object.entries(entries).map(([name, value]) => ({name, value: convert(value)}));

/** JSON Schema keys gnostic keeps under another name (the rest keep theirs). */
const renamed: Record<string, string> = {
	$ref: '_ref',
	multipleOf: 'multiple_of',
	exclusiveMaximum: 'exclusive_maximum',
	exclusiveMinimum: 'exclusive_minimum',
	maxLength: 'max_length',
	minLength: 'min_length',
	maxItems: 'max_items',
	minItems: 'min_items',
	uniqueItems: 'unique_items',
	maxProperties: 'max_properties',
	minProperties: 'min_properties',
	readOnly: 'read_only',
};

function schemaMessage(schema: Schema): Message {
	const message: Message = {};
	const extensions: Message[] = [];
	for (const [key, value] of Object.entries(schema)) {
		if (key.startsWith('x-')) extensions.push({name: key, value: anyOf(value)});
		else if (key === 'type') message.type = {value: [value].flat()};
		else if (key === 'items')
			message.items = {schema: ([value].flat() as Schema[]).map(schemaMessage)};
		else if (key === 'allOf') message.all_of = (value as Schema[]).map(schemaMessage);
		else if (key === 'properties')
			message.properties = {
				additional_properties: named(value as Record<string, Schema>, schemaMessage),
			};
		else if (key === 'additionalProperties')
			message.additional_properties =
				typeof value === 'boolean' ? {boolean: value} : {schema: schemaMessage(value as Schema)};
		else if (key === 'enum') message.enum = (value as unknown[]).map(anyOf);
		else if (key === 'default' || key === 'example') message[key] = anyOf(value);
		else message[renamed[key] ?? key] = value;
	}
	if (extensions.length > 0) message.vendor_extension = extensions;
	return message;
}

function operationMessage(operation: Schema): Message {
	const {operationId, parameters, responses, ...extensions} = operation as {
		operationId: string;
		parameters?: Schema[];
		responses: Record<string, {description: string; schema: Schema}>;
	};
	return {
		operation_id: operationId,
		parameters: (parameters ?? []).map((parameter) => ({
			parameter: {
				non_body_parameter: {
					query_parameter_sub_schema: {
						in: parameter.in,
						name: parameter.name,
						type: parameter.type,
						unique_items: parameter.uniqueItems,
					},
				},
			},
		})),
		responses: {
			response_code: named(responses, ({description, schema}) => ({
				response: {description, schema: {schema: schemaMessage(schema)}},
			})),
		},
		vendor_extension: named(extensions, anyOf),
	};
}

function documentMessage(v2: OpenApiDocs['v2']): Message {
	return {
		swagger: v2.swagger,
		info: v2.info,
		paths: {
			path: named(v2.paths, (item) =>
				Object.fromEntries(
					Object.entries(item).map(([verb, operation]) => [
						verb,
						operationMessage(operation as Schema),
					]),
				),
			),
		},
		definitions: {additional_properties: named(v2.definitions, schemaMessage)},
	};
}

export async function encodeOpenApiV2(v2: OpenApiDocs['v2']): Promise<Uint8Array> {
	// Imported here, not above: the bundle leaves protobufjs out, and nothing loads it until a
	// client asks for the v2 document.
	const {default: protobuf} = await import('protobufjs');
	const root = new protobuf.Root().loadSync(fileURLToPath(new URL('OpenAPIv2.proto', openApiDir)), {
		keepCase: true,
	});
	const Document = root.lookupType('openapi.v2.Document');
	const message = Document.fromObject(documentMessage(v2));
	return Document.encode(message).finish();
}
