import type {IncomingMessage} from 'node:http';
import {errors} from './errors.js';
import {readBody} from './http.js';
import type {Store} from './store.js';
import type {ResourceRequest} from './targets.js';
import {screenWrite} from './write-request.js';

/**
 * A DELETE: its options (query and body), then the deleted object, or the Status a real server
 * answers for kinds that do not answer the object. A dry run deletes nothing.
 */
export async function deleteObject(
	store: Store,
	target: ResourceRequest,
	name: string,
	request: IncomingMessage,
	url: URL,
): Promise<unknown> {
	const text = await readBody(request);
	let options: {
		propagationPolicy?: string;
		preconditions?: {uid?: string; resourceVersion?: string};
		dryRun?: string[];
	} = {};
	if (text.trim()) {
		try {
			options = JSON.parse(text);
		} catch (error) {
			throw errors.badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
		}
	}
	const policy = url.searchParams.get('propagationPolicy') ?? options.propagationPolicy;
	// kubectl delete --dry-run=server says dryRun in the DeleteOptions body, not the query.
	const query = new URL(url);
	for (const value of options.dryRun ?? []) query.searchParams.append('dryRun', String(value));
	// A dry run answers what would be deleted and deletes nothing.
	const deleted = screenWrite(target.type, 'DeleteOptions', query).dryRun
		? store.get(target.type, target.namespace, name)
		: store.delete(target.type, target.namespace, name, {
				orphan: policy === 'Orphan',
				...(options.preconditions ? {precondition: options.preconditions} : {}),
			});
	if (target.type.deleteAnswersObject) return deleted;
	return {
		kind: 'Status',
		apiVersion: 'v1',
		metadata: {},
		status: 'Success',
		details: {
			name,
			group: target.type.group,
			kind: target.type.plural,
			uid: deleted.metadata.uid,
		},
	};
}
