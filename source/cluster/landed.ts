import type {KubeObject, PlanStep} from '../core/types.js';
import {type ClusterError, type KubeClient, pathOf} from './client.js';

/**
 * A write whose answer was lost (the connection cut, the request timed out, a 504) may have
 * landed. It is never sent again: the target is read back, and the cluster says whether it did.
 */

type Request = Extract<PlanStep, {kind: 'request'}>;

export function valueAt(object: unknown, pointer: string): unknown {
	let value: unknown = object;
	for (const raw of pointer.split('/').slice(1)) {
		const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[token];
	}
	return value;
}

/** Whether `actual` holds everything `intended` says (the server may have added defaults). */
function holds(actual: unknown, intended: unknown): boolean {
	if (Array.isArray(intended))
		return (
			Array.isArray(actual) &&
			actual.length === intended.length &&
			intended.every((item, index) => holds(actual[index], item))
		);
	if (intended !== null && typeof intended === 'object') {
		if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
		return Object.entries(intended).every(([key, value]) =>
			value === null
				? (actual as Record<string, unknown>)[key] === undefined
				: holds((actual as Record<string, unknown>)[key], value),
		);
	}
	return actual === intended;
}

type Op = {op: string; path: string; value?: unknown};

/**
 * Whether the object shows the request's change: each JSON Patch op's value at its path (a
 * removed path absent), or a merge patch's fields (null meaning absent). A merge patch's own
 * resourceVersion is its precondition, not a change; a JSON Patch's tests are skipped alike.
 * undefined when the patch holds an op whose effect cannot be read back (move, copy).
 */
export function landed(step: Request, object: KubeObject): boolean | undefined {
	if (step.patchType === 'json') {
		const ops = step.body as Op[];
		if (ops.some((op) => !['test', 'add', 'replace', 'remove'].includes(op.op))) return undefined;
		return ops.every((op) => {
			if (op.op === 'test') return true;
			const now = valueAt(object, op.path);
			return op.op === 'remove' ? now === undefined : holds(now, op.value);
		});
	}
	const body = structuredClone(step.body) as {metadata?: {resourceVersion?: unknown}};
	if (body.metadata) {
		delete body.metadata.resourceVersion;
		if (Object.keys(body.metadata).length === 0) delete body.metadata;
	}
	return holds(object, body);
}

export type Confirmation = {object: KubeObject; note: string};

export type ConfirmOptions = {
	/** How long to keep trying to read the target back (default 30 s). */
	withinMs?: number;
	pollMs?: number;
	report?: (detail: string) => void;
	signal?: AbortSignal;
};

/** What to type to look for oneself: `kubectl get services myapp -n prod -o yaml`. */
function kubectlGet(step: Request): string {
	const {plural, group, name, namespace} = step.target;
	return `kubectl get ${group ? `${plural}.${group}` : plural} ${name} -n ${namespace} -o yaml`;
}

/**
 * Reads the target of a request whose outcome is unknown until the API server answers, and says
 * what it shows: the object when the change is there; an Error (never "failed" by guess) when it
 * is not, when it cannot tell, or when the target cannot be read in time.
 */
export async function confirmLanded(
	client: KubeClient,
	step: Request,
	lost: ClusterError,
	options: ConfirmOptions = {},
): Promise<Confirmation> {
	const what = `${step.target.kind} ${step.target.name}`;
	const unknown = `outcome unknown: ${lost.message}`;
	const deadline = Date.now() + (options.withinMs ?? 30_000);
	let last = '';
	for (;;) {
		options.report?.(`${unknown}; reading ${what} back to see whether it landed`);
		try {
			const object = await client.get<KubeObject>(pathOf(step.target, step.subresource));
			const shows = landed(step, object);
			if (shows === true)
				return {
					object,
					note: `the answer was lost, and ${what} shows the change applied`,
				};
			if (shows === false)
				throw new Landed(
					`${unknown}; ${what} shows it was not applied: nothing was changed, and it was not sent again`,
				);
			throw new Landed(
				`${unknown}; whether it landed cannot be read from ${what}: check with ${kubectlGet(step)} before acting again (it was not sent again)`,
			);
		} catch (error) {
			if (error instanceof Landed) throw error;
			last = (error as Error).message;
		}
		if (Date.now() >= deadline || options.signal?.aborted)
			throw new Landed(
				`${unknown}; ${what} could not be read back to see whether it landed (${last}): check with ${kubectlGet(step)} before acting again (it was not sent again)`,
			);
		await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
	}
}

/** What the cluster said (or could not say) about a write whose answer was lost. */
export class Landed extends Error {}
