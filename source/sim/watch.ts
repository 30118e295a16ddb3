import type {IncomingMessage, ServerResponse} from 'node:http';
import {tooOld} from './changes.js';
import {ApiError, errors} from './errors.js';
import {waitForVersion} from './list.js';
import {queryBool} from './request-options.js';
import {apiVersionOf, type ResourceType} from './resources.js';
import type {KubeObject, Store, WatchFilter} from './store.js';
import {acceptsTable, toTable} from './table.js';

export type WatchStream = {
	store: Store;
	type: ResourceType;
	filter: WatchFilter;
	/** The open streams' ends, so the server can drop them all at once. */
	open: Set<() => void>;
	bookmarkIntervalMs: number;
	/** How long a watch-list from a version not reached yet waits for it before its 504. */
	tooLargeWaitMs: number;
};

/** A BOOKMARK's object: only the type and the version the watch has reached. */
function bookmark({store, type}: WatchStream, annotations?: Record<string, string>) {
	return {
		kind: type.kind,
		apiVersion: apiVersionOf(type),
		metadata: {
			resourceVersion: String(store.resourceVersion),
			...(annotations ? {annotations} : {}),
		},
	};
}

/**
 * A `?watch=true` answer: one JSON event a line over a chunked response, from a resourceVersion
 * on, as Tables when kubectl asks for them, with bookmarks, until the client or timeoutSeconds ends it.
 * With `sendInitialEvents=true` (a watch-list), every object first as ADDED, then the bookmark
 * annotated `k8s.io/initial-events-end`, at a version not older than the one asked for.
 */
export async function streamWatch(
	watch: WatchStream,
	request: IncomingMessage,
	response: ServerResponse,
	url: URL,
): Promise<void> {
	const {store, type: resource, filter, open} = watch;
	const version = url.searchParams.get('resourceVersion');
	const requested =
		version === null || version === '' || version === '0' ? undefined : Number(version);
	if (requested !== undefined && !Number.isInteger(requested)) {
		throw errors.badRequest(`invalid resourceVersion "${version}": must be an integer`);
	}
	validateWatchList(url.searchParams);
	const initialEvents = queryBool(url, 'sendInitialEvents');
	const fromVersion = initialEvents ? undefined : requested;
	openStream(response);
	const table = acceptsTable(request.headers.accept);
	const write = (type: string, object: unknown) => {
		const body =
			table && type !== 'ERROR' && type !== 'BOOKMARK'
				? toTable(resource.plural, [object as KubeObject], String(store.resourceVersion))
				: object;
		response.write(`${JSON.stringify({type, object: body})}\n`);
	};
	let unsubscribe = () => {};
	const timers: NodeJS.Timeout[] = [];
	const end = () => {
		unsubscribe();
		for (const timer of timers) clearTimeout(timer);
		open.delete(end);
		response.end();
	};
	try {
		if (initialEvents && requested !== undefined) {
			await waitForVersion(store, requested, watch.tooLargeWaitMs);
			if (response.destroyed) return;
		}
		unsubscribe = store.watch(resource, fromVersion, filter, write);
		if (initialEvents) write('BOOKMARK', bookmark(watch, {'k8s.io/initial-events-end': 'true'}));
	} catch (error) {
		// A version too old for the history is answered inside the stream, as a real server does.
		if (error instanceof ApiError) write('ERROR', error.toStatus());
		response.end();
		return;
	}
	open.add(end);
	request.on('close', end);
	response.on('error', end);
	const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
	if (timeout > 0) timers.push(setTimeout(end, timeout * 1000));
	if (queryBool(url, 'allowWatchBookmarks')) {
		const interval = setInterval(
			() => write('BOOKMARK', bookmark(watch)),
			watch.bookmarkIntervalMs,
		);
		timers.push(interval);
	}
}

/**
 * The API server's checks of a watch's list options (ValidateListOptions): a watch-list needs
 * resourceVersionMatch=NotOlderThan, and only a watch-list takes a resourceVersionMatch.
 */
function validateWatchList(query: URLSearchParams): void {
	const match = query.get('resourceVersionMatch') ?? '';
	const forbidden: string[] = [];
	if (query.has('sendInitialEvents') && match !== 'NotOlderThan') {
		forbidden.push('sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
	}
	if (match !== '' && !query.has('sendInitialEvents')) {
		forbidden.push(
			'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
		);
	}
	if (forbidden.length === 0) return;
	const said = forbidden.map((detail) => `resourceVersionMatch: Forbidden: ${detail}`);
	const details = {
		group: 'meta.k8s.io',
		kind: 'ListOptions',
		causes: forbidden.map((detail) => ({
			reason: 'FieldValueForbidden',
			message: `Forbidden: ${detail}`,
			field: 'resourceVersionMatch',
		})),
	};
	const aggregate = said.length === 1 ? said[0] : `[${said.join(', ')}]`;
	throw new ApiError(
		422,
		'Invalid',
		`ListOptions.meta.k8s.io "" is invalid: ${aggregate}`,
		details,
	);
}

/** A watch's answer starts as a real server's does: 200, chunked JSON, before any event. */
function openStream(response: ServerResponse): void {
	response.writeHead(200, {
		'Content-Type': 'application/json',
		'Cache-Control': 'no-cache, private',
		'Transfer-Encoding': 'chunked',
	});
	response.flushHeaders();
}

/**
 * A watch resume answered as if the history had been compacted up to now: a 200 stream whose
 * only event is an ERROR with the 410 Expired Status, as a too-old version is answered above.
 */
export function expireResume(store: Store, response: ServerResponse, url: URL): void {
	const version = url.searchParams.get('resourceVersion') ?? '';
	const status = tooOld(version, store.resourceVersion + 1).toStatus();
	openStream(response);
	response.end(`${JSON.stringify({type: 'ERROR', object: status})}\n`);
}
