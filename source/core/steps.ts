import type {KubeObject} from './types.js';

/**
 * A canary's weight steps: `cutover.dev/steps` on its object (rising integers in 1..total), else
 * the seed's progression 5, 25, 50, 100 scaled to the total. Any weight-split strategy uses it.
 */
const stepsAnnotation = 'cutover.dev/steps';
const defaultSteps = [5, 25, 50, 100];

const integer = /^\d+$/;

export function parseSteps(
	ingress: KubeObject,
	total: number,
): {steps: number[] | null; problem?: string} {
	const raw = ingress.metadata.annotations?.[stepsAnnotation];
	if (raw === undefined) return {steps: defaultSteps.map((p) => Math.round((p * total) / 100))};
	const parts = raw.split(',').map((part) => part.trim());
	const steps = parts.map(Number);
	const valid =
		parts.every((part) => integer.test(part)) &&
		steps.every((n, i) => n > 0 && n <= total && (i === 0 || n > steps[i - 1]!));
	if (!valid || steps.length === 0)
		return {
			steps: null,
			problem: `cutover.dev/steps "${raw}" does not parse: give rising integers in 1..${total}, like 10,20,50,100`,
		};
	return {steps};
}
