import {errors} from './errors.js';
import type {StoreEvent} from './objects.js';

/** The 410 of a watch from a version the history no longer holds (`oldest`: the first it does). */
export function tooOld(fromVersion: number | string, oldest: number) {
	return errors.gone(`too old resource version: ${fromVersion} (${oldest})`);
}

/** As etcd's: the API server asks it to compact every 5 minutes. */
export const defaultCompactionMs = 5 * 60_000;

/**
 * The store's recent changes, as etcd's revision history compacted by time: a watch resumes from
 * a version in it, or gets 410 Gone and lists again; a list reads an older version through it.
 * And the subscribers told of each new change.
 */
export class ChangeHistory {
	private events: Array<{event: StoreEvent; at: number}> = [];
	/** Watches may resume only from this version on; older ones get 410 Gone. */
	private compactedThrough = 0;
	private readonly subscribers = new Set<(event: StoreEvent) => void>();

	constructor(
		private readonly windowMs = defaultCompactionMs,
		private readonly now: () => number = Date.now,
	) {}

	record(event: StoreEvent): void {
		this.events.push({event, at: this.now()});
		this.expire();
		for (const subscriber of this.subscribers) subscriber(event);
	}

	/** Forgets the changes older than the window: the versions before them can no longer be read. */
	private expire(): void {
		const cutoff = this.now() - this.windowMs;
		let dropped = 0;
		while (dropped < this.events.length && this.events[dropped]!.at < cutoff) dropped++;
		if (dropped === 0) return;
		this.compactedThrough = this.events[dropped - 1]!.event.resourceVersion;
		this.events.splice(0, dropped);
	}

	/** The oldest version a watch may resume from or a list may read. */
	get oldest(): number {
		this.expire();
		return this.compactedThrough;
	}

	/** The retained changes after `version`, oldest first; undefined when some are forgotten. */
	after(version: number): StoreEvent[] | undefined {
		if (version < this.oldest) return undefined;
		return this.events.filter(({event}) => event.resourceVersion > version).map((e) => e.event);
	}

	/** Hands over each retained change after `fromVersion`; 410 Gone when some are forgotten. */
	replay(fromVersion: number, deliver: (event: StoreEvent) => void): void {
		const events = this.after(fromVersion);
		if (!events) throw tooOld(fromVersion, this.compactedThrough);
		for (const event of events) deliver(event);
	}

	subscribe(deliver: (event: StoreEvent) => void): () => void {
		this.subscribers.add(deliver);
		return () => this.subscribers.delete(deliver);
	}

	/** Forgets every change and subscriber: a new history, from version 0. */
	reset(): void {
		this.events = [];
		this.compactedThrough = 0;
		this.subscribers.clear();
	}

	/** Forgets every change through `version`, as etcd compaction does. */
	compact(version: number): void {
		this.compactedThrough = version;
		this.events = [];
	}
}
