/** Runs at most `max` jobs at once, in the order they ask. */
export interface Limiter {
	<T>(job: () => Promise<T>): Promise<T>;
	/**
	 * Resolves once a slot is free and no job is queued for it: a caller that starts work only then
	 * keeps a big batch's items from all waiting in the queue at once, each with its own state.
	 */
	free(): Promise<void>;
}

export function createLimiter(max: number): Limiter {
	let active = 0;
	const queue: Array<() => void> = [];
	const freeWaiters: Array<() => void> = [];
	const release = () => {
		const next = queue.shift();
		// The slot passes straight to the next job, so no caller can slip in between and exceed `max`.
		if (next) return next();
		active--;
		freeWaiters.shift()?.();
	};
	const limit = async <T>(job: () => Promise<T>): Promise<T> => {
		if (active < max && queue.length === 0) active++;
		else await new Promise<void>((resolve) => queue.push(resolve));
		try {
			return await job();
		} finally {
			release();
		}
	};
	return Object.assign(limit, {
		free: async (): Promise<void> => {
			if (active < max && queue.length === 0) return;
			await new Promise<void>((resolve) => freeWaiters.push(resolve));
		},
	});
}
