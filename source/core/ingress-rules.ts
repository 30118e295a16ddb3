import type {KubeObject} from './types.js';

/** One host and path of an Ingress, and the Service it sends them to. */
export type Rule = {host: string; path: string; service: string | undefined};

/** An Ingress's rules, one per host and path; the default backend is `*` `/`. */
export function rulesOf(ingress: KubeObject): Rule[] {
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
