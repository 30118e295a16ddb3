import type {ResourceType} from './resources.js';

export type Status = {
	kind: 'Status';
	apiVersion: 'v1';
	metadata: Record<string, never>;
	status: 'Failure' | 'Success';
	message: string;
	reason: string;
	details?: {
		name?: string;
		group?: string;
		kind?: string;
		causes?: Array<{reason?: string; message: string; field?: string}>;
		/** With 429 (and 503): when to try again; the answer's Retry-After header says the same. */
		retryAfterSeconds?: number;
	};
	code: number;
};

/** A failure the API server answers with a `Status` body, as a real one does. */
export class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly reason: string,
		message: string,
		readonly details?: Status['details'],
	) {
		super(message);
	}

	toStatus(): Status {
		return {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: this.message,
			reason: this.reason,
			...(this.details ? {details: this.details} : {}),
			code: this.code,
		};
	}
}

function qualified(type: ResourceType): string {
	return type.group ? `${type.plural}.${type.group}` : type.plural;
}

export const errors = {
	notFound: (type: ResourceType, name: string) =>
		new ApiError(404, 'NotFound', `${qualified(type)} "${name}" not found`, {
			name,
			group: type.group,
			kind: type.plural,
		}),
	alreadyExists: (type: ResourceType, name: string) =>
		new ApiError(409, 'AlreadyExists', `${qualified(type)} "${name}" already exists`, {
			name,
			group: type.group,
			kind: type.plural,
		}),
	conflict: (type: ResourceType, name: string) =>
		new ApiError(
			409,
			'Conflict',
			`Operation cannot be fulfilled on ${qualified(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
			{name, group: type.group, kind: type.plural},
		),
	/** One field error, worded `field: Invalid value: ...` (field-errors.ts words several). */
	invalid: (type: ResourceType, name: string, message: string) => {
		const at = message.indexOf(': ');
		const body = message.slice(at + 2);
		const reason = body.startsWith('Required value') ? 'FieldValueRequired' : 'FieldValueInvalid';
		return new ApiError(
			422,
			'Invalid',
			`${type.group ? `${type.kind}.${type.group}` : type.kind} "${name}" is invalid: ${message}`,
			{
				name,
				group: type.group,
				kind: type.kind,
				causes: [{reason, message: body, field: message.slice(0, at)}],
			},
		);
	},
	badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
	unsupportedMediaType: (contentType: string) =>
		new ApiError(
			415,
			'UnsupportedMediaType',
			`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType || 'none'})`,
		),
	methodNotAllowed: (method: string) =>
		new ApiError(
			405,
			'MethodNotAllowed',
			`the server does not allow this method on the requested resource (${method})`,
		),
	gone: (message: string) => new ApiError(410, 'Expired', message),
	pathNotFound: () =>
		new ApiError(404, 'NotFound', 'the server could not find the requested resource'),
	serviceUnavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
	/** pods/log, attach, exec: there is no container process behind a simulated pod. */
	noContainers: (pod: string, subresource: string) =>
		new ApiError(
			400,
			'BadRequest',
			`cutover sim runs no containers: pod "${pod}" has no ${subresource === 'log' ? 'logs to read' : `process to ${subresource === 'exec' ? 'exec in' : 'attach to'}`} (the simulated cluster models pods; it does not run their images)`,
		),
};
