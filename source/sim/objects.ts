/** The objects the store keeps, and what its watchers and writers pass it. */
import type {ResourceType} from './resources.js';
import type {Selector} from './selectors.js';

export type ObjectMeta = {
	name?: string;
	generateName?: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: Array<{
		apiVersion: string;
		kind: string;
		name: string;
		uid: string;
		controller?: boolean;
		blockOwnerDeletion?: boolean;
	}>;
	[key: string]: unknown;
};

export type KubeObject = {
	apiVersion?: string;
	kind?: string;
	metadata: ObjectMeta;
	// biome-ignore lint/suspicious/noExplicitAny: objects are arbitrary JSON shaped by their kind
	spec?: any;
	// biome-ignore lint/suspicious/noExplicitAny: objects are arbitrary JSON shaped by their kind
	status?: any;
	[key: string]: unknown;
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type StoreEvent = {
	type: WatchEventType;
	resourceType: ResourceType;
	object: KubeObject;
	previous?: KubeObject;
	resourceVersion: number;
};

export type WatchFilter = {
	namespace?: string;
	labelSelector?: Selector;
	fieldSelector?: Selector;
};

export type WriteOptions = {subresource?: 'status'; dryRun?: boolean};
