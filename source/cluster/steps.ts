import type {ApplyFailure} from '../core/adapters.js';
import {conditions} from '../core/conditions.js';
import type {KubeObject, PlanStep, Precondition} from '../core/types.js';
import {ClusterError, type KubeClient, pathOf} from './client.js';
import {type ConfirmOptions, confirmLanded, Landed, valueAt} from './landed.js';

/** How each kind of plan step is carried out against the API server. */

export class StepFailure extends Error {
	constructor(
		message: string,
		readonly kind: ApplyFailure['kind'],
	) {
		super(message);
	}
}

/**
 * Sends a request's patch once. When its answer is lost the cluster is asked whether it landed
 * (`note` then says so); it is never sent again.
 */
export async function request(
	client: KubeClient,
	step: Extract<PlanStep, {kind: 'request'}>,
	confirm: ConfirmOptions = {},
): Promise<{object: KubeObject; note?: string}> {
	try {
		return {object: await client.patch(step.target, step.patchType, step.body, step.subresource)};
	} catch (error) {
		if (!(error instanceof ClusterError)) throw error;
		if (error.outcomeUnknown)
			return confirmLanded(client, step, error, confirm).catch((reason: unknown) => {
				throw reason instanceof Landed ? new StepFailure(reason.message, 'cluster') : reason;
			});
		const precondition: Precondition | undefined = step.precondition;
		if (precondition && (error.kind === 'invalid' || error.kind === 'conflict')) {
			const now = await client.get(pathOf(step.target)).then(
				(object) => valueAt(object, precondition.path),
				() => undefined,
			);
			if (now !== precondition.expected) {
				const shown =
					now === undefined ? 'unset' : typeof now === 'string' ? now : JSON.stringify(now);
				throw new StepFailure(
					`${precondition.what} changed since you looked: now ${shown}; nothing was changed`,
					'conflict',
				);
			}
		}
		if (error.kind === 'conflict')
			throw new StepFailure(`${error.message}; nothing was changed`, 'conflict');
		throw new StepFailure(error.message, 'cluster');
	}
}

type PodAnswer = {pod: string; status: number; body: string};

function isReady(pod: KubeObject): boolean {
	return (pod.status?.conditions ?? []).some(
		(c: {type: string; status: string}) => c.type === 'Ready' && c.status === 'True',
	);
}

export async function smoke(
	client: KubeClient,
	step: Extract<PlanStep, {kind: 'smoke'}>,
): Promise<string> {
	const selector = Object.entries(step.selector)
		.map(([k, v]) => `${k}=${v}`)
		.join(',');
	const list = await client.get<{items: KubeObject[]}>(
		`${pathOf({group: '', version: 'v1', plural: 'pods', namespace: step.namespace})}?labelSelector=${encodeURIComponent(selector)}`,
	);
	const ready = list.items.filter(isReady);
	if (ready.length === 0)
		throw new StepFailure(
			`smoke test failed: ${step.workload} has no ready pods (selector ${selector})`,
			'smoke',
		);
	const answers: PodAnswer[] = await Promise.all(
		ready.map(async (pod) => {
			const port = pod.spec?.containers?.[0]?.ports?.[0]?.containerPort;
			const name = port ? `${pod.metadata.name}:${port}` : pod.metadata.name;
			const path = `${pathOf({group: '', version: 'v1', plural: 'pods', namespace: step.namespace, name})}/proxy${step.path.startsWith('/') ? step.path : `/${step.path}`}`;
			try {
				const answer = await client.request<unknown>('GET', path, {timeoutMs: 5000});
				return {pod: pod.metadata.name, status: answer.status, body: answer.text.slice(0, 120)};
			} catch (error) {
				return {pod: pod.metadata.name, status: 0, body: (error as Error).message};
			}
		}),
	);
	const bad = answers.filter((a) => a.status < 200 || a.status >= 300);
	if (bad.length > 0) {
		const detail = bad
			.map((a) => `${a.pod}: ${a.status || 'no answer'} ${a.body.trim()}`)
			.join('; ');
		throw new StepFailure(
			`smoke test failed: ${bad.length} of ${answers.length} pods of ${step.workload} answered ${step.path} badly: ${detail}`,
			'smoke',
		);
	}
	return `${answers.length}/${answers.length} pods answered ${step.path} with ${[...new Set(answers.map((a) => a.status))].join(', ')}`;
}

/** What a JSON pointer holds now, as the engineer would read it. */
function shown(value: unknown): string {
	return value === undefined ? 'unset' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** Polls the target until the step's condition holds, reporting its progress on the way. */
export async function wait(
	client: KubeClient,
	step: Extract<PlanStep, {kind: 'wait'}>,
	report: (detail: string) => void,
	pollMs: number,
	signal?: AbortSignal,
): Promise<string> {
	const deadline = Date.now() + step.timeoutSeconds * 1000;
	const {until} = step;
	for (;;) {
		if (signal?.aborted) throw new StepFailure('cancelled', 'timeout');
		const object = await client.get(pathOf(step.target));
		if (until === 'rolled-out') {
			const progress = conditions[until](object);
			report(progress.detail);
			if (progress.done) {
				const {ready, desired} = progress.replicas;
				return `${step.target.name} rolled out: ${ready}/${desired} ready`;
			}
			if (progress.failed)
				throw new StepFailure(
					`${step.target.name} failed to roll out: ${progress.failed}`,
					'timeout',
				);
			if (Date.now() > deadline)
				throw new StepFailure(
					`${step.target.name} did not roll out in ${step.timeoutSeconds}s (${progress.detail})`,
					'timeout',
				);
		} else {
			const now = valueAt(object, until.path);
			report(`${until.what} ${shown(now)}`);
			if (JSON.stringify(now) !== JSON.stringify(until.changedFrom))
				return `${until.what} is now ${shown(now)}`;
			if (Date.now() > deadline)
				throw new StepFailure(
					`${until.what} stayed ${shown(now)} for ${step.timeoutSeconds}s`,
					'timeout',
				);
		}
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
}

/**
 * A gate's call through the API server's service proxy, made only while its precondition holds:
 * a 2xx goes ahead, anything else stops the plan.
 */
export async function call(
	client: KubeClient,
	step: Extract<PlanStep, {kind: 'call'}>,
): Promise<string> {
	const {precondition} = step;
	if (precondition) {
		const now = valueAt(await client.get(pathOf(precondition.target)), precondition.path);
		if (JSON.stringify(now) !== JSON.stringify(precondition.expected))
			throw new StepFailure(
				`${precondition.what} changed since you looked: now ${shown(now)}; nothing was changed`,
				'conflict',
			);
	}
	const {namespace, name, port} = step.service;
	const service = port ? `${name}:${port}` : name;
	const path = `${pathOf({group: '', version: 'v1', plural: 'services', namespace, name: service})}/proxy${step.path.startsWith('/') ? step.path : `/${step.path}`}`;
	const answer = await client.request<unknown>(step.method, path, {
		...(step.body !== undefined ? {body: step.body} : {}),
		timeoutMs: 10_000,
	});
	if (answer.status < 200 || answer.status >= 300)
		throw new StepFailure(
			`${step.method} ${step.path} on service/${service} answered ${answer.status}: ${answer.text.slice(0, 120).trim()}`,
			'cluster',
		);
	return `service/${service} answered ${answer.status}`;
}
