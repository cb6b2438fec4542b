/** How a job asks for a slot. */
export interface SlotRequest {
	/** Served before every ordinary request: work that finishes what has begun goes first. */
	urgent?: boolean;
}

/** Runs at most `max` jobs at once: urgent requests first, each kind in the order it asks. */
export interface Limiter {
	<T>(job: () => Promise<T>, request?: SlotRequest): Promise<T>;
	/**
	 * A slot for work that ends elsewhere; the function given back frees it, and does nothing when
	 * called again. The slot is taken at once when one is free, before this returns.
	 */
	acquire(request?: SlotRequest): Promise<() => void>;
	/**
	 * Resolves once a slot is free and no job is queued for it: a caller that starts work only then
	 * keeps a big batch's items from all waiting in the queue at once, each with its own state.
	 */
	free(): Promise<void>;
}

export function createLimiter(max: number): Limiter {
	let active = 0;
	const urgent: Array<() => void> = [];
	const ordinary: Array<() => void> = [];
	const freeWaiters: Array<() => void> = [];
	const isFree = () => active < max && urgent.length + ordinary.length === 0;

	const release = () => {
		const next = urgent.shift() ?? ordinary.shift();
		// The slot passes straight to the next job, so no caller can slip in between and exceed `max`.
		if (next) return next();
		active--;
		freeWaiters.shift()?.();
	};

	/** Frees the held slot the first time it is called. */
	const holder = (): (() => void) => {
		let held = true;
		return () => {
			if (!held) return;
			held = false;
			release();
		};
	};

	/** A free slot, taken with no await; none while others queue for one. */
	const tryTake = (): (() => void) | undefined => {
		if (!isFree()) return undefined;
		active++;
		return holder();
	};

	/** Queues for the next slot `release` hands over. */
	const queued = async (request: SlotRequest = {}): Promise<() => void> => {
		await new Promise<void>((resolve) => (request.urgent ? urgent : ordinary).push(resolve));
		// Handed over by `release`, which left it counted in `active`.
		return holder();
	};

	const acquire = async (request?: SlotRequest): Promise<() => void> =>
		tryTake() ?? (await queued(request));

	const limit = async <T>(job: () => Promise<T>, request?: SlotRequest): Promise<T> => {
		// With a slot free, the job starts within this call: a caller asking free() next sees it taken.
		const done = tryTake() ?? (await queued(request));
		try {
			return await job();
		} finally {
			done();
		}
	};

	return Object.assign(limit, {
		acquire,
		free: async (): Promise<void> => {
			if (isFree()) return;
			await new Promise<void>((resolve) => freeWaiters.push(resolve));
		},
	});
}
