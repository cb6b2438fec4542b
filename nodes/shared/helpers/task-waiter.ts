import type { CelanturClient } from '../transport/client';
import { getTaskStatus } from '../transport/endpoints';
import { pause } from '../retry';
import { createLimiter } from './concurrency';
import { createdAt, refusesPageKey, scanTaskList } from './task-statuses';
import { FIRST_POLL_MS, LIST_THRESHOLD, nextPollDelay } from './poll-schedule';
import { hasEnded, type CelanturTask, type TaskStatus } from '../types';

export class TaskTimeoutError extends Error {
	constructor(
		readonly taskId: number,
		readonly lastStatus: string,
		timeoutSeconds: number,
	) {
		super(
			`Celantur task ${taskId} did not finish within ${timeoutSeconds} s (last status: ${lastStatus}). It may still finish: pick it up later with the "Get Status" or "Download" operation and task ID ${taskId}, or raise "Timeout".`,
		);
	}
}

interface Waiter {
	resolve: (task: CelanturTask) => void;
	reject: (error: unknown) => void;
}

/** One task being waited for, by one or more items (an id may appear in several items). */
interface Pending {
	waiters: Waiter[];
	promise: Promise<CelanturTask>;
	deadline: number;
	/** When the wait began: the upload had ended, so the task was about to be processed. */
	since: number;
	timeoutSeconds: number;
	itemIndex: number;
	/** When the task was created, if known: the list can only be scanned by creation day. */
	createdAt: number | undefined;
	lastStatus: string;
}

/** The smallest of many numbers; `Math.min(...values)` overflows the stack on a big batch. */
function smallest(values: Iterable<number>): number {
	let least = Infinity;
	for (const value of values) if (value < least) least = value;
	return least;
}

/**
 * Waits for many tasks at once with one shared polling loop: a round costs one task-list scan
 * (however many tasks wait) plus one status call for each task that has just ended, so requests do
 * not grow with tasks × polls. Polling starts fast and backs off to the poll interval, and speeds up
 * again while tasks are ending.
 */
export class TaskWaiter {
	private readonly pending = new Map<number, Pending>();

	private readonly limit: <T>(job: () => Promise<T>) => Promise<T>;

	private running = false;

	/** At most how long a task takes: the quickest of those the last round with ended tasks saw. */
	private duration: number | undefined;

	/** Whether scans may start at a page key of their own; off once the API refused one. */
	private keyedScans = true;

	constructor(
		private readonly client: CelanturClient,
		private readonly pollIntervalMs: number,
		concurrency: number,
	) {
		this.limit = createLimiter(concurrency);
	}

	wait(task: CelanturTask, itemIndex: number, timeoutSeconds: number): Promise<CelanturTask> {
		const known = this.pending.get(task.task_id);
		if (known) return known.promise;
		const waiters: Waiter[] = [];
		const promise = new Promise<CelanturTask>((resolve, reject) =>
			waiters.push({ resolve, reject }),
		);
		const since = Date.now();
		this.pending.set(task.task_id, {
			waiters,
			promise,
			itemIndex,
			timeoutSeconds,
			since,
			deadline: since + timeoutSeconds * 1000,
			createdAt: createdAt(task.create_time),
			lastStatus: task.task_status ?? 'new',
		});
		if (!this.running) void this.loop();
		return promise;
	}

	private settle(id: number, outcome: { task: CelanturTask } | { error: unknown }): void {
		const entry = this.pending.get(id);
		if (!entry) return;
		this.pending.delete(id);
		for (const waiter of entry.waiters) {
			if ('task' in outcome) waiter.resolve(outcome.task);
			else waiter.reject(outcome.error);
		}
	}

