// Watching one execution of a callback-step workflow through n8n's REST API: its status sampled
// every 200 ms from the moment the webhook was called (running, waiting, running again, ended), so
// that a step can tell how long it ran and how long it waited, and act when it starts waiting.
import type { ExecutionSummary, N8nRest } from '../rest-client';
import { sleep } from '../wait';

export interface Sample {
	at: number;
	/** n8n's status, or 'unreachable' while n8n does not answer (a restart). */
	status: string;
}

const ENDED = (status: string): boolean =>
	!['new', 'running', 'waiting', 'queued', 'unknown', 'unreachable'].includes(status);

export interface Timeline {
	running_s: number;
	waiting_s: number;
	/** n8n down (restart steps). */
	down_s: number;
	/** Seen "crashed" before it ended otherwise (n8n 1.x after a restart). */
	crashed_s: number;
	total_s: number;
	/** How many separate waiting periods were seen (1 for a batch that parks once). */
	waits: number;
	/** When the execution was first and last seen waiting (ms since the epoch). */
	waitFrom?: number;
	waitTo?: number;
	endedAt?: number;
}

export class ExecutionWatch {
	readonly samples: Sample[] = [];
	id?: string;
	summary?: ExecutionSummary;
	private stopped = false;
	/**
	 * Whether "crashed" ends the watch. n8n 1.x marks a waiting execution crashed when it starts
	 * again (its execution recovery finds it unfinished in the event log), and a callback or the
	 * deadline still resumes it: the restart step watches on.
	 */
	crashedEnds = true;
	private readonly done: Promise<void>;
	private lastError = '';

	constructor(
		private readonly rest: () => N8nRest,
		private readonly workflowId: string,
		private readonly before: Set<string>,
		readonly triggeredAt: number,
	) {
		this.done = this.loop();
	}

	private async loop(): Promise<void> {
		while (!this.stopped) {
			const at = Date.now();
			let status = 'unknown';
			try {
				const list = await this.rest().executions(this.workflowId);
				const mine = this.id
					? list.find((execution) => execution.id === this.id)
					: list
							.filter((execution) => !this.before.has(execution.id))
							.sort((a, b) => Number(a.id) - Number(b.id))[0];
				if (mine) {
					this.id = mine.id;
					status = mine.status;
					this.summary = mine;
				}
			} catch (error) {
				status = 'unreachable';
				this.lastError = error instanceof Error ? error.message : String(error);
			}
			this.samples.push({ at, status });
			if (this.ends(status)) return;
			await sleep(200);
		}
	}

	private ends(status: string): boolean {
		return ENDED(status) && (status !== 'crashed' || this.crashedEnds);
	}

	get status(): string {
		return this.samples.at(-1)?.status ?? 'unknown';
	}

	/** Resolves once a sample satisfies `accept`; throws after `timeoutMs` or if the execution ended first. */
	async until(what: string, timeoutMs: number, accept: (status: string) => boolean): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let seen = 0;
		for (;;) {
			for (; seen < this.samples.length; seen++) if (accept(this.samples[seen].status)) return;
			if (this.ends(this.status) && !accept(this.status))
				throw new Error(`the execution ended ${this.status} before it was ${what}`);
			if (Date.now() > deadline)
				throw new Error(
					`timed out after ${timeoutMs / 1000} s waiting for the execution to be ${what} (last status ${this.status}${this.status === 'unreachable' ? `; ${this.lastError.slice(0, 200)}` : ''})`,
				);
			await sleep(100);
		}
	}

	async waiting(timeoutMs = 120_000): Promise<void> {
		await this.until('waiting', timeoutMs, (status) => status === 'waiting');
	}

	/** Resolves with the final status once the execution ended. */
	async ended(timeoutMs: number): Promise<string> {
		await this.until('ended', timeoutMs, (status) => this.ends(status));
		await this.done;
		return this.status;
	}

	/** The statuses seen, each run of one written once: `running > waiting > running > success`. */
	history(): string {
		const seen: string[] = [];
		for (const { status } of this.samples) if (status !== seen.at(-1)) seen.push(status);
		return seen.join(' > ');
	}

	stop(): void {
		this.stopped = true;
	}

	/** Seconds the execution was seen running (not waiting, not down) between `from` and `to`. */
	runningWithin(from: number, to: number): number {
		let running = 0;
		let previous = 'running';
		let at = this.triggeredAt;
		for (const sample of [...this.samples, { at: Infinity, status: 'end' }]) {
			const start = Math.max(at, from);
			const end = Math.min(sample.at, to);
			if (end > start && previous !== 'waiting' && previous !== 'unreachable')
				running += end - start;
			if (ENDED(sample.status)) break;
			if (sample.status !== 'unknown') previous = sample.status;
			at = sample.at;
		}
		return running / 1000;
	}

	/** How long the execution was running, waiting (and n8n down), from the samples. */
	timeline(): Timeline {
		let running = 0;
		let waiting = 0;
		let down = 0;
		let crashed = 0;
		let waits = 0;
		let waitFrom: number | undefined;
		let waitTo: number | undefined;
		let previous = 'running';
		let lastKnown = 'running';
		let from = this.triggeredAt;
		let endedAt: number | undefined;
		for (const sample of this.samples) {
			const span = sample.at - from;
			// A span counts as the status seen at its start; before the execution is listed, it runs.
			if (previous === 'waiting') waiting += span;
			else if (previous === 'unreachable') down += span;
			else if (previous === 'crashed') crashed += span;
			else running += span;
			if (sample.status === 'waiting') {
				// A wait that n8n's downtime interrupted is still one wait.
				if (previous !== 'waiting' && !(previous === 'unreachable' && lastKnown === 'waiting'))
					waits++;
				waitFrom ??= sample.at;
				waitTo = sample.at;
			}
			if (this.ends(sample.status)) {
				endedAt = sample.at;
				break;
			}
			if (sample.status !== 'unknown') previous = sample.status;
			if (sample.status !== 'unknown' && sample.status !== 'unreachable') lastKnown = sample.status;
			from = sample.at;
		}
		const total = (endedAt ?? this.samples.at(-1)?.at ?? this.triggeredAt) - this.triggeredAt;
		return {
			running_s: running / 1000,
			waiting_s: waiting / 1000,
			down_s: down / 1000,
			crashed_s: crashed / 1000,
			total_s: total / 1000,
			waits,
			waitFrom,
			waitTo,
			endedAt,
		};
	}
}
