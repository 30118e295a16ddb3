import type {ObjectRef, Plan, PlanStep} from './types.js';
import {visible} from './visible.js';

function targetText(target: ObjectRef, subresource?: string): string {
	const group = target.group ? `.${target.group}` : '';
	const sub = subresource ? ` --subresource ${subresource}` : '';
	return `${target.kind.toLowerCase()}${group}/${target.name} -n ${target.namespace}${sub}`;
}

/** One step as lines: what it does, then what it sends and what it depends on. */
function stepLines(step: PlanStep, n: string): string[] {
	switch (step.kind) {
		case 'request': {
			const lines = [
				`${n} ${step.description}`,
				`   PATCH ${targetText(step.target, step.subresource)} (${step.patchType} patch)`,
			];
			// A JSON Patch reads best one operation a line.
			const body = Array.isArray(step.body) ? step.body : [step.body];
			for (const part of body) lines.push(`   ${JSON.stringify(part)}`);
			if (step.precondition)
				lines.push(
					`   only if ${step.precondition.what} is still ${JSON.stringify(step.precondition.expected)}`,
				);
			return lines;
		}
		case 'call': {
			const {namespace, name, port} = step.service;
			const lines = [
				`${n} ${step.description}`,
				`   ${step.method} ${step.path} on service/${name}${port ? `:${port}` : ''} -n ${namespace} (through the API server's service proxy)`,
			];
			if (step.body !== undefined) lines.push(`   ${JSON.stringify(step.body)}`);
			if (step.precondition)
				lines.push(
					`   only if ${step.precondition.what} is still ${JSON.stringify(step.precondition.expected)}`,
				);
			if (step.always) lines.push('   made even if a step before it fails');
			return lines;
		}
		case 'smoke':
			return [`${n} ${step.description}; stop if any fails`];
		case 'wait':
			return [`${n} ${step.description} (up to ${step.timeoutSeconds}s)`];
	}
}

/**
 * A plan as lines of text: what the confirm dialog and `--dry-run` show. Cluster text in it (an
 * image, a health path, a value tested) is made visible: what the engineer confirms is what is sent.
 */
export function planLines(plan: Plan): string[] {
	const lines = [plan.summary];
	for (const [index, step] of plan.steps.entries()) lines.push(...stepLines(step, `${index + 1}.`));
	if (plan.changes)
		lines.push(
			`then record Event ${plan.audit.reason} on ${plan.audit.target.kind.toLowerCase()}/${plan.audit.target.name}`,
		);
	return lines.map(visible);
}
