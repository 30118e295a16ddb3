import type {ListPage} from './list.js';
import type {KubeObject} from './store.js';
import {acceptsTable, toTable} from './table.js';
import type {ResourceRequest} from './targets.js';

type IncludeObject = 'None' | 'Metadata' | 'Object';

/**
 * An object or a list as the client asked for it: a Table when it accepts one (kubectl get), else
 * the object or a `<Kind>List`; a list's metadata carries its version and where its next page starts.
 */
export function answer(
	target: ResourceRequest,
	body: KubeObject | KubeObject[],
	accept: string | undefined,
	url: URL,
	list: Omit<ListPage, 'items'> | number,
): unknown {
	const page = typeof list === 'number' ? {resourceVersion: String(list)} : list;
	const metadata = {
		resourceVersion: page.resourceVersion,
		...(page.continue ? {continue: page.continue} : {}),
		...(page.remainingItemCount !== undefined ? {remainingItemCount: page.remainingItemCount} : {}),
	};
	if (target.subresource !== 'scale' && acceptsTable(accept)) {
		const includeObject = url.searchParams.get('includeObject') as IncludeObject | null;
		const objects = Array.isArray(body) ? body : [body];
		const table = toTable(
			target.type.plural,
			objects,
			page.resourceVersion,
			includeObject ? {includeObject} : {},
		);
		return Array.isArray(body) ? {...table, metadata} : table;
	}
	if (!Array.isArray(body)) return body;
	return {
		kind: `${target.type.kind}List`,
		apiVersion: target.type.group
			? `${target.type.group}/${target.type.version}`
			: target.type.version,
		metadata,
		items: body,
	};
}
