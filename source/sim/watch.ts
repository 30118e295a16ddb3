import type {IncomingMessage, ServerResponse} from 'node:http';
import {tooOld} from './changes.js';
import {ApiError, errors} from './errors.js';
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
};

/**
 * A `?watch=true` answer: one JSON event a line over a chunked response, from a resourceVersion
 * on, as Tables when kubectl asks for them, with bookmarks, until the client or timeoutSeconds ends it.
 */
export function streamWatch(
	watch: WatchStream,
	request: IncomingMessage,
	response: ServerResponse,
	url: URL,
): void {
	const {store, type: resource, filter, open} = watch;
	const version = url.searchParams.get('resourceVersion');
	const fromVersion =
		version === null || version === '' || version === '0' ? undefined : Number(version);
	if (fromVersion !== undefined && !Number.isInteger(fromVersion)) {
		throw errors.badRequest(`invalid resourceVersion "${version}": must be an integer`);
	}
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
		unsubscribe = store.watch(resource, fromVersion, filter, write);
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
		const interval = setInterval(() => {
			write('BOOKMARK', {
				kind: resource.kind,
				apiVersion: apiVersionOf(resource),
				metadata: {resourceVersion: String(store.resourceVersion)},
			});
		}, watch.bookmarkIntervalMs);
		timers.push(interval);
	}
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
