import type {IncomingMessage} from 'node:http';
import {ApiError} from './errors.js';

/**
 * A failure to inject into the sim's API for tests and drills: an error status, a delay, a
 * dropped connection (before the request is handled), or a lost answer (the request is handled,
 * then the connection is cut before the answer leaves: a write that landed though its client
 * never heard so), for requests whose method and path match, a number of times or forever.
 */
export type Fault = {
	method?: string;
	path?: string | RegExp;
	status?: number;
	message?: string;
	delayMs?: number;
	dropConnection?: boolean;
	loseAnswer?: boolean;
	times?: number;
};

const reasons: Record<number, string> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	409: 'Conflict',
	410: 'Expired',
	422: 'Invalid',
	429: 'TooManyRequests',
	500: 'InternalError',
	503: 'ServiceUnavailable',
	504: 'Timeout',
};

export class Faults {
	private readonly active: Fault[] = [];

	add(fault: Fault): void {
		this.active.push({...fault});
	}

	clear(): void {
		this.active.length = 0;
	}

	private take(method: string, path: string): Fault | undefined {
		const index = this.active.findIndex((fault) => {
			if (fault.method && fault.method.toUpperCase() !== method) return false;
			if (typeof fault.path === 'string' && !path.startsWith(fault.path)) return false;
			if (fault.path instanceof RegExp && !fault.path.test(path)) return false;
			return true;
		});
		if (index < 0) return undefined;
		const fault = this.active[index]!;
		if (fault.times !== undefined && --fault.times <= 0) this.active.splice(index, 1);
		return fault;
	}

	/**
	 * Applies the first matching fault: 'dropped' when the connection was cut before handling,
	 * 'lose' when the request is to be handled and its answer lost, else 'go'.
	 */
	async apply(request: IncomingMessage, path: string): Promise<'go' | 'dropped' | 'lose'> {
		const fault = this.take(request.method ?? 'GET', path);
		if (!fault) return 'go';
		if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
		if (fault.dropConnection) {
			request.socket.destroy();
			return 'dropped';
		}
		if (fault.status) {
			const reason = reasons[fault.status] ?? 'InternalError';
			throw new ApiError(fault.status, reason, fault.message ?? `injected fault: ${reason}`);
		}
		return fault.loseAnswer ? 'lose' : 'go';
	}
}
