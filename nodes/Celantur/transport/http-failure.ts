/**
 * What a failed request left behind, read from n8n's NodeApiError (which wraps the axios error as
 * `cause`) or from the axios error itself. Nothing here keeps request headers or URLs, so the
 * token and presigned signatures cannot leak into a message built from it.
 */
export interface HttpFailure {
	status?: number;
	code?: string;
	data?: unknown;
	retryAfterSeconds?: number;
	message: string;
	/** The error's name, e.g. the credential's sign-in error, whose message is meant for users. */
	name?: string;
}

interface ErrorLike {
	name?: unknown;
	message?: unknown;
	code?: unknown;
	httpCode?: unknown;
	response?: { status?: unknown; data?: unknown; headers?: Record<string, unknown> };
	cause?: ErrorLike;
}

function parseRetryAfter(value: unknown): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds;
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

export function readHttpFailure(error: unknown): HttpFailure {
	const outer = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
	const inner = outer.cause ?? {};
	const response = outer.response ?? inner.response;
	const rawStatus = response?.status ?? outer.httpCode ?? inner.httpCode;
	const status = rawStatus === undefined || rawStatus === null ? undefined : Number(rawStatus);
	const code = [outer.code, inner.code].find((c): c is string => typeof c === 'string');
	const headers = response?.headers ?? {};
	return {
		status: Number.isFinite(status) ? status : undefined,
		code,
		data: response?.data,
		retryAfterSeconds: parseRetryAfter(headers['retry-after'] ?? headers['Retry-After']),
		message: String(inner.message ?? outer.message ?? 'unknown error'),
		name: typeof inner.name === 'string' ? inner.name : undefined,
	};
}

/** Celantur's error bodies are `{status_code, error}`; sign-in errors are `{message, code}`. */
export function celanturMessage(data: unknown): string | undefined {
	if (typeof data === 'string') {
		try {
			return celanturMessage(JSON.parse(data));
		} catch {
			return data.trim() || undefined;
		}
	}
	if (typeof data !== 'object' || data === null) return undefined;
	const { error, message } = data as { error?: unknown; message?: unknown };
	if (typeof error === 'string') return error;
	if (typeof message === 'string') return message;
	return undefined;
}

/** A URL safe to show: presigned query strings carry signatures, so only origin and path are kept. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return '(invalid URL)';
	}
}
