import {errors} from './errors.js';
import type {StoreEvent} from './objects.js';

/** The 410 of a watch from a version the history no longer holds (`oldest`: the first it does). */
export function tooOld(fromVersion: number | string, oldest: number) {
	return errors.gone(`too old resource version: ${fromVersion} (${oldest})`);
}

/**
 * The store's recent changes, as etcd's bounded revision history: a watch resumes from a version
 * in it, or gets 410 Gone and lists again. And the subscribers told of each new change.
 */
export class ChangeHistory {
	private events: StoreEvent[] = [];
	/** Watches may resume only from a version after this one; older ones get 410 Gone. */
	private compactedThrough = 0;
	private readonly subscribers = new Set<(event: StoreEvent) => void>();

	constructor(private readonly limit: number) {}

	record(event: StoreEvent): void {
		this.events.push(event);
		if (this.events.length > this.limit) {
			const dropped = this.events.splice(0, this.events.length - this.limit);
			this.compactedThrough = dropped.at(-1)!.resourceVersion;
		}
		for (const subscriber of this.subscribers) subscriber(event);
	}

	/** Hands over each retained change after `fromVersion`; 410 Gone when some are forgotten. */
	replay(fromVersion: number, deliver: (event: StoreEvent) => void): void {
		if (fromVersion < this.compactedThrough) {
			throw tooOld(fromVersion, this.compactedThrough + 1);
		}
		for (const event of this.events) if (event.resourceVersion > fromVersion) deliver(event);
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
