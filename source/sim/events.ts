import {randomBytes} from 'node:crypto';
import {resourceTypes} from './resources.js';
import {type KubeObject, type Store, timestamp} from './store.js';

const events = resourceTypes.find((t) => t.plural === 'events')!;

/** Records a core/v1 Event about an object, as the sim's controllers see fit to tell. */
export function recordEvent(
	store: Store,
	about: KubeObject,
	type: 'Normal' | 'Warning',
	reason: string,
	message: string,
	component: string,
): void {
	const now = timestamp();
	const namespace = about.metadata.namespace ?? 'default';
	const name = `${about.metadata.name}.${randomBytes(8).toString('hex')}`;
	// client-go's recorder names an Event `<object>.<hex>`: for an object named near the 253
	// limit the API server refuses it, and the recorder drops it (logged), never the controller's work.
	if (name.length > 253) return;
	store.create(events, namespace, {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {name, namespace},
		involvedObject: {
			apiVersion: about.apiVersion,
			kind: about.kind,
			name: about.metadata.name,
			namespace,
			uid: about.metadata.uid,
			resourceVersion: about.metadata.resourceVersion,
		},
		reason,
		message,
		type,
		source: {component},
		reportingComponent: component,
		reportingInstance: component,
		firstTimestamp: now,
		lastTimestamp: now,
		count: 1,
	});
}
