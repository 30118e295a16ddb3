/**
 * The flagger-loadtester as the sim answers it: the manual gates Flagger's webhooks consult, held
 * in memory per loadtester Service (gates start closed, as the real one's do after a restart), and
 * the task endpoint `/` that runs the webhooks' tests. Paths and answers are those of
 * fluxcd/flagger pkg/loadtester/server.go; the sim runs no command, it only answers as if it had.
 */

/** What the answer of one request is. */
export type LoadtesterAnswer = {status: number; body: string};

/** Task types the real loadtester runs blocking (200) or queues (202); anything else is a 400. */
const blockingTasks = new Set(['bash', 'helm', 'helmv3', 'concord']);
const queuedTasks = new Set(['cmd', 'ngrinder']);

type Payload = {name?: unknown; namespace?: unknown; metadata?: unknown};

function decode(body: string): Payload | undefined {
	try {
		const value = JSON.parse(body) as unknown;
		// Go's json.Unmarshal into a struct takes only an object (or null).
		if (value === null) return {};
		return typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : undefined;
	} catch {
		return undefined;
	}
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The gates of every loadtester in the sim, keyed by its Service (`namespace/name`). */
export class Loadtesters {
	private readonly gates = new Map<string, Set<string>>();

	private of(service: string): Set<string> {
		let open = this.gates.get(service);
		if (!open) {
			open = new Set();
			this.gates.set(service, open);
		}
		return open;
	}

	/** Whether the gate `key` (`name.namespace`, or `rollback.name.namespace`) is open. */
	isOpen(service: string, key: string): boolean {
		return this.of(service).has(key);
	}

	/** The loadtester behind `service` answering a request on `path` (no query string). */
	answer(service: string, path: string, body: string): LoadtesterAnswer {
		const open = this.of(service);
		switch (path) {
			case '/healthz':
			case '/gate/approve':
				return {status: 200, body: 'OK'};
			case '/gate/halt':
				return {status: 403, body: 'Forbidden'};
			case '/metrics':
				return {status: 200, body: ''};
		}
		const gate = /^\/(gate|rollback)\/(check|open|close)$/.exec(path);
		const payload = decode(body);
		if (!payload) return {status: 400, body: ''};
		if (gate) {
			const key = `${gate[1] === 'rollback' ? 'rollback.' : ''}${text(payload.name)}.${text(payload.namespace)}`;
			if (gate[2] === 'check')
				return open.has(key) ? {status: 200, body: 'Approved'} : {status: 403, body: 'Forbidden'};
			if (gate[2] === 'open') open.add(key);
			else open.delete(key);
			return {status: 202, body: ''};
		}
		// Every other path is the task handler's: Go's ServeMux routes the rest of the tree to "/".
		const metadata =
			payload.metadata && typeof payload.metadata === 'object'
				? (payload.metadata as Record<string, unknown>)
				: {};
		if (Object.keys(metadata).length === 0)
			return {status: 400, body: 'metadata not found in payload'};
		const type = typeof metadata.type === 'string' ? metadata.type : 'cmd';
		if (blockingTasks.has(type)) return {status: 200, body: ''};
		if (queuedTasks.has(type)) return {status: 202, body: ''};
		return {status: 400, body: `unknown task type ${type}`};
	}
}
