// Timers the emulator owns, so close() can cancel every pending one and jest can exit.
export class Scheduler {
	private readonly timers = new Set<NodeJS.Timeout>();
	private closed = false;

	after(ms: number, run: () => void): void {
		if (this.closed) return;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (!this.closed) run();
		}, Math.max(0, ms));
		this.timers.add(timer);
	}

	delay(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			if (this.closed) return resolve();
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	get isClosed(): boolean {
		return this.closed;
	}

	close(): void {
		this.closed = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}

/**
 * A pause between steps of pixel work. A bare setImmediate lets the loop turn only once, and an
 * HTTP exchange needs several turns (accept, read, answer), so requests would crawl while a queue
 * of large images is processed; a few milliseconds let everything pending run.
 */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, 4));
}

let lastTaskId = 0;

/**
 * Task ids look like Celantur's: microseconds since the epoch (about 1.7e15, below 2^53),
 * strictly increasing even across emulators in one process.
 */
export function nextTaskId(): number {
	const micros = Date.now() * 1000 + Math.floor((performance.now() % 1) * 1000);
	lastTaskId = Math.max(lastTaskId + 1, micros);
	return lastTaskId;
}

/** `2023-07-25T05:54:04.814157`: UTC, microseconds, no zone, as the API prints it. */
export function formatMicros(micros: number): string {
	const millis = Math.floor(micros / 1000);
	const iso = new Date(millis).toISOString();
	const fraction = String(micros % 1_000_000).padStart(6, '0');
	return `${iso.slice(0, 19)}.${fraction}`;
}

/** S3's `X-Amz-Date` form: 20230725T055404Z. */
export function amzDate(millis: number): string {
	return new Date(millis).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function parseAmzDate(value: string): number | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s] = match.map(Number);
	return Date.UTC(y, mo - 1, d, h, mi, s);
}
