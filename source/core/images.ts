/**
 * A bare tag (`1.2.0`) is the standby's repository at that tag (`myapp:1.2.0`), as on-call
 * types it at 3 a.m.; anything with a `/`, `:` or `@` is a whole reference.
 */
export function withRepository(given: string, current: string): {image: string; note: string} {
	if (/[/:@]/.test(given)) return {image: given, note: ''};
	const digestless = current.split('@')[0]!;
	const slash = digestless.lastIndexOf('/');
	const colon = digestless.lastIndexOf(':');
	const repository = colon > slash ? digestless.slice(0, colon) : digestless;
	return {
		image: `${repository}:${given}`,
		note: ` (the tag ${given}, in the repository of ${current})`,
	};
}
