import type {
	ActionName,
	ActionState,
	KubeObject,
	Plan,
	PlanResult,
	PlanStep,
	Rollout,
	Snapshot,
	Strategy,
	Track,
} from '../types.js';
import {deploymentTrack, pointerToken, refOf, selects} from '../workloads.js';

/**
 * NGINX canary Ingress (the seed's second pattern): an Ingress annotated
 * `nginx.ingress.kubernetes.io/canary: "true"` beside the primary Ingress of the same host and
 * path. Weight = canary-weight out of canary-weight-total. Every weight change is a JSON Patch
 * that tests the weight the engineer saw.
 */

const prefix = 'nginx.ingress.kubernetes.io/';
export const annotations = {
	canary: `${prefix}canary`,
	weight: `${prefix}canary-weight`,
	total: `${prefix}canary-weight-total`,
	byHeader: `${prefix}canary-by-header`,
	byHeaderValue: `${prefix}canary-by-header-value`,
	byHeaderPattern: `${prefix}canary-by-header-pattern`,
	byCookie: `${prefix}canary-by-cookie`,
	steps: 'cutover.dev/steps',
};

const defaultSteps = [5, 25, 50, 100];
const ingresses = {group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress'};
const deployments = {group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment'};

type Rule = {host: string; path: string; service: string | undefined};

function rulesOf(ingress: KubeObject): Rule[] {
	const rules: Rule[] = [];
	for (const rule of ingress.spec?.rules ?? []) {
		for (const path of rule.http?.paths ?? []) {
			rules.push({
				host: rule.host ?? '*',
				path: path.path ?? '/',
				service: path.backend?.service?.name,
			});
		}
	}
	const fallback = ingress.spec?.defaultBackend?.service?.name;
	if (rules.length === 0 && fallback) rules.push({host: '*', path: '/', service: fallback});
	return rules;
}

function isCanary(ingress: KubeObject): boolean {
	return ingress.metadata.annotations?.[annotations.canary] === 'true';
}

/** Flagger's and Argo Rollouts' canary Ingresses belong to their Canary or Rollout. */
function ownedByController(ingress: KubeObject): boolean {
	return (ingress.metadata.ownerReferences ?? []).some(
		(ref) =>
			(ref.kind === 'Canary' && ref.apiVersion.startsWith('flagger.app/')) ||
			(ref.kind === 'Rollout' && ref.apiVersion.startsWith('argoproj.io/')),
	);
}

const integer = /^\d+$/;

function parseTotal(ingress: KubeObject, problems: string[]): number {
	const raw = ingress.metadata.annotations?.[annotations.total];
	if (raw === undefined) return 100;
	if (integer.test(raw.trim()) && Number(raw) > 0) return Number(raw);
	problems.push(
		`canary-weight-total "${raw}" is not a positive integer: shares are shown out of 100, a guess; fix it before moving the weight up`,
	);
	return 100;
}

function parseWeight(ingress: KubeObject, total: number, problems: string[]): number | null {
	const raw = ingress.metadata.annotations?.[annotations.weight];
	if (raw === undefined) return 0;
	const trimmed = raw.trim();
	if (!integer.test(trimmed) || Number(trimmed) > total) {
		problems.push(
			`canary-weight "${raw}" is not an integer in 0..${total}: fix the annotation before stepping`,
		);
		return null;
	}
	return Number(trimmed);
}

function parseSteps(ingress: KubeObject, total: number, problems: string[]): number[] | null {
	const raw = ingress.metadata.annotations?.[annotations.steps];
	if (raw === undefined) return defaultSteps.map((p) => Math.round((p * total) / 100));
	const parts = raw.split(',').map((part) => part.trim());
	const steps = parts.map(Number);
	const valid =
		parts.every((part) => integer.test(part)) &&
		steps.every((n, i) => n > 0 && n <= total && (i === 0 || n > steps[i - 1]!));
	if (!valid || steps.length === 0) {
		problems.push(
			`cutover.dev/steps "${raw}" does not parse: give rising integers in 1..${total}, like 10,20,50,100`,
		);
		return null;
	}
	return steps;
}

function routingOf(ingress: KubeObject): string[] {
	const a = ingress.metadata.annotations ?? {};
	const routing: string[] = [];
	const header = a[annotations.byHeader];
	if (header) {
		if (a[annotations.byHeaderValue])
			routing.push(`header ${header}: ${a[annotations.byHeaderValue]} -> canary`);
		else if (a[annotations.byHeaderPattern])
			routing.push(`header ${header} matching /${a[annotations.byHeaderPattern]}/ -> canary`);
		else routing.push(`header ${header}: always -> canary, never -> stable`);
	}
	if (a[annotations.byCookie])
		routing.push(`cookie ${a[annotations.byCookie]}: always -> canary, never -> stable`);
	return routing;
}

function namespaceOf(object: KubeObject): string {
	return object.metadata.namespace ?? 'default';
}

/** The Deployment behind a Service: the newest one its selector picks. */
function deploymentBehind(
	serviceName: string | undefined,
	namespace: string,
	snapshot: Snapshot,
): {service?: KubeObject; deployment?: KubeObject} {
	const service = snapshot.services.find(
		(s) => namespaceOf(s) === namespace && s.metadata.name === serviceName,
	);
	if (!service) return {};
	const picked = snapshot.deployments
		.filter(
			(d) =>
				namespaceOf(d) === namespace &&
				selects(service.spec?.selector, d.spec?.template?.metadata?.labels),
		)
		.sort((a, b) =>
			(b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
		);
	return {service, ...(picked[0] ? {deployment: picked[0]} : {})};
}

/** What is wrong with each annotation, in the words of `problems`: the reasons actions are off. */
type AnnotationProblems = {weight?: string; total?: string; steps?: string};

/** The problem parse* pushed last, when it pushed one. */
function pushed(problems: string[], before: number): string | undefined {
	return problems.length > before ? problems[problems.length - 1] : undefined;
}

function actionsFor(
	weight: number | null,
	total: number,
	steps: number[] | null,
	stable: Track | undefined,
	canary: Track | undefined,
	blocking: string | undefined,
	bad: AnnotationProblems,
): ActionState[] {
	const state = (action: ActionName, reason: string | undefined): ActionState =>
		reason ? {action, available: false, reason} : {action, available: true};
	const unreadable =
		weight === null ? (bad.weight ?? 'the canary weight cannot be read') : undefined;
	// A share of an unknown total is a guess: moving the weight up waits for a readable total.
	// Weight 0 is 0 of any total, so rollback (and finalize's weight 0) stay possible.
	const badTotal = bad.total;
	const canaryReady = !canary
		? 'no canary Deployment found behind the canary Ingress'
		: canary.replicas.ready === 0
			? `canary ${canary.workload.name} has no ready pods`
			: undefined;
	const next = weight !== null && steps ? steps.find((s) => s > weight) : undefined;
	const stepReason =
		blocking ??
		unreadable ??
		badTotal ??
		(steps === null ? (bad.steps ?? 'the steps annotation does not parse') : undefined) ??
		(weight !== null && weight >= total
			? `the canary already takes all traffic (${weight}/${total})`
			: undefined) ??
		(next === undefined ? 'no step above the current weight' : undefined) ??
		canaryReady;
	return [
		state('step', stepReason),
		state(
			'promote',
			blocking ??
				unreadable ??
				badTotal ??
				(weight === total
					? `the canary already takes all traffic (${total}/${total})`
					: undefined) ??
				canaryReady,
		),
		state(
			'finalize',
			blocking ??
				unreadable ??
				(!stable ? 'no stable Deployment found behind the primary Ingress' : undefined) ??
				canaryReady ??
				(stable && canary && stable.images.join() === canary.images.join() && weight === 0
					? 'stable already runs the canary images and the weight is 0'
					: undefined),
		),
		// An unreadable weight may still send the canary traffic (nginx versions differ): taking
		// it out is safe, since the patch tests the exact text seen and writes 0.
		state(
			'rollback',
			blocking ?? (weight === 0 ? 'the canary already takes no traffic (weight 0)' : undefined),
		),
	];
}

function detectOne(
	canaryIngress: KubeObject,
	siblings: KubeObject[],
	primaries: KubeObject[],
	snapshot: Snapshot,
): Rollout {
	const namespace = namespaceOf(canaryIngress);
	const problems: string[] = [];
	const bad: AnnotationProblems = {};
	let before = problems.length;
	const total = parseTotal(canaryIngress, problems);
	bad.total = pushed(problems, before);
	before = problems.length;
	const weight = parseWeight(canaryIngress, total, problems);
	bad.weight = pushed(problems, before);
	before = problems.length;
	const steps = parseSteps(canaryIngress, total, problems);
	bad.steps = pushed(problems, before);
	const rules = rulesOf(canaryIngress);
	const rule = rules[0];
	const primary = rule
		? primaries.find((p) => rulesOf(p).some((r) => r.host === rule.host && r.path === rule.path))
		: undefined;
	let blocking: string | undefined;
	if (!rule) {
		blocking = 'the canary Ingress has no rule';
		problems.push(blocking);
	} else if (!primary) {
		blocking = `no primary Ingress for ${rule.host}${rule.path}: nginx ignores a canary without one`;
		problems.push(blocking);
	}
	const rivals = siblings.filter(
		(other) =>
			other !== canaryIngress &&
			rule &&
			rulesOf(other).some((r) => r.host === rule.host && r.path === rule.path),
	);
	if (rivals.length > 0) {
		blocking = `${rivals.length + 1} canary Ingresses for ${rule!.host}${rule!.path} (${[
			canaryIngress,
			...rivals,
		]
			.map((i) => i.metadata.name)
			.sort()
			.join(', ')}): nginx allows one`;
		problems.push(blocking);
	}
	const share = weight === null ? 0 : Math.round((weight / total) * 100);
	const primaryRule =
		primary && rule
			? rulesOf(primary).find((r) => r.host === rule.host && r.path === rule.path)
			: undefined;
	const stableSide = deploymentBehind(primaryRule?.service, namespace, snapshot);
	const canarySide = deploymentBehind(rule?.service, namespace, snapshot);
	const tracks: Track[] = [];
	if (stableSide.deployment)
		tracks.push(
			deploymentTrack(stableSide.deployment, 'stable', 100 - share, {
				label: primaryRule?.service ?? '',
			}),
		);
	else if (primary)
		problems.push(
			`no Deployment behind Service ${primaryRule?.service ?? '?'} (the stable backend)`,
		);
	if (canarySide.deployment)
		tracks.push(
			deploymentTrack(canarySide.deployment, 'canary', share, {label: rule?.service ?? ''}),
		);
	else if (rule)
		problems.push(`no Deployment behind Service ${rule.service ?? '?'} (the canary backend)`);
	const stable = tracks.find((t) => t.role === 'stable');
	const canary = tracks.find((t) => t.role === 'canary');
	let phase: Rollout['phase'];
	if (blocking || weight === null) phase = 'Invalid';
	else if (tracks.some((t) => t.replicas.ready < t.replicas.desired && !t.rollingOut))
		phase = 'Degraded';
	else if (tracks.some((t) => t.rollingOut)) phase = 'Progressing';
	else if (weight === 0) phase = 'Stable';
	else if (weight >= total) phase = 'Promoted';
	else phase = 'Canary';
	return {
		id: `nginx-canary/${namespace}/${canaryIngress.metadata.name}`,
		namespace,
		name: canaryIngress.metadata.name,
		strategy: 'nginx-canary',
		phase,
		tracks,
		traffic: {kind: 'weight', weight, total, steps: steps ?? [], routing: routingOf(canaryIngress)},
		problems,
		objects: [
			refOf(canaryIngress, 'Ingress'),
			...(primary ? [refOf(primary, 'Ingress')] : []),
			...tracks.map((t) => t.workload),
		],
		metrics: {preset: 'nginx', ...(primary ? {ingress: primary.metadata.name} : {})},
		actions: actionsFor(weight, total, steps, stable, canary, blocking, bad),
	};
}

function detect(snapshot: Snapshot): Rollout[] {
	const canaries = snapshot.ingresses.filter((i) => isCanary(i) && !ownedByController(i));
	return canaries.map((ingress) => {
		const namespace = namespaceOf(ingress);
		const sameNamespace = snapshot.ingresses.filter((i) => namespaceOf(i) === namespace);
		return detectOne(
			ingress,
			sameNamespace.filter((i) => isCanary(i) && !ownedByController(i)),
			sameNamespace.filter((i) => !isCanary(i)),
			snapshot,
		);
	});
}

const weightPath = `/metadata/annotations/${pointerToken(annotations.weight)}`;

function weightStep(
	rollout: Rollout,
	ingress: KubeObject,
	from: number | string,
	to: number,
	seen: string | undefined,
): PlanStep {
	const target = {...ingresses, namespace: rollout.namespace, name: rollout.name};
	// An absent annotation means weight 0: JSON Patch cannot test for absence, so the whole
	// object is tested unchanged (its resourceVersion) before the annotation is added.
	const body =
		seen === undefined
			? [
					{op: 'test', path: '/metadata/resourceVersion', value: ingress.metadata.resourceVersion},
					{op: 'add', path: weightPath, value: String(to)},
				]
			: [
					{op: 'test', path: weightPath, value: seen},
					{op: 'replace', path: weightPath, value: String(to)},
				];
	return {
		kind: 'request',
		description: `set canary-weight of Ingress ${rollout.name} from ${from} to ${to}`,
		target,
		patchType: 'json',
		body,
		precondition: {path: weightPath, expected: seen, what: 'the canary weight'},
	};
}

function plan(action: ActionName, rollout: Rollout, snapshot: Snapshot): PlanResult {
	const state = rollout.actions.find((a) => a.action === action);
	if (!state) return {error: `${action} is not an action of an nginx canary`};
	if (!state.available) return {error: `cannot ${action} ${rollout.name}: ${state.reason}`};
	const ingress = snapshot.ingresses.find(
		(i) => namespaceOf(i) === rollout.namespace && i.metadata.name === rollout.name,
	);
	if (!ingress || rollout.traffic.kind !== 'weight')
		return {error: `Ingress ${rollout.namespace}/${rollout.name} is gone`};
	const seen = ingress.metadata.annotations?.[annotations.weight];
	if (rollout.traffic.weight === null) {
		// Only rollback is available on an unreadable weight: it tests the text seen, writes 0.
		if (action !== 'rollback')
			return {error: `cannot ${action} ${rollout.name}: the canary weight cannot be read`};
		return {
			plan: {
				action,
				rolloutId: rollout.id,
				summary: `roll back ${rollout.name}: no traffic to the canary (weight "${seen}" -> 0)`,
				steps: [weightStep(rollout, ingress, `"${seen}"`, 0, seen)],
				audit: {
					target: {...ingresses, namespace: rollout.namespace, name: rollout.name},
					reason: 'CutoverRollback',
					message: `canary weight "${seen}" -> 0 on ${rollout.namespace}/${rollout.name}`,
				},
			},
		};
	}
	const {weight, total, steps} = rollout.traffic;
	const target = {...ingresses, namespace: rollout.namespace, name: rollout.name};
	const audit = (reason: string, message: string) => ({
		target,
		reason,
		message: `${message} on ${rollout.namespace}/${rollout.name}`,
	});
	const planOf = (
		summary: string,
		planSteps: PlanStep[],
		reason: string,
		message: string,
	): PlanResult => ({
		plan: {
			action,
			rolloutId: rollout.id,
			summary,
			steps: planSteps,
			audit: audit(reason, message),
		} satisfies Plan,
	});
	switch (action) {
		case 'step': {
			const next = steps.find((s) => s > weight)!;
			return planOf(
				`step ${rollout.name} from ${weight} to ${next} of ${total}`,
				[weightStep(rollout, ingress, weight, next, seen)],
				'CutoverStep',
				`canary weight ${weight} -> ${next}`,
			);
		}
		case 'promote':
			return planOf(
				`promote ${rollout.name}: all traffic to the canary (${weight} -> ${total})`,
				[weightStep(rollout, ingress, weight, total, seen)],
				'CutoverPromote',
				`canary weight ${weight} -> ${total}`,
			);
		case 'rollback':
			return planOf(
				`roll back ${rollout.name}: no traffic to the canary (${weight} -> 0)`,
				[weightStep(rollout, ingress, weight, 0, seen)],
				'CutoverRollback',
				`canary weight ${weight} -> 0`,
			);
		case 'finalize': {
			const stable = rollout.tracks.find((t) => t.role === 'stable')!;
			const canary = rollout.tracks.find((t) => t.role === 'canary')!;
			const stableObject = snapshot.deployments.find(
				(d) => namespaceOf(d) === rollout.namespace && d.metadata.name === stable.workload.name,
			);
			const canaryObject = snapshot.deployments.find(
				(d) => namespaceOf(d) === rollout.namespace && d.metadata.name === canary.workload.name,
			);
			const stableContainers: Array<{name: string; image: string}> =
				stableObject?.spec?.template?.spec?.containers ?? [];
			const canaryContainers: Array<{name: string; image: string}> =
				canaryObject?.spec?.template?.spec?.containers ?? [];
			const ops: unknown[] = [];
			for (const [index, container] of stableContainers.entries()) {
				const from =
					canaryContainers.find((c) => c.name === container.name) ??
					(stableContainers.length === 1 ? canaryContainers[0] : undefined);
				if (!from || from.image === container.image) continue;
				const path = `/spec/template/spec/containers/${index}/image`;
				ops.push(
					{op: 'test', path, value: container.image},
					{op: 'replace', path, value: from.image},
				);
			}
			const stableTarget = {
				...deployments,
				namespace: rollout.namespace,
				name: stable.workload.name,
			};
			const planSteps: PlanStep[] = [];
			if (ops.length > 0) {
				planSteps.push({
					kind: 'request',
					description: `set ${stable.workload.name} to the canary's images (${canary.images.join(', ')})`,
					target: stableTarget,
					patchType: 'json',
					body: ops,
					precondition: {
						path: '/spec/template/spec/containers/0/image',
						expected: stableContainers[0]?.image,
						what: `the image of ${stable.workload.name}`,
					},
				});
				planSteps.push({
					kind: 'wait',
					// Short: the running dialog appends the progress (updated 1/3, ready 3/3) at 80 columns.
					description: `wait for ${stable.workload.name} to roll out, weight stays ${weight}`,
					target: stableTarget,
					timeoutSeconds: 300,
				});
			}
			if (weight > 0) planSteps.push(weightStep(rollout, ingress, weight, 0, seen));
			return planOf(
				`finalize ${rollout.name}: ${stable.workload.name} takes ${canary.images.join(', ')}, then weight ${weight} -> 0`,
				planSteps,
				'CutoverFinalize',
				`stable ${stable.workload.name} now runs ${canary.images.join(', ')} (was ${stable.images.join(', ')}), canary weight ${weight} -> 0`,
			);
		}
		default:
			return {error: `${action} is not an action of an nginx canary`};
	}
}

export const nginxCanary: Strategy = {name: 'nginx-canary', label: 'nginx', detect, plan};
