/** Runs at most `max` of the given jobs at once, in the order they ask. */
export function createLimiter(max: number): <T>(job: () => Promise<T>) => Promise<T> {
	let active = 0;
	const queue: Array<() => void> = [];
	const release = () => {
		active--;
		queue.shift()?.();
	};
	return async <T>(job: () => Promise<T>): Promise<T> => {
		if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
		active++;
		try {
			return await job();
		} finally {
			release();
		}
	};
}
