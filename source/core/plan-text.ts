import type {Plan, PlanStep} from './types.js';

function targetText(step: Extract<PlanStep, {kind: 'request' | 'wait'}>): string {
	const {target} = step;
	const group = target.group ? `.${target.group}` : '';
	return `${target.kind.toLowerCase()}${group}/${target.name} -n ${target.namespace}`;
}

/** A plan as lines of text: what the confirm dialog and `--dry-run` show. */
export function planLines(plan: Plan): string[] {
	const lines = [plan.summary];
	for (const [index, step] of plan.steps.entries()) {
		const n = `${index + 1}.`;
		if (step.kind === 'request') {
			lines.push(`${n} ${step.description}`);
			lines.push(`   PATCH ${targetText(step)} (${step.patchType} patch)`);
			// A JSON Patch reads best one operation a line.
			const body = Array.isArray(step.body) ? step.body : [step.body];
			for (const part of body) lines.push(`   ${JSON.stringify(part)}`);
			if (step.precondition) {
				lines.push(
					`   only if ${step.precondition.what} is still ${JSON.stringify(step.precondition.expected)}`,
				);
			}
		} else if (step.kind === 'smoke') {
			lines.push(`${n} ${step.description}; stop if any fails`);
		} else {
			lines.push(`${n} ${step.description} (up to ${step.timeoutSeconds}s)`);
		}
	}
	if (plan.steps.some((s) => s.kind === 'request'))
		lines.push(
			`then record Event ${plan.audit.reason} on ${plan.audit.target.kind.toLowerCase()}/${plan.audit.target.name}`,
		);
	return lines;
}
