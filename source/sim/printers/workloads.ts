/** Deployments and ReplicaSets: replicas, the template's containers, the selector. */
import type {KubeObject} from '../table.js';
import {age, ageCol, col, int, nameCol, type Printer, rec, recs, str, strMap} from './format.js';

const templateCols = [
	col('Containers', 'string', 'Names of each container in the template.', 1),
	col('Images', 'string', 'Images referenced by each container in the template.', 1),
];

/** layoutContainerCells: names and images, comma-joined. */
function containerCells(template: unknown): [string, string] {
	const containers = recs(rec(rec(template).spec).containers);
	return [
		containers.map((c) => str(c.name)).join(','),
		containers.map((c) => str(c.image)).join(','),
	];
}

/** metav1.LabelSelectorAsSelector(...).String(); undefined when the selector is invalid. */
function selectorString(v: unknown): string | undefined {
	const selector = rec(v);
	const parts: [string, string][] = Object.entries(strMap(selector.matchLabels)).map(
		([k, value]) => [k, `${k}=${value}`],
	);
	for (const expr of recs(selector.matchExpressions)) {
		const key = str(expr.key);
		const values = (Array.isArray(expr.values) ? expr.values : []).map(str);
		const list = values.length === 1 ? values[0] : [...values].sort().join(',');
		switch (expr.operator) {
			case 'In':
			case 'NotIn':
				if (values.length === 0) return undefined;
				parts.push([key, `${key} ${expr.operator === 'In' ? 'in' : 'notin'} (${list})`]);
				break;
			case 'Exists':
			case 'DoesNotExist':
				if (values.length > 0) return undefined;
				parts.push([key, expr.operator === 'Exists' ? key : `!${key}`]);
				break;
			default:
				return undefined;
		}
	}
	// Selector.Add sorts requirements by key.
	return parts
		.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
		.map((p) => p[1])
		.join(',');
}

function deploymentCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	const status = rec(o.status);
	// apps/v1 defaults spec.replicas to 1 on a real server.
	const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
	const [names, images] = containerCells(spec.template);
	return [
		o.metadata?.name ?? '',
		`${int(status.readyReplicas)}/${desired}`,
		int(status.updatedReplicas),
		int(status.availableReplicas),
		age(o, now),
		names,
		images,
		selectorString(spec.selector) ?? '<invalid>',
	];
}

function replicaSetCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	const status = rec(o.status);
	const [names, images] = containerCells(spec.template);
	const selector = selectorString(spec.selector);
	return [
		o.metadata?.name ?? '',
		typeof spec.replicas === 'number' ? spec.replicas : 1,
		int(status.replicas),
		int(status.readyReplicas),
		age(o, now),
		names,
		images,
		selector === undefined ? '<error>' : selector || '<none>',
	];
}

export const deploymentPrinter: Printer = {
	columns: [
		nameCol,
		col('Ready', 'string', 'Number of the pod with ready state'),
		col(
			'Up-to-date',
			'string',
			'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
		),
		col(
			'Available',
			'string',
			'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
		),
		ageCol,
		...templateCols,
		col('Selector', 'string', 'Label selector for pods.', 1),
	],
	cells: deploymentCells,
};

export const replicaSetPrinter: Printer = {
	columns: [
		nameCol,
		col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
		col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
		col(
			'Ready',
			'integer',
			'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.',
		),
		ageCol,
		...templateCols,
		col(
			'Selector',
			'string',
			'Selector is a label query over pods that should match the replica count.',
			1,
		),
	],
	cells: replicaSetCells,
};
