import {EventEmitter} from 'node:events';
import {
	type KubeConfig,
	type KubernetesListObject,
	type KubernetesObject,
	ListWatch,
	Watch,
} from '@kubernetes/client-node';
import type {ConnectionState} from '../core/adapters.js';
import {kindKey, kinds, listQuery} from '../core/kinds.js';
import {snapshotOf} from '../core/snapshot.js';
import type {KindRef, KubeObject, Snapshot} from '../core/types.js';
import {ClusterError, type KubeClient, networkCause, pathOf} from './client.js';

export type {ConnectionState};

type Feed = {
	kind: KindRef;
	informer: ListWatch<KubernetesObject>;
	/** Its watch is established (the server answered it and has not closed it). */
	open: boolean;
	/** Until when its objects are known to be the cluster's: an event, a probe answered while open, or the watch's end. */
	currentAt: number;
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

export type Freshness = {
	/** How often the API server is asked something cheap when the watches are quiet. */
	probeMs: number;
	/** Data not known current for this long is stale: said on screen, actions on it disabled. */
	staleAfterMs: number;
	/**
	 * A watch the server has not answered (no status, no headers) in this long is given up and
	 * started again: client-node's Watch has no bound of its own, so one request stuck in a
	 * proxy or a hung server would leave its kind silent after the server is back.
	 */
	watchOpenMs: number;
	/** For the backoff's jitter (tests pass a fixed one). */
	random: () => number;
};

const defaultFreshness: Freshness = {
	probeMs: 5000,
	staleAfterMs: 15_000,
	watchOpenMs: 10_000,
	random: Math.random,
};

/** A resourceVersion as a number when it is one (etcd's are); opaque ones compare as nothing. */
function revision(resourceVersion: string | undefined): bigint | undefined {
	return resourceVersion && /^\d+$/.test(resourceVersion) ? BigInt(resourceVersion) : undefined;
}

/**
 * Keeps the cluster's state (the kinds the strategies watch, and Events) through informers
 * (list, then watch; re-list after 410), restarts a failed watch with backoff, and emits
 * 'change' (coalesced) when anything moved. Silence is not health: each kind knows until when
 * its data is known current (an event, its watch open while a cheap probe is answered), and a
 * probe that sees the server's resourceVersions go backwards (its history reset: restarted
 * empty, restored, another cluster at the address) lists everything again.
 */
export class ClusterWatcher extends EventEmitter {
	private readonly feeds: Feed[] = [];
	private lastDataAt = 0;
	private stopped = false;
	private pending: NodeJS.Timeout | undefined;

	private readonly kinds: KindRef[];
	private probe: NodeJS.Timeout | undefined;
	private probing = false;
	private readonly freshness: Freshness;

	constructor(
		private readonly client: KubeClient,
		readonly namespace: string | undefined,
		watches: KindRef[],
		private readonly coalesceMs = 30,
		freshness: Partial<Freshness> = {},
	) {
		super();
		this.kinds = [...watches, kinds.event];
		this.freshness = {...defaultFreshness, ...freshness};
	}

	start(): void {
		for (const kind of this.kinds) this.feeds.push(this.feed(kind));
		for (const feed of this.feeds) void this.run(feed);
		this.probe = setInterval(() => void this.ask(), this.freshness.probeMs);
		this.probe.unref();
	}

	/**
	 * The cheap request: one item of Events. Answered, every open watch's data is current (the
	 * server is up and its watches would have said otherwise); its resourceVersion lower than
	 * one already seen means a new history, and everything is listed again.
	 */
	private async ask(): Promise<void> {
		if (this.probing || this.stopped) return;
		this.probing = true;
		try {
			const path = pathOf({...kinds.event, ...(this.namespace ? {namespace: this.namespace} : {})});
			const answer = await this.client.request<{metadata?: {resourceVersion?: string}}>(
				'GET',
				`${path}?limit=1`,
				{timeoutMs: Math.max(1000, this.freshness.probeMs - 500)},
			);
			if (answer.status !== 200) {
				this.changed();
				return;
			}
			const now = Date.now();
			const current = revision(answer.body?.metadata?.resourceVersion);
			const seen = this.feeds
				.map((f) => revision(f.informer.latestResourceVersion()))
				.filter((r): r is bigint => r !== undefined);
			if (current !== undefined && seen.some((r) => r > current)) {
				this.relistAll();
				return;
			}
			for (const feed of this.feeds) if (feed.open) feed.currentAt = now;
			this.changed();
		} catch {
			// Unanswered: nothing is refreshed, and the data ages toward stale (said on the next change).
			this.changed();
		} finally {
			this.probing = false;
		}
	}

	/** A new history: every kind listed afresh, as on start (its objects replaced, not merged). */
	private relistAll(): void {
		for (const [index, old] of this.feeds.entries()) {
			clearTimeout(old.retry);
			void old.informer.stop().catch(() => {});
			const feed = this.feed(old.kind);
			this.feeds[index] = feed;
			void this.run(feed);
		}
		this.changed();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearInterval(this.probe);
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
		const feed = {} as Feed;
		// The watch carries the same selector as the list, so its cache holds only those objects;
		// it is wrapped to know when it is established and when it ends.
		const informer = new ListWatch<KubernetesObject>(
			path,
			this.tracked(feed),
			list,
			false,
			...(kind.labelSelector ? [kind.labelSelector] : []),
		);
		Object.assign(feed, {
			kind,
			informer,
			open: false,
			currentAt: 0,
			missing: false,
			synced: false,
			backoffMs: 1000,
			attempt: 0,
			failedAttempt: -1,
		});
		const changed = () => {
			feed.synced = true;
			feed.currentAt = Date.now();
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

	/** The Watch the informer uses, telling the feed when its watch opens, speaks and ends. */
	private tracked(feed: Feed): Watch {
		const real = new Watch(boundedOpen(this.client.config, this.freshness.watchOpenMs));
		return {
			watch: async (path, query, callback, done) => {
				let ended = false;
				const controller = await real.watch(
					path,
					// Bookmarks: a quiet watch still says it is there.
					{...query, allowWatchBookmarks: true},
					(type, object, data) => {
						feed.currentAt = Date.now();
						callback(type, object, data);
					},
					(error) => {
						ended = true;
						// Current until it ended, if it was open; a watch that never opened adds nothing.
						if (feed.open) feed.currentAt = Date.now();
						feed.open = false;
						this.changed();
						done(error);
					},
				);
				if (!ended && !this.stopped) {
					feed.open = true;
					feed.currentAt = Date.now();
					this.changed();
				}
				return controller;
			},
		} as Watch;
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
		// Jittered, so a fleet of consoles does not come back to a recovering server in step;
		// never sooner than the server's Retry-After.
		const asked = error instanceof ClusterError ? (error.retryAfterSeconds ?? 0) * 1000 : 0;
		const jittered = feed.backoffMs * (0.5 + this.freshness.random() * 0.5);
		const delay = feed.missing ? missingRetryMs : Math.max(jittered, asked);
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

	state(now = Date.now()): ConnectionState {
		const failing = this.feeds.find((f) => f.failing);
		const missing = this.feeds.filter((f) => f.missing).map((f) => kindKey(f.kind));
		const synced = this.feeds.every((f) => f.synced);
		// The oldest kind's: what is on screen is as old as its oldest part.
		const watched = this.feeds.filter((f) => !f.missing);
		const currentAt = watched.length > 0 ? Math.min(...watched.map((f) => f.currentAt)) : now;
		const stale = synced && now - currentAt > this.freshness.staleAfterMs;
		return {
			status: failing ? 'disconnected' : !synced ? 'connecting' : stale ? 'stale' : 'live',
			lastDataAt: this.lastDataAt,
			...(synced ? {currentAt} : {}),
			...(failing?.failing ? {error: failing.failing} : {}),
			missing,
		};
	}
}

/**
 * The kubeconfig as the Watch sees it, with node-fetch's `timeout`: it bounds the wait for the
 * answer's headers only (a stream read line by line is never timed), and on expiry it aborts
 * the request, so the stuck socket is freed and the informer's error restarts the watch.
 */
function boundedOpen(config: KubeConfig, timeout: number): KubeConfig {
	const bounded = Object.create(config) as KubeConfig;
	bounded.applyToFetchOptions = async (options) => ({
		...(await config.applyToFetchOptions(options)),
		timeout,
	});
	return bounded;
}