	private async loop(): Promise<void> {
		this.running = true;
		let delay = Math.min(FIRST_POLL_MS, this.pollIntervalMs);
		try {
			while (this.pending.size > 0) {
				const nearestDeadline = smallest([...this.pending.values()].map((p) => p.deadline));
				await pause(Math.max(0, Math.min(delay, nearestDeadline - Date.now())), this.client.signal);
				const roundAt = Date.now();
				const ended = await this.round(roundAt);
				delay = this.nextDelay(delay, ended, roundAt);
				this.expire();
			}
		} catch (error) {
			// Cancellation (or a bug) ends every wait, so no item is left hanging.
			for (const id of [...this.pending.keys()]) this.settle(id, { error });
		} finally {
			this.running = false;
		}
	}

	private nextDelay(previousDelay: number, ended: number, roundAt: number): number {
		let oldestSince = Infinity;
		let newestSince = 0;
		for (const { since } of this.pending.values()) {
			if (since < oldestSince) oldestSince = since;
			if (since > newestSince) newestSince = since;
		}
		return nextPollDelay({
			previousDelay,
			ended,
			waiting: this.pending.size,
			oldestSince,
			newestSince,
			duration: this.duration,
			roundAt,
			now: Date.now(),
			pollIntervalMs: this.pollIntervalMs,
		});
	}

	private expire(): void {
		const now = Date.now();
		for (const [id, entry] of [...this.pending]) {
			if (now >= entry.deadline)
				this.settle(id, {
					error: new TaskTimeoutError(id, entry.lastStatus, entry.timeoutSeconds),
				});
		}
	}

	/** One polling round; how many of the tasks waiting at its start it saw end. */
	private async round(startedAt: number): Promise<number> {
		const ids = [...this.pending.keys()];
		const since = ids.map((id) => this.pending.get(id)!.since);
		const dated = ids.filter((id) => this.pending.get(id)!.createdAt !== undefined);
		let toCheck = ids;
		if (dated.length >= LIST_THRESHOLD) {
			const listed = await this.scanList(dated);
			if (listed) {
				toCheck = ids.filter((id) => {
					const status = listed.get(id);
					if (status === undefined) return true;
					this.pending.get(id)!.lastStatus = status;
					return hasEnded(status);
				});
			}
		}
		await Promise.all(
			toCheck.map(async (id) => await this.limit(async () => await this.checkOne(id))),
		);
		// Counted among the tasks waiting at the start: tasks handed over during the round are not
		// an end to offset. A task seen ended by the round's start took at most that long; the
		// newest such bounds it best.
		let ended = 0;
		let quickest = Infinity;
		ids.forEach((id, n) => {
			if (this.pending.has(id)) return;
			ended++;
			quickest = Math.min(quickest, startedAt - since[n]);
		});
		if (ended > 0) this.duration = quickest;
		return ended;
	}

	private async checkOne(id: number): Promise<void> {
		const entry = this.pending.get(id);
		if (!entry) return;
		const reply = await getTaskStatus(this.client, id, entry.itemIndex).then(
			(task) => ({ task }),
			(error: unknown) => ({ error }),
		);
		if ('error' in reply) {
			// Cancellation ends the whole loop; any other failure ends only this task's wait.
			if (this.client.signal?.aborted) throw reply.error;
			this.settle(id, reply);
			return;
		}
		entry.lastStatus = reply.task.task_status ?? entry.lastStatus;
		if (hasEnded(reply.task.task_status)) this.settle(id, reply);
	}

	/** Statuses of the given tasks from the task list, or undefined when the list failed. */
	private async scanList(ids: number[]): Promise<Map<number, TaskStatus> | undefined> {
		const earliest = smallest(ids.map((id) => this.pending.get(id)!.createdAt!));
		const keyed = this.keyedScans;
		return await scanTaskList(this.client, ids, earliest, keyed).catch(async (error: unknown) => {
			// A failed scan leaves this round to direct status calls, unless the execution was stopped.
			if (this.client.signal?.aborted) return await Promise.reject(error);
			if (!keyed || !refusesPageKey(this.client, error)) return undefined;
			// From now on scans start at the beginning of the day.
			this.keyedScans = false;
			return await this.scanList(ids);
		});
	}
}
