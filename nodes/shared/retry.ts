import { ManualExecutionCancelledError, sleep } from 'n8n-workflow';

import { NETWORK_CODES } from './api-errors';
import type { HttpFailure } from './types';

// The one retry policy of the package: which failures are worth another try (`isRetryable`), how
// long to wait between tries (`retryDelayMs`) and the loop itself (`withRetries`). API calls,
// uploads and downloads use it with API_RETRY_POLICY; the credential's sign-in with its own, shorter
// limits, since a person may be waiting on the credential test. A leaf, like api.ts and types.ts.

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** The longest `Retry-After` honoured; a longer one is cut to this. */
	maxRetryAfterMs: number;
}

export const API_RETRY_POLICY: RetryPolicy = {
	attempts: 6,
	baseDelayMs: 500,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 60_000,
};

/** Three tries within about three seconds: the sign-in runs while a request (or a person) waits. */
export const SIGN_IN_RETRY_POLICY: RetryPolicy = {
	attempts: 3,
	baseDelayMs: 1000,
	maxDelayMs: 2000,
	maxRetryAfterMs: 2000,
};

/**
 * Whether a request may be sent again. `idempotent` requests (GET, DELETE, the presigned PUT and
 * downloads) are retried on any transient failure. A request that creates something is retried
 * only where the failure proves it was not acted on: a 429 or 503 answer, or a connection that was
 * never made; a reset or a gateway timeout may hide a task that was made.
 */
export function isRetryable(failure: HttpFailure, idempotent: boolean): boolean {
	const { status, code } = failure;
	if (status === 429 || status === 503) return true;
	if (status !== undefined)
		return idempotent && (status === 500 || status === 502 || status === 504);
	if (code === 'ECONNREFUSED') return true;
	return idempotent && code !== undefined && NETWORK_CODES[code]?.transient === true;
}

/** Exponential backoff with full jitter, or the server's `Retry-After` where it gave one. */
export function retryDelayMs(attempt: number, failure: HttpFailure, policy: RetryPolicy): number {
	if (failure.retryAfterSeconds !== undefined) {
		return Math.min(failure.retryAfterSeconds * 1000, policy.maxRetryAfterMs);
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** The longest single timer a pause sets: a Stop leaves no timer behind for longer than this. */
const PAUSE_SLICE_MS = 250;

/**
 * Waits, but rejects at once when the execution is cancelled, so Stop is prompt. Built on `sleep`
 * alone, in short slices: n8n-workflow's abortable sleep is gone from 2.34 on, the package must run
 * on every n8n its users have, and shipped code may not set timers of its own. The listener is
 * removed after each pause, so a long wait does not pile thousands onto the execution's signal.
 */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (!signal) return await sleep(ms);
	let onAbort = (): void => undefined;
	const cancelled = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new ManualExecutionCancelledError(''));
	});
	signal.addEventListener('abort', onAbort, { once: true });
	try {
		for (let left = ms; ; left -= PAUSE_SLICE_MS) {
			if (signal.aborted) throw new ManualExecutionCancelledError('');
			if (left <= 0) return;
			await Promise.race([sleep(Math.min(left, PAUSE_SLICE_MS)), cancelled]);
		}
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** Sleeps up to `ms` in the same short slices, waking early once `done()` holds; says whether it does. */
export async function sleepUntil(ms: number, done: () => boolean): Promise<boolean> {
	for (let left = ms; left > 0 && !done(); left -= PAUSE_SLICE_MS)
		await sleep(Math.min(left, PAUSE_SLICE_MS));
	return done();
}

export async function withRetries<T>(
	send: () => Promise<T>,
	options: {
		idempotent: boolean;
		signal?: AbortSignal;
		policy?: RetryPolicy;
		read: (error: unknown) => HttpFailure;
	},
): Promise<T> {
	const policy = options.policy ?? API_RETRY_POLICY;
	for (let attempt = 0; ; attempt++) {
		let failed: unknown;
		try {
			return await send();
		} catch (error) {
			failed = error;
		}
		const failure = options.read(failed);
		if (
			options.signal?.aborted ||
			attempt + 1 >= policy.attempts ||
			!isRetryable(failure, options.idempotent)
		)
			throw failed;
		await pause(retryDelayMs(attempt, failure, policy), options.signal);
	}
}
