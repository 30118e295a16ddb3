/**
 * Server-side printing: the `meta.k8s.io/v1` Table that `kubectl get` asks for with
 * `Accept: application/json;as=Table;...`. Without it kubectl falls back to NAME and AGE only.
 */
import {defaultCrdPrinter} from './printers/crd.js';
import {apiVersionOf, resourceTypes} from './resources.js';

export {humanDuration} from './printers/format.js';

export type ObjectMeta = {
	name?: string;
	namespace?: string;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	[key: string]: unknown;
};

/** A plain JSON Kubernetes object; events and configmaps keep data outside spec/status. */
export type KubeObject = {
	apiVersion?: string;
	kind?: string;
	metadata?: ObjectMeta;
	spec?: unknown;
	status?: unknown;
	[key: string]: unknown;
};

export type ColumnDefinition = {
	name: string;
	type: string;
	format: string;
	description: string;
	/** 0 for the default view, 1 for the columns kubectl adds with `-o wide`. */
	priority: number;
};

export type TableRow = {cells: unknown[]; object?: unknown};

export type Table = {
	kind: 'Table';
	apiVersion: 'meta.k8s.io/v1';
	metadata: {resourceVersion?: string};
	columnDefinitions: ColumnDefinition[];
	rows: TableRow[];
};

export type TableOptions = {includeObject?: 'None' | 'Metadata' | 'Object'; now?: Date};

/** resource is the plural (deployments, pods, ...); objects are plain JSON Kubernetes objects. */
export function toTable(
	resource: string,
	objects: KubeObject[],
	listResourceVersion: string,
	options: TableOptions = {},
): Table {
	const type = resourceTypes.find((t) => t.plural === resource);
	// A resource the sim does not serve prints as a CRD without printer columns would.
	const printer = type?.printer ?? defaultCrdPrinter;
	const now = options.now ?? new Date();
	const include = options.includeObject ?? 'Metadata';
	const rows = objects.map((object): TableRow => {
		const row: TableRow = {cells: printer.cells(object, now)};
		// kubectl reads namespace and labels (-A, --show-labels) from the row's object.
		if (include === 'Metadata') {
			row.object = {
				kind: 'PartialObjectMetadata',
				apiVersion: 'meta.k8s.io/v1',
				metadata: object.metadata ?? {},
			};
		} else if (include === 'Object') {
			// kubectl decodes these (for --sort-by) and cannot without kind and apiVersion.
			row.object = type ? {apiVersion: apiVersionOf(type), kind: type.kind, ...object} : object;
		}
		return row;
	});
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: listResourceVersion ? {resourceVersion: listResourceVersion} : {},
		columnDefinitions: printer.columns,
		rows,
	};
}

/** True when one of the Accept alternatives is a JSON Table of meta.k8s.io v1 or v1beta1. */
export function acceptsTable(acceptHeader: string | undefined): boolean {
	if (!acceptHeader) return false;
	return acceptHeader.split(',').some((clause) => {
		const [mediaType = '', ...rawParams] = clause.split(';').map((part) => part.trim());
		if (mediaType.toLowerCase() !== 'application/json') return false;
		const params = new Map(
			rawParams.map((p) => {
				const eq = p.indexOf('=');
				return [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim()] as const;
			}),
		);
		return (
			params.get('as') === 'Table' &&
			params.get('g') === 'meta.k8s.io' &&
			(params.get('v') === 'v1' || params.get('v') === 'v1beta1')
		);
	});
}
