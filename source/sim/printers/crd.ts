/** Custom resources print their CRD's additionalPrinterColumns, as the apiextensions server does. */
import type {KubeObject} from '../table.js';
import {col, creationDoc, humanDuration, isObj, nameCol, type Printer} from './format.js';

/** A CRD's additionalPrinterColumns entry. */
type CrdColumn = {
	name: string;
	type: string;
	jsonPath: string;
	priority?: number;
	description?: string;
};

/** fluxcd/flagger artifacts/flagger/crd.yaml, canaries.flagger.app v1beta1. */
const canaryColumns: CrdColumn[] = [
	{name: 'Status', type: 'string', jsonPath: '.status.phase'},
	{name: 'Weight', type: 'string', jsonPath: '.status.canaryWeight'},
	{name: 'Suspended', type: 'boolean', jsonPath: '.spec.suspend', priority: 1},
	{name: 'FailedChecks', type: 'string', jsonPath: '.status.failedChecks', priority: 1},
	{name: 'Interval', type: 'string', jsonPath: '.spec.analysis.interval', priority: 1},
	{name: 'Mirror', type: 'boolean', jsonPath: '.spec.analysis.mirror', priority: 1},
	{name: 'StepWeight', type: 'string', jsonPath: '.spec.analysis.stepWeight', priority: 1},
	{name: 'StepWeights', type: 'string', jsonPath: '.spec.analysis.stepWeights', priority: 1},
	{name: 'MaxWeight', type: 'string', jsonPath: '.spec.analysis.maxWeight', priority: 1},
	{name: 'LastTransitionTime', type: 'string', jsonPath: '.status.lastTransitionTime'},
];

/** argoproj/argo-rollouts kubebuilder printcolumns on the Rollout type. */
const rolloutColumns: CrdColumn[] = [
	{
		name: 'Desired',
		type: 'integer',
		jsonPath: '.spec.replicas',
		description: 'Number of desired pods',
	},
	{
		name: 'Current',
		type: 'integer',
		jsonPath: '.status.replicas',
		description: 'Total number of non-terminated pods targeted by this rollout',
	},
	{
		name: 'Up-to-date',
		type: 'integer',
		jsonPath: '.status.updatedReplicas',
		description:
			'Total number of non-terminated pods targeted by this rollout that have the desired template spec',
	},
	{
		name: 'Available',
		type: 'integer',
		jsonPath: '.status.availableReplicas',
		description:
			'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout',
	},
	{
		name: 'Age',
		type: 'date',
		jsonPath: '.metadata.creationTimestamp',
		description: 'Time since resource was created',
	},
];

/** What a CRD without printer columns gets (apiextensions serveDefaultColumnsIfEmpty). */
const defaultColumns: CrdColumn[] = [
	{name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: creationDoc},
];

/** Go's %v for a float64: %g with shortest digits, exponent form outside [1e-4, 1e6). */
function goFloat(v: number): string {
	if (Number.isInteger(v)) return String(v); // whole JSON numbers decode as int64 on the server
	const [mantissa = '', exp = '0'] = v.toExponential().split('e');
	const e = Number(exp);
	if (e >= -4 && e < 6) return String(v);
	return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Go's json.Marshal: object keys sorted. */
function goJson(v: unknown): string {
	if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
	if (isObj(v)) {
		return `{${Object.keys(v)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${goJson(v[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(v) ?? 'null';
}

/** The apiextensions table convertor's cell for one column; null (kubectl: "<none>") when missing. */
function crdCell(column: CrdColumn, object: KubeObject, now: Date): unknown {
	let value: unknown = object;
	for (const key of column.jsonPath.split('.').slice(1))
		value = isObj(value) ? value[key] : undefined;
	if (value === undefined || value === null) return null;
	switch (column.type) {
		case 'string':
			if (typeof value === 'string') return value;
			if (typeof value === 'number') return goFloat(value);
			if (typeof value === 'boolean') return String(value);
			return goJson(value);
		case 'integer':
			return typeof value === 'number' ? Math.trunc(value) : null;
		case 'number':
			return typeof value === 'number' ? value : null;
		case 'boolean':
			return typeof value === 'boolean' ? value : null;
		case 'date': {
			if (typeof value !== 'string') return null;
			const t = Date.parse(value);
			return Number.isNaN(t) ? '<invalid>' : humanDuration(now.getTime() - t);
		}
		default:
			return null;
	}
}

function crdPrinter(columns: CrdColumn[]): Printer {
	return {
		columns: [
			nameCol,
			...columns.map((c) =>
				col(
					c.name,
					c.type,
					c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
					c.priority ?? 0,
				),
			),
		],
		cells: (o, now) => [o.metadata?.name ?? '', ...columns.map((c) => crdCell(c, o, now))],
	};
}

export const canaryPrinter = crdPrinter(canaryColumns);
export const rolloutPrinter = crdPrinter(rolloutColumns);
export const defaultCrdPrinter = crdPrinter(defaultColumns);
/** Argo's AnalysisRun CRD: STATUS from .status.phase, then AGE. */
export const analysisRunPrinter = crdPrinter([
	{name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'AnalysisRun status'},
	...defaultColumns,
]);
