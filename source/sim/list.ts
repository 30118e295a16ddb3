/**
 * A list as the API server reads it: from now, at an exact older version, or not older than a
 * version; in pages (`limit`, an opaque `continue` token, `remainingItemCount`) whose
 * resourceVersion stays the first page's, as etcd serves them.
 */
import {ApiError, errors, type Status} from './errors.js';
import {listKey} from './history-reads.js';
import type {ResourceType} from './resources.js';
import type {KubeObject, Store, WatchFilter} from './store.js';

export type ListPage = {
	items: KubeObject[];
	resourceVersion: string;
	continue?: string;
	remainingItemCount?: number;
};

type ContinueToken = {v: string; rv: number; start: string};

const expiredList = 'The resourceVersion for the provided list is too old.';
const inconsistentContinue =
	'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** The 410 of a continue token whose version is compacted, carrying one to go on from now. */
class ContinueExpired extends ApiError {
	constructor(private readonly next: string) {
		super(410, 'Expired', inconsistentContinue);
	}

	override toStatus(): Status {
		return {...super.toStatus(), metadata: {continue: this.next} as unknown as Status['metadata']};
	}
}

/** The 504 of a version this server has not reached, after waiting for it as the watch cache does. */
export function tooLarge(version: number, current: number): ApiError {
	const details = {
		causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}],
		retryAfterSeconds: 1,
	};
	return new ApiError(
		504,
		'Timeout',
		`Timeout: Too large resource version: ${version}, current: ${current}`,
		details,
	);
}

function encodeContinue(start: string, rv: number): string {
	return Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start})).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
	const invalid = (why: string) =>
		errors.badRequest(`invalid continue token: continue key is not valid: ${why}`);
	let parsed: Partial<ContinueToken>;
	try {
		if (!/^[A-Za-z0-9_-]*$/.test(token)) throw new Error('illegal base64 data');
		parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
	} catch (error) {
		throw invalid((error as Error).message);
	}
	if (parsed?.v !== 'meta.k8s.io/v1') {
		throw invalid(`server does not recognize this encoded version "${parsed?.v ?? ''}"`);
	}
	if (!Number.isInteger(parsed.rv) || parsed.rv === 0) {
		throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
	}
	if (typeof parsed.start !== 'string' || parsed.start === '') {
		throw invalid('encoded start key empty (version meta.k8s.io/v1)');
	}
	return parsed as ContinueToken;
}

function parseVersion(text: string): number {
	const version = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(version)) {
		throw errors.badRequest(
			`invalid resource version: strconv.ParseUint: parsing "${text}": invalid syntax`,
		);
	}
	return version;
}

/** Waits up to `waitMs` for the store to reach `version`; else the watch cache's 504. */
export async function waitForVersion(store: Store, version: number, waitMs: number): Promise<void> {
	const deadline = Date.now() + waitMs;
	while (store.resourceVersion < version) {
		if (Date.now() >= deadline) throw tooLarge(version, store.resourceVersion);
		await new Promise((resolve) => setTimeout(resolve, Math.min(50, waitMs)));
	}
}

export async function readList(
	store: Store,
	type: ResourceType,
	filter: WatchFilter,
	query: URLSearchParams,
	waitMs: number,
): Promise<ListPage> {
	const token = query.get('continue') || undefined;
	const version = query.get('resourceVersion') ?? '';
	let page: {items: KubeObject[]; resourceVersion: string};
	let start = '';
	if (token) {
		if (version !== '' && version !== '0') {
			throw errors.badRequest('specifying resource version is not allowed when using continue');
		}
		const decoded = decodeContinue(token);
		start = decoded.start;
		// -1: go on from now (the token of an expired one), at the cost of a consistent list.
		const read =
			decoded.rv === -1 ? store.list(type, filter) : store.listAt(type, filter, decoded.rv);
		if (!read) throw new ContinueExpired(encodeContinue(start, -1));
		page = read;
	} else if (version !== '' && version !== '0') {
		const wanted = parseVersion(version);
		await waitForVersion(store, wanted, waitMs);
		if (query.get('resourceVersionMatch') === 'Exact') {
			const read = store.listAt(type, filter, wanted);
			if (!read) throw errors.gone(expiredList);
			page = read;
		} else page = store.list(type, filter);
	} else page = store.list(type, filter);
	const limit = Number(query.get('limit') ?? 0);
	const rest = start ? page.items.filter((object) => listKey(object) >= start) : page.items;
	if (!Number.isInteger(limit) || limit <= 0 || rest.length <= limit) {
		return {items: rest, resourceVersion: page.resourceVersion};
	}
	const items = rest.slice(0, limit);
	const selected = Boolean(query.get('labelSelector') || query.get('fieldSelector'));
	return {
		items,
		resourceVersion: page.resourceVersion,
		continue: encodeContinue(`${listKey(items.at(-1)!)}\u0000`, Number(page.resourceVersion)),
		// etcd counts what is left only when nothing is filtered out, and so the API server says it only then.
		...(selected ? {} : {remainingItemCount: rest.length - limit}),
	};
}
