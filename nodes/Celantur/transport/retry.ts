import { sleep, sleepWithAbort } from 'n8n-workflow';

import type { HttpFailure } from './http-failure';

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** The longest `Retry-After` honoured; a longer one is cut to this. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	attempts: 6,
	baseDelayMs: 500,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 60_000,
};

const TRANSIENT_NETWORK_CODES = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET'];

/**
 * Whether a request may be sent again. `idempotent` requests (GET, DELETE, the presigned PUT and
 * downloads) are retried on any transient failure. A request that creates something is retried
 * only where the failure proves it was not acted on: a 429 or 503 answer, or a connection that was
 * never made; a reset or a gateway timeout may hide a task that was made.
 */
export function isRetryable(failure: HttpFailure, idempotent: boolean): boolean {
	const { status, code } = failure;
	if (status === 429 || status === 503) return true;
	if (status !== undefined) return idempotent && (status === 500 || status === 502 || status === 504);
	if (code === 'ECONNREFUSED') return true;
	return idempotent && code !== undefined && TRANSIENT_NETWORK_CODES.includes(code);
}

/** Exponential backoff with full jitter, or the server's `Retry-After` where it gave one. */
export function retryDelayMs(attempt: number, failure: HttpFailure, policy: RetryPolicy): number {
	if (failure.retryAfterSeconds !== undefined) {
		return Math.min(failure.retryAfterSeconds * 1000, policy.maxRetryAfterMs);
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Waits, but rejects at once when the execution is cancelled, so Stop is prompt. Each pause
 * listens on a signal of its own: n8n's sleepWithAbort never removes its listener, and a long wait
 * would otherwise pile thousands onto the execution's signal.
 */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (!signal) return await sleep(ms);
	const own = new AbortController();
	const relay = () => own.abort();
	signal.addEventListener('abort', relay, { once: true });
	if (signal.aborted) own.abort();
	try {
		await sleepWithAbort(ms, own.signal);
	} finally {
		signal.removeEventListener('abort', relay);
	}
}

export async function withRetries<T>(
	send: () => Promise<T>,
	options: { idempotent: boolean; signal?: AbortSignal; policy?: RetryPolicy; read: (error: unknown) => HttpFailure },
): Promise<T> {
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	for (let attempt = 0; ; attempt++) {
		let failed: unknown;
		try {
			return await send();
		} catch (error) {
			failed = error;
		}
		const failure = options.read(failed);
		if (options.signal?.aborted || attempt + 1 >= policy.attempts || !isRetryable(failure, options.idempotent)) throw failed;
		await pause(retryDelayMs(attempt, failure, policy), options.signal);
	}
}
