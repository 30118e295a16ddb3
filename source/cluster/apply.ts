import {hostname, userInfo} from 'node:os';
import type {ApplyFailure, ApplyResult, Progress, StepStatus} from '../core/adapters.js';
import {conditions} from '../core/conditions.js';
import type {KubeObject, ObjectRef, Plan, PlanStep, Precondition} from '../core/types.js';
import {ClusterError, type KubeClient, pathOf} from './client.js';

export type {ApplyFailure, ApplyResult, Progress, StepStatus};

export type ApplyOptions = {
	onProgress?: (progress: Progress) => void;
	/** Who acted, for the audit Event: user@host. */
	actor?: string;
	pollMs?: number;
	signal?: AbortSignal;
};

function defaultActor(): string {
	let user = 'unknown';
	try {
		user = userInfo().username;
	} catch {
		// no passwd entry (containers): keep "unknown"
	}
	return `${user}@${hostname()}`;
}

function valueAt(object: unknown, pointer: string): unknown {
	let value: unknown = object;
	for (const raw of pointer.split('/').slice(1)) {
		const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[token];
	}
	return value;
}

class StepFailure extends Error {
	constructor(
		message: string,
		readonly kind: ApplyFailure['kind'],
	) {
		super(message);
	}
}

async function request(
	client: KubeClient,
	step: Extract<PlanStep, {kind: 'request'}>,
): Promise<KubeObject> {
	try {
		return await client.patch(step.target, step.patchType, step.body, step.subresource);
	} catch (error) {
		if (!(error instanceof ClusterError)) throw error;
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

async function smoke(
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

async function wait(
	client: KubeClient,
	step: Extract<PlanStep, {kind: 'wait'}>,
	report: (detail: string) => void,
	pollMs: number,
	signal?: AbortSignal,
): Promise<string> {
	const deadline = Date.now() + step.timeoutSeconds * 1000;
	const judge = conditions[step.until];
	for (;;) {
		if (signal?.aborted) throw new StepFailure('cancelled', 'timeout');
		const progress = judge(await client.get(pathOf(step.target)));
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
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
}

/** A gate's call through the API server's service proxy: a 2xx goes ahead, anything else stops. */
async function call(client: KubeClient, step: Extract<PlanStep, {kind: 'call'}>): Promise<string> {
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

async function audit(
	client: KubeClient,
	plan: Plan,
	target: ObjectRef,
	object: KubeObject | undefined,
	actor: string,
): Promise<void> {
	const about = object ?? (await client.get<KubeObject>(pathOf(target)));
	const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
	const microNow = new Date().toISOString().replace('Z', '000Z');
	await client.call(
		'POST',
		pathOf({group: '', version: 'v1', plural: 'events', namespace: target.namespace}),
		{
			body: {
				apiVersion: 'v1',
				kind: 'Event',
				metadata: {generateName: `${target.name}.cutover-`, namespace: target.namespace},
				involvedObject: {
					apiVersion: target.group ? `${target.group}/${target.version}` : target.version,
					kind: target.kind,
					name: target.name,
					namespace: target.namespace,
					uid: about.metadata.uid,
					resourceVersion: about.metadata.resourceVersion,
				},
				reason: plan.audit.reason,
				message: `${plan.audit.message} by ${actor}`,
				type: 'Normal',
				action: plan.action,
				source: {component: 'cutover'},
				reportingComponent: 'cutover',
				reportingInstance: actor,
				firstTimestamp: now,
				lastTimestamp: now,
				eventTime: microNow,
				count: 1,
			},
		},
	);
}

/**
 * Executes a plan's steps in order and stops at the first that fails, saying which and why.
 * When all succeed, records the audit Event on the plan's target.
 */
export async function applyPlan(
	client: KubeClient,
	plan: Plan,
	options: ApplyOptions = {},
): Promise<ApplyResult> {
	const results: string[] = [];
	let changed: KubeObject | undefined;
	for (const [index, step] of plan.steps.entries()) {
		const report = (status: StepStatus, detail?: string) =>
			options.onProgress?.({index, step, status, ...(detail ? {detail} : {})});
		report('running');
		try {
			if (step.kind === 'request') {
				const object = await request(client, step);
				if (
					step.target.name === plan.audit.target.name &&
					step.target.plural === plan.audit.target.plural
				)
					changed = object;
				results.push(step.description);
				report('done');
			} else if (step.kind === 'smoke') {
				const detail = await smoke(client, step);
				results.push(detail);
				report('done', detail);
			} else if (step.kind === 'call') {
				const detail = await call(client, step);
				results.push(detail);
				report('done', detail);
			} else {
				const detail = await wait(
					client,
					step,
					(d) => report('running', d),
					options.pollMs ?? 500,
					options.signal,
				);
				results.push(detail);
				report('done', detail);
			}
		} catch (error) {
			const failure =
				error instanceof StepFailure
					? {kind: error.kind, error: error.message}
					: {
							kind: 'cluster' as const,
							error: error instanceof Error ? error.message : String(error),
						};
			// A wait that timed out or could not read its object: say which step stopped the plan
			// (its description says what was left as it was, e.g. "the weight stays 10").
			if (failure.kind === 'timeout' || !(error instanceof StepFailure))
				failure.error = `${step.description}: ${failure.error}`;
			report('failed', failure.error);
			return {ok: false, step: index, ...failure};
		}
	}
	if (plan.changes) {
		try {
			await audit(client, plan, plan.audit.target, changed, options.actor ?? defaultActor());
		} catch (error) {
			// The change is made; a missing audit Event must not read as a failed switch.
			return {
				ok: true,
				summary: `${plan.summary}: done (the audit Event could not be recorded: ${(error as Error).message})`,
			};
		}
	}
	return {ok: true, summary: `${plan.summary}: done`};
}
