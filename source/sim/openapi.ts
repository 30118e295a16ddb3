/**
 * `/openapi/v2` and `/openapi/v3`, for `kubectl apply` / `edit` (client-side validation, patch
 * strategies) and `explain`. The schemas are read and the documents built on the first request,
 * so a sim that nobody asks for them starts as fast as before.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {errors} from './errors.js';
import {send} from './http.js';
import {buildOpenApiDocs, type OpenApiDocs} from './openapi-docs.js';

// Asked for as `...spec.v2@v1.0+protobuf`; answered, as the API server does, with a type Go's
// mime parser accepts.
const protobufV2 = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

let docs: OpenApiDocs | undefined;
let v2Protobuf: Uint8Array | undefined;

function loaded(): OpenApiDocs {
	docs ??= buildOpenApiDocs();
	return docs;
}

function sendBytes(
	response: ServerResponse,
	type: string,
	body: Uint8Array | string,
	headers = {},
) {
	response.writeHead(200, {
		...headers,
		'Content-Type': type,
		'Content-Length': Buffer.byteLength(body),
	});
	response.end(body);
}

/** Answers a request under `/openapi/`; `segments` are its path after `openapi`. */
export async function serveOpenApi(
	segments: string[],
	request: IncomingMessage,
	response: ServerResponse,
	url: URL,
): Promise<void> {
	if (request.method !== 'GET') throw errors.methodNotAllowed(request.method ?? '');
	const [version, ...rest] = segments;
	if (version === 'v2' && rest.length === 0) {
		const accept = request.headers.accept ?? '';
		if (!accept.includes('protobuf')) return send(response, 200, loaded().v2);
		if (!v2Protobuf) {
			const {encodeOpenApiV2} = await import('./openapi-proto.js');
			v2Protobuf = await encodeOpenApiV2(loaded().v2);
		}
		return sendBytes(response, protobufV2, v2Protobuf);
	}
	if (version !== 'v3') throw errors.pathNotFound();
	const v3 = loaded().v3;
	if (rest.length === 0) {
		const paths = Object.fromEntries(
			[...v3].map(([path, {hash}]) => [
				path,
				{serverRelativeURL: `/openapi/v3/${path}?hash=${hash}`},
			]),
		);
		return send(response, 200, {paths});
	}
	const path = rest.join('/');
	const document = v3.get(path);
	if (!document) throw errors.pathNotFound();
	const asked = url.searchParams.get('hash');
	if (asked && asked !== document.hash) {
		// As the API server does: an old hash is sent to the document's current address.
		response.writeHead(301, {Location: `/openapi/v3/${path}?hash=${document.hash}`});
		response.end();
		return;
	}
	const caching = asked
		? {
				'Cache-Control': 'public, immutable',
				Expires: new Date(Date.now() + 31_536_000_000).toUTCString(),
			}
		: {'Cache-Control': 'no-cache, private'};
	sendBytes(response, 'application/json', document.body, {...caching, Etag: `"${document.hash}"`});
}
