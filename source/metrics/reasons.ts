/**
 * prometheus-query throws plain objects ({status, errorType, error, httpStatus?, prometheus?});
 * this turns them into the words a track's `noData` shows: "prometheus unreachable: <why>" when
 * nothing answered (or a proxy in between said so), "query failed: <prometheus error>" otherwise.
 */
type Thrown = {
	errorType?: string;
	error?: string;
	code?: string;
	httpStatus?: number;
	prometheus?: {kind?: string; message?: string; error?: string};
	data?: unknown;
};

function clip(text: string, length = 160): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function reasonOf(thrown: unknown): string {
	if (thrown instanceof Error) return `query failed: ${clip(thrown.message)}`;
	const error = (thrown ?? {}) as Thrown;
	switch (error.errorType) {
		case 'network_error':
			return `prometheus unreachable: ${clip(error.error ?? error.code ?? 'network error')}`;
		case 'timeout_error':
			return `prometheus unreachable: timed out (${clip(error.error ?? '')})`;
		case 'ssl_error':
			return `prometheus unreachable: TLS: ${clip(error.error ?? '')}`;
		case 'http_error': {
			const status = error.httpStatus ?? 0;
			// The API server's own Status (service proxy): its message says what went wrong.
			if (error.prometheus?.kind === 'Status') {
				const message = clip(error.prometheus.message ?? `HTTP ${status}`);
				return status >= 502 && status <= 504
					? `prometheus unreachable: ${message}`
					: `query failed: the API server answered ${status}: ${message}`;
			}
			if (status >= 502 && status <= 504 && !error.prometheus?.error)
				return `prometheus unreachable: HTTP ${status} ${clip(error.error ?? '')}`;
			if (status === 401 || status === 403)
				return `query failed: HTTP ${status} ${clip(error.error ?? '')}: check the Prometheus credentials`;
			return `query failed: ${clip(error.error ?? `HTTP ${status}`)}`;
		}
		case 'client_error':
			return `query failed: not a Prometheus API answer${typeof error.data === 'string' ? `: ${clip(error.data, 80)}` : ''}`;
		default:
			return `query failed: ${clip(error.error ?? String(thrown))}`;
	}
}
