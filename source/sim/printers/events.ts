import type {KubeObject} from '../table.js';
import {col, int, isObj, nameDoc, type Printer, rec, since, str, timeOf} from './format.js';

function eventCells(o: KubeObject, now: Date): unknown[] {
	const involved = rec(o.involvedObject);
	const first = timeOf(o.firstTimestamp) ? since(o.firstTimestamp, now) : since(o.eventTime, now);
	let last = timeOf(o.lastTimestamp) ? since(o.lastTimestamp, now) : first;
	let count = int(o.count);
	if (isObj(o.series)) {
		last = since(o.series.lastObservedTime, now);
		count = int(o.series.count);
	} else if (count === 0) count = 1; // singleton events of the new API carry no count
	const kind = str(involved.kind).toLowerCase();
	const source = rec(o.source);
	const component = str(source.component) || str(o.reportingComponent);
	const instance = str(source.host) || str(o.reportingInstance);
	return [
		last,
		str(o.type),
		str(o.reason),
		str(involved.name) ? `${kind}/${str(involved.name)}` : kind,
		str(involved.fieldPath),
		instance ? `${component}, ${instance}` : component,
		str(o.message).trim(),
		first,
		count,
		o.metadata?.name ?? '',
	];
}

export const eventPrinter: Printer = {
	columns: [
		col(
			'Last Seen',
			'string',
			'The time at which the most recent occurrence of this event was recorded.',
		),
		col(
			'Type',
			'string',
			'Type of this event (Normal, Warning), new types could be added in the future',
		),
		col(
			'Reason',
			'string',
			"This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
		),
		col('Object', 'string', 'The object that this event is about.'),
		col(
			'Subobject',
			'string',
			'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
			1,
		),
		col(
			'Source',
			'string',
			'The component reporting this event. Should be a short machine understandable string.',
			1,
		),
		col('Message', 'string', 'A human-readable description of the status of this operation.'),
		col(
			'First Seen',
			'string',
			'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
			1,
		),
		col('Count', 'string', 'The number of times this event has occurred.', 1),
		col('Name', 'string', nameDoc, 1, 'name'),
	],
	cells: eventCells,
};
