// The alphabet Kubernetes encodes template hashes with (no vowels, no look-alikes).
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** A short stable hash of a pod template, shaped like Kubernetes' pod-template-hash. */
export function templateHash(template: unknown): string {
	let hash = 0x811c9dc5;
	for (const char of stableJson(template)) {
		hash ^= char.charCodeAt(0);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return [...String(hash)]
		.map((digit) => alphabet[(digit.charCodeAt(0) * 7 + hash) % alphabet.length])
		.join('');
}

/**
 * Canonical JSON for hashing. Kubernetes hashes the decoded Go struct, in which a null, an empty
 * object and an absent field are the same; kubectl rollout undo sends the template back with
 * `creationTimestamp: null` and `resources: {}`, and must land on the old ReplicaSet.
 */
function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		return `{${Object.keys(record)
			.filter((key) => !isEmpty(record[key]))
			.sort()
			.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

function isEmpty(value: unknown): boolean {
	if (value === null || value === undefined) return true;
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object') return Object.values(value).every(isEmpty);
	return false;
}
