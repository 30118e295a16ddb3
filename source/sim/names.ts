import {randomUUID} from 'node:crypto';
import {errors} from './errors.js';
import type {ObjectMeta} from './objects.js';
import type {ResourceType} from './resources.js';

const nameRule = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * A new object's name: its own, or its generateName with a random suffix, as a real server
 * names `kubectl create --generate-name` objects; a name no real server would take is 422 Invalid.
 */
export function assignName(type: ResourceType, metadata: ObjectMeta): string {
	if (!metadata.name && metadata.generateName) {
		// As the API server's name generator: 58 characters of the base at most, and 5 random.
		metadata.name = `${metadata.generateName.slice(0, 58)}${randomUUID().replaceAll('-', '').slice(0, 5)}`;
	}
	if (!metadata.name)
		throw errors.invalid(
			type,
			'',
			'metadata.name: Required value: name or generateName is required',
		);
	if (!nameRule.test(metadata.name) || metadata.name.length > 253) {
		throw errors.invalid(
			type,
			metadata.name,
			`metadata.name: Invalid value: "${metadata.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
		);
	}
	return metadata.name;
}
