import type {KubeObject} from './types.js';

/**
 * ingress-nginx's canary annotations, read as the controller reads them (ANCHOR-FACTS): the
 * weight out of its total, and the header and cookie rules that bypass it. Whatever cannot be
 * read is said in `problems`, each problem also kept by what it blocks.
 */

const prefix = 'nginx.ingress.kubernetes.io/';
export const nginxAnnotations = {
	canary: `${prefix}canary`,
	weight: `${prefix}canary-weight`,
	total: `${prefix}canary-weight-total`,
	byHeader: `${prefix}canary-by-header`,
	byHeaderValue: `${prefix}canary-by-header-value`,
	byHeaderPattern: `${prefix}canary-by-header-pattern`,
	byCookie: `${prefix}canary-by-cookie`,
};

export type CanaryAnnotations = {
	/** null when the weight cannot be read: never guessed. */
	weight: number | null;
	total: number;
	routing: string[];
	/** What is wrong with each annotation, in the words of `problems`. */
	bad: {weight?: string; total?: string};
	problems: string[];
};

const integer = /^\d+$/;

export function isNginxCanary(ingress: KubeObject): boolean {
	return ingress.metadata.annotations?.[nginxAnnotations.canary] === 'true';
}

function routingOf(a: Record<string, string>): string[] {
	const routing: string[] = [];
	const header = a[nginxAnnotations.byHeader];
	if (header) {
		if (a[nginxAnnotations.byHeaderValue])
			routing.push(`header ${header}: ${a[nginxAnnotations.byHeaderValue]} -> canary`);
		else if (a[nginxAnnotations.byHeaderPattern])
			routing.push(`header ${header} matching /${a[nginxAnnotations.byHeaderPattern]}/ -> canary`);
		else routing.push(`header ${header}: always -> canary, never -> stable`);
	}
	if (a[nginxAnnotations.byCookie])
		routing.push(`cookie ${a[nginxAnnotations.byCookie]}: always -> canary, never -> stable`);
	return routing;
}

export function readCanaryAnnotations(ingress: KubeObject): CanaryAnnotations {
	const a = ingress.metadata.annotations ?? {};
	const problems: string[] = [];
	const bad: CanaryAnnotations['bad'] = {};
	let total = 100;
	const rawTotal = a[nginxAnnotations.total];
	if (rawTotal !== undefined) {
		if (integer.test(rawTotal.trim()) && Number(rawTotal) > 0) total = Number(rawTotal);
		else {
			bad.total = `canary-weight-total "${rawTotal}" is not a positive integer: shares are shown out of 100, a guess; fix it before moving the weight up`;
			problems.push(bad.total);
		}
	}
	let weight: number | null = 0;
	const rawWeight = a[nginxAnnotations.weight];
	if (rawWeight !== undefined) {
		const trimmed = rawWeight.trim();
		if (!integer.test(trimmed) || Number(trimmed) > total) {
			bad.weight = `canary-weight "${rawWeight}" is not an integer in 0..${total}: fix the annotation before stepping`;
			problems.push(bad.weight);
			weight = null;
		} else weight = Number(trimmed);
	}
	return {weight, total, routing: routingOf(a), bad, problems};
}
