import {EventEmitter} from 'node:events';
import {
	type KubernetesListObject,
	type KubernetesObject,
	makeInformer,
} from '@kubernetes/client-node';
import type {ConnectionState} from '../core/adapters.js';
import {kindKey, kinds, listQuery} from '../core/kinds.js';
import {snapshotOf} from '../core/snapshot.js';
import type {KindRef, KubeObject, Snapshot} from '../core/types.js';
import {ClusterError, type KubeClient, networkCause, pathOf} from './client.js';

export type {ConnectionState};

type Feed = {
	kind: KindRef;
	informer: ReturnType<typeof makeInformer<KubernetesObject>>;
	failing?: string;
	missing: boolean;
	synced: boolean;
	retry?: NodeJS.Timeout;
	backoffMs: number;
	/** Counts starts; a failure remembers which start it ended. */
	attempt: number;
	failedAttempt: number;
};

const maxBackoffMs = 30_000;
const missingRetryMs = 60_000;

/**
 * Keeps the cluster's state (the kinds the strategies watch, and Events) through informers (list, then watch; re-list after 410), restarts a
 * failed watch with backoff, and emits 'change' (coalesced) when anything moved.
 */
export class ClusterWatcher extends EventEmitter {
	private readonly feeds: Feed[] = [];
	private lastDataAt = 0;
	private stopped = false;
	private pending: NodeJS.Timeout | undefined;

	private readonly kinds: KindRef[];

	constructor(
		private readonly client: KubeClient,
		readonly namespace: string | undefined,
		watches: KindRef[],
		private readonly coalesceMs = 30,
	) {
		super();
		this.kinds = [...watches, kinds.event];
	}

	start(): void {
		for (const kind of this.kinds) this.feeds.push(this.feed(kind));
		for (const feed of this.feeds) void this.run(feed);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.pending);
		await Promise.all(
			this.feeds.map(async (feed) => {
				clearTimeout(feed.retry);
				await feed.informer.stop().catch(() => {});
			}),
		);
	}

	private feed(kind: KindRef): Feed {
		const path = pathOf({...kind, ...(this.namespace ? {namespace: this.namespace} : {})});
		const list = () =>
			this.client.get<KubernetesListObject<KubernetesObject>>(`${path}${listQuery(kind)}`);
		// The watch carries the same selector as the list, so its cache holds only those objects.
		const informer = makeInformer<KubernetesObject>(
			this.client.config,
			path,
			list,
			...(kind.labelSelector ? [kind.labelSelector] : []),
		);
		const feed: Feed = {
			kind,
			informer,
			missing: false,
			synced: false,
			backoffMs: 1000,
			attempt: 0,
			failedAttempt: -1,
		};
		const changed = () => {
			feed.synced = true;
			feed.failing = undefined;
			feed.backoffMs = 1000;
			this.lastDataAt = Date.now();
			this.changed();
		};
		informer.on('add', changed);
		informer.on('update', changed);
		informer.on('delete', changed);
		informer.on('error', (error: unknown) => this.failed(feed, error));
		return feed;
	}

	private async run(feed: Feed): Promise<void> {
		if (this.stopped) return;
		const attempt = ++feed.attempt;
		try {
			await feed.informer.start();
		} catch (error) {
			this.failed(feed, error);
		}
		// The informer reports a failed list through its error callback, not by throwing.
		if (feed.failedAttempt === attempt || this.stopped) return;
		// An empty list fires no add event: a successful start is fresh data too.
		feed.synced = true;
		feed.missing = false;
		feed.failing = undefined;
		feed.backoffMs = 1000;
		this.lastDataAt = Date.now();
		this.changed();
	}

	private failed(feed: Feed, error: unknown): void {
		if (this.stopped) return;
		feed.failedAttempt = feed.attempt;
		const notServed = error instanceof ClusterError && error.kind === 'not-found';
		if (notServed && feed.kind.optional) {
			feed.missing = true;
			feed.failing = undefined;
			feed.synced = true;
		} else {
			feed.failing = this.describe(error);
		}
		clearTimeout(feed.retry);
		const delay = feed.missing ? missingRetryMs : feed.backoffMs;
		feed.backoffMs = Math.min(maxBackoffMs, feed.backoffMs * 2);
		feed.retry = setTimeout(() => void this.run(feed), delay);
		feed.retry.unref();
		this.changed();
	}

	/**
	 * The watch stream's own failures come from node-fetch ("request to http://… failed, reason:
	 * connect ECONNREFUSED …"): said as the adapter's requests say it (the cause in words, its
	 * code), so the status line reads the same whichever request noticed first.
	 */
	private describe(error: unknown): string {
		if (error instanceof ClusterError) return error.message;
		return `cannot reach the API server at ${this.client.server}: ${networkCause(error)}`;
	}

	private changed(): void {
		if (this.pending || this.stopped) return;
		this.pending = setTimeout(() => {
			this.pending = undefined;
			this.emit('change');
		}, this.coalesceMs);
	}

	private objects(kind: KindRef): KubeObject[] {
		const feed = this.feeds.find((f) => kindKey(f.kind) === kindKey(kind));
		return feed && !feed.missing ? (feed.informer.list() as unknown as KubeObject[]) : [];
	}

	snapshot(): Snapshot {
		return snapshotOf(this.feeds.map((feed) => [feed.kind, this.objects(feed.kind)]));
	}

	events(): KubeObject[] {
		return this.objects(kinds.event);
	}

	state(): ConnectionState {
		const failing = this.feeds.find((f) => f.failing);
		const missing = this.feeds.filter((f) => f.missing).map((f) => kindKey(f.kind));
		const synced = this.feeds.every((f) => f.synced);
		return {
			status: failing ? 'disconnected' : synced ? 'live' : 'connecting',
			lastDataAt: this.lastDataAt,
			...(failing?.failing ? {error: failing.failing} : {}),
			missing,
		};
	}
}
