import {randomUUID} from 'node:crypto';
import {errors} from './errors.js';
import type {ObjectMeta} from './objects.js';
import type {ResourceType} from './resources.js';

/**
 * A new object's name: its own, or its generateName with a random suffix, as a real server
 * names `kubectl create --generate-name` objects; a missing one is 422 Invalid
 * (validation.ts checks the name by its kind's rule).
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
	return metadata.name;
}
