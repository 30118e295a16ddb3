/** The API server's HTTP plumbing: bodies in, JSON and Kubernetes `Status` errors out. */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError, errors} from './errors.js';

const maxBodyBytes = 3 * 1024 * 1024;

export function send(
	response: ServerResponse,
	code: number,
	body: unknown,
	headers: Record<string, string | string[]> = {},
): void {
	if (response.headersSent) {
		response.end();
		return;
	}
	const text = JSON.stringify(body);
	response.writeHead(code, {
		...headers,
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
	});
	response.end(text);
}

/**
 * An ApiError as its Status (with a Retry-After header when its details say when to retry, as
 * the real apiserver's error writer sets it); anything else is a bug in the sim, logged and
 * answered as a 500.
 */
export function sendError(
	response: ServerResponse,
	error: unknown,
	log?: (line: string) => void,
): void {
	if (error instanceof ApiError) {
		const retry = error.details?.retryAfterSeconds;
		send(response, error.code, error.toStatus(), retry ? {'Retry-After': String(retry)} : {});
		return;
	}
	const message = error instanceof Error ? error.message : String(error);
	log?.(`sim: internal error: ${message}`);
	send(
		response,
		500,
		new ApiError(
			500,
			'InternalError',
			`an error on the server has prevented the request from succeeding: ${message}`,
		).toStatus(),
	);
}

export async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > maxBodyBytes)
			throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(request: IncomingMessage): Promise<unknown> {
	const text = await readBody(request);
	if (text.trim() === '') throw errors.badRequest('the request body is empty');
	try {
		return JSON.parse(text);
	} catch (error) {
		throw errors.badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
	}
}

export function requireJson(request: IncomingMessage): void {
	const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
	if (type !== '' && type !== 'application/json' && type !== '*/*')
		throw errors.unsupportedMediaType(type);
}
