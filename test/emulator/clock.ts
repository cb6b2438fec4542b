import type { ClockMode } from './types';

interface Timer {
	due: number;
	run: () => void;
	/** Cancels the timer's Node.js handle; absent while it waits for advance(). */
	cancel?: () => void;
}

/**
 * The emulator's time, and the timers it owns (so close() can cancel every pending one and jest
 * can exit). Token and presigned-URL expiry, latency, `queuedMs` and `processingMs` all run on it.
 * - 'real' follows the wall clock; `advance(ms)` jumps ahead at once: tokens and URLs expire and
 *   timers that fall due fire now.
 * - 'manual' stands still until `advance(ms)`: nothing waits out a latency or leaves `queued` by
 *   itself, so a test decides when each step happens, however slow or busy the machine is.
 * A timer of 0 ms or less fires on the next turn of the event loop in both modes.
 */
export class Scheduler {
	private readonly timers = new Set<Timer>();
	private closed = false;
	private offset = 0;
	private readonly frozenAt = Date.now();

	constructor(readonly mode: ClockMode = 'real') {}

	/** The emulator's time in ms since the epoch. */
	now(): number {
		return (this.mode === 'manual' ? this.frozenAt : Date.now()) + this.offset;
	}

	/** Moves the emulator's time ahead and fires every timer that is then due, earliest first. */
	advance(ms: number): void {
		if (!(ms >= 0)) throw new Error(`advance(${ms}): the emulator's clock only moves forward`);
		this.offset += ms;
		const due = [...this.timers]
			.filter((timer) => timer.due <= this.now())
			.sort((a, b) => a.due - b.due);
		for (const timer of due) this.fire(timer);
	}

	after(ms: number, run: () => void): void {
		if (this.closed) return;
		const timer: Timer = { due: this.now() + Math.max(0, ms), run };
		this.timers.add(timer);
		if (ms <= 0) {
			const handle = setImmediate(() => this.fire(timer));
			timer.cancel = () => clearImmediate(handle);
		} else if (this.mode === 'real') {
			const handle = setTimeout(() => this.fire(timer), ms);
			timer.cancel = () => clearTimeout(handle);
		}
	}

	delay(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			if (this.closed) return resolve();
			this.after(ms, resolve);
		});
	}

	get isClosed(): boolean {
		return this.closed;
	}

	close(): void {
		this.closed = true;
		for (const timer of this.timers) timer.cancel?.();
		this.timers.clear();
	}

	private fire(timer: Timer): void {
		if (!this.timers.delete(timer)) return;
		timer.cancel?.();
		if (!this.closed) timer.run();
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
	return new Date(millis)
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

export function parseAmzDate(value: string): number | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s] = match.map(Number);
	return Date.UTC(y, mo - 1, d, h, mi, s);
}
