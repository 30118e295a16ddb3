import {hostname, userInfo} from 'node:os';
import type {ApplyFailure, ApplyResult, Progress, StepStatus} from '../core/adapters.js';
import {kinds} from '../core/kinds.js';
import type {KubeObject, ObjectRef, Plan, PlanStep} from '../core/types.js';
import {visible} from '../core/visible.js';
import {ClusterError, type KubeClient, pathOf} from './client.js';
import {call, request, StepFailure, smoke, wait} from './steps.js';

export type {ApplyFailure, ApplyResult, Progress, StepStatus};

export type ApplyOptions = {
	onProgress?: (progress: Progress) => void;
	/** Who acted, for the audit Event: user@host. */
	actor?: string;
	pollMs?: number;
	signal?: AbortSignal;
	/** How long a write whose answer was lost is read back for before saying it cannot tell. */
	confirmWithinMs?: number;
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

/** What a step did: what it found, in words, and for a request the object it changed. */
type Done = {detail?: string; object?: KubeObject; lost?: boolean};

async function run(
	client: KubeClient,
	step: PlanStep,
	report: (status: StepStatus, detail?: string) => void,
	options: ApplyOptions,
): Promise<Done> {
	switch (step.kind) {
		case 'request': {
			const {object, note} = await request(client, step, {
				report: (d) => report('running', d),
				...(options.confirmWithinMs !== undefined ? {withinMs: options.confirmWithinMs} : {}),
				...(options.signal ? {signal: options.signal} : {}),
			});
			return note ? {object, detail: note, lost: true} : {object};
		}
		case 'smoke':
			return {detail: await smoke(client, step)};
		case 'call':
			return {detail: await call(client, step)};
		case 'wait':
			return {
				detail: await wait(
					client,
					step,
					(d) => report('running', d),
					options.pollMs ?? 500,
					options.signal,
				),
			};
	}
}

/**
 * After a failure, the steps marked `always` that come after it (closing a gate the plan
 * opened), so no gate stays open behind a failed plan; says how each went.
 */
async function cleanUp(
	client: KubeClient,
	plan: Plan,
	failed: number,
	options: ApplyOptions,
): Promise<string> {
	let said = '';
	for (const [index, step] of plan.steps.entries()) {
		if (index <= failed || step.kind !== 'call' || !step.always) continue;
		options.onProgress?.({index, step, status: 'running'});
		try {
			const detail = await call(client, step);
			options.onProgress?.({index, step, status: 'done', detail});
			said += `; then: ${step.description} (done)`;
		} catch (error) {
			options.onProgress?.({index, step, status: 'failed', detail: (error as Error).message});
			said += `; then: ${step.description} failed too: ${(error as Error).message}`;
		}
	}
	return said;
}

/** The audit Event recorded, or why not; a lost answer is settled by reading the Event back. */
async function audit(
	client: KubeClient,
	plan: Plan,
	target: ObjectRef,
	object: KubeObject | undefined,
	actor: string,
): Promise<string | undefined> {
	try {
		await postAudit(client, plan, target, object, actor);
		return undefined;
	} catch (error) {
		const name = error instanceof AuditLost ? error.event : undefined;
		if (name === undefined)
			return `the audit Event could not be recorded: ${(error as Error).message}`;
		const back = await client
			.request('GET', pathOf({...kinds.event, namespace: target.namespace, name}))
			.then(
				(answer) => answer.status,
				() => 0,
			);
		if (back === 200) return undefined;
		const cause = (error as AuditLost).cause as Error;
		return back === 404
			? `the audit Event was not recorded: ${cause.message}; read back, it is not there`
			: `the audit Event may not have been recorded: ${cause.message}; check kubectl get events -n ${target.namespace} --field-selector involvedObject.name=${target.name}`;
	}
}

/** A POST of the audit Event whose answer was lost: it may be there, under this name. */
class AuditLost extends Error {
	constructor(
		readonly event: string,
		cause: unknown,
	) {
		super((cause as Error).message, {cause});
	}
}

async function postAudit(
	client: KubeClient,
	plan: Plan,
	target: ObjectRef,
	object: KubeObject | undefined,
	actor: string,
): Promise<void> {
	const about = object ?? (await client.get<KubeObject>(pathOf(target)));
	const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
	const microNow = new Date().toISOString().replace('Z', '000Z');
	const events = pathOf({...kinds.event, namespace: target.namespace});
	// Named as client-go's recorder names Events (the object's name, then a hex timestamp), so a
	// POST whose answer is lost can be looked up instead of guessed at, or sent twice (253 at most).
	const name = `${target.name.slice(0, 236)}.${(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`;
	await client
		.call('POST', events, {
			body: {
				apiVersion: 'v1',
				kind: 'Event',
				metadata: {name, namespace: target.namespace},
				involvedObject: {
					apiVersion: target.group ? `${target.group}/${target.version}` : target.version,
					kind: target.kind,
					name: target.name,
					namespace: target.namespace,
					uid: about.metadata.uid,
					resourceVersion: about.metadata.resourceVersion,
				},
				reason: plan.audit.reason,
				// The escaped form: cluster text (an image) must not carry escapes back to every reader's terminal.
				message: visible(`${plan.audit.message} by ${actor}`),
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
		})
		.catch((error: unknown) => {
			throw error instanceof ClusterError && error.outcomeUnknown
				? new AuditLost(name, error)
				: error;
		});
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
	let changed: KubeObject | undefined;
	let lost = false;
	for (const [index, step] of plan.steps.entries()) {
		const report = (status: StepStatus, detail?: string) =>
			options.onProgress?.({index, step, status, ...(detail ? {detail} : {})});
		report('running');
		try {
			const done = await run(client, step, report, options);
			const audited =
				step.kind === 'request' &&
				step.target.name === plan.audit.target.name &&
				step.target.plural === plan.audit.target.plural;
			if (audited && done.object) changed = done.object;
			lost ||= done.lost === true;
			report('done', done.detail);
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
			failure.error += await cleanUp(client, plan, index, options);
			return {ok: false, step: index, ...failure};
		}
	}
	// An answer lost on the way: the cluster, read back, shows the change made.
	const done = lost
		? 'done (an answer was lost; the cluster, read back, shows it applied)'
		: 'done';
	if (plan.changes) {
		// The change is made; a missing audit Event must not read as a failed switch.
		const missing = await audit(
			client,
			plan,
			plan.audit.target,
			changed,
			options.actor ?? defaultActor(),
		);
		if (missing) return {ok: true, summary: `${plan.summary}: ${done} (${missing})`};
	}
	return {ok: true, summary: `${plan.summary}: ${done}`};
}
