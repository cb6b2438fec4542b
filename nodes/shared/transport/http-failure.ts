import { NETWORK_CODES } from '../api-errors';
import type { HttpFailure } from '../types';

/** An API answer with an error status, read in full (headers and body) before it is judged. */
export class HttpStatusError extends Error {
	constructor(
		readonly status: number,
		readonly headers: Record<string, unknown>,
		readonly data: unknown,
	) {
		super(`HTTP ${status}`);
	}
}

interface ErrorLike {
	message?: unknown;
	description?: unknown;
	messages?: unknown;
	code?: unknown;
	httpCode?: unknown;
	context?: { data?: unknown };
	response?: { status?: unknown; data?: unknown; headers?: Record<string, unknown> };
}

const NETWORK_CODE = new RegExp(`\\b(${Object.keys(NETWORK_CODES).join('|')})\\b`);

/** n8n's NodeApiError keeps no error code, only the original texts: find the code there. */
function networkCodeIn(texts: string[]): string | undefined {
	for (const text of texts) {
		const code = NETWORK_CODE.exec(text)?.[1];
		if (code) return code;
		if (/socket hang up/i.test(text)) return 'ECONNRESET';
	}
	return undefined;
}

function parseRetryAfter(value: unknown): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds;
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * What a failed request left behind, whatever shape it came in: our own HttpStatusError (an API
 * answer with an error status), n8n's NodeApiError (which keeps the status as `httpCode`, the JSON
 * reply as `context.data` and the original texts as `messages`, but not the axios error), or a raw
 * axios error from a plain request.
 */
export function readHttpFailure(error: unknown): HttpFailure {
	if (error instanceof HttpStatusError) {
		return {
			status: error.status,
			data: error.data,
			retryAfterSeconds: parseRetryAfter(error.headers['retry-after']),
			texts: [],
		};
	}
	const raw = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
	const texts = [
		raw.description,
		raw.message,
		...(Array.isArray(raw.messages) ? raw.messages : []),
	].filter((text): text is string => typeof text === 'string' && text !== '');
	const rawStatus = raw.response?.status ?? raw.httpCode;
	const status =
		rawStatus === undefined || rawStatus === null || rawStatus === '' ? NaN : Number(rawStatus);
	return {
		status: Number.isFinite(status) ? status : undefined,
		code: typeof raw.code === 'string' ? raw.code : networkCodeIn(texts),
		data: raw.response?.data ?? raw.context?.data,
		retryAfterSeconds: parseRetryAfter(raw.response?.headers?.['retry-after']),
		texts,
	};
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
