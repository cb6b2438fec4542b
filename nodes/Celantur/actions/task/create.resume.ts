import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { taskStatuses } from '../../../shared/helpers/task-statuses';
import { sleepUntil } from '../../../shared/retry';
import { checkTaskId } from '../../../shared/helpers/validate';
import {
	createClient,
	resolveApiRoot,
	type CelanturClient,
} from '../../../shared/transport/client';
import { getTaskStatus } from '../../../shared/transport/endpoints';
import { hasEnded, type TaskStatus } from '../../../shared/types';
import { finishedItems, isWaiting } from './create.resume-output';
import { BATCH_PARAMETER, type WaitingTask } from './create.wait-callback';

/** With more tasks than this unaccounted for, Celantur is asked at most every ASK_EVERY_MS. */
const UNACCOUNTED_TO_ASK = 1;
const ASK_EVERY_MS = 3000;
/** With no callback coming, the pause between asks doubles up to this. */
const LONGEST_PAUSE_MS = 30_000;
/** How long after this process's last callback it keeps asking, for tasks that end without one. */
const FOLLOW_FOR_MS = 10 * 60_000;
/** Stops short of the deadline: then n8n resumes the execution itself. */
const DEADLINE_MARGIN_MS = 5000;
/**
 * How often a process without the deciding callback asks Celantur whether it was delivered, the
 * first time this long after the batch ended: by then a callback sent elsewhere has been answered
 * (one question, not `set` and then `sent`), and one sent here has come (no question).
 */
const DECIDING_ASK_EVERY_MS = 5000;
/** A deciding callback not delivered this long after the batch ended is taken as lost. */
const ON_ITS_WAY_MS = 60_000;
/** How long the resuming callback waits for the results' links of tasks that ended a moment ago. */
const LINKS_WAIT_MS = 2000;

/**
 * What this n8n process knows of a waiting batch. Nothing is saved between callbacks (n8n loads
 * the execution anew each time), so each process keeps its own.
 */
interface BatchMemo {
	/** Tasks whose callback came here, with the result link it carried. */
	reported: Map<number, string | undefined>;
	/** Statuses Celantur confirmed. */
	confirmed: Map<number, TaskStatus>;
	askedAt: number;
	lastCallbackAt: number;
	/** When this process first saw every task of the batch ended. */
	endedAt?: number;
	/** When it last asked for the deciding task's delivery: the other callbacks do not ask again. */
	decidingAskedAt: number;
	/** One callback at a time asks Celantur for the batch; the others only bring it news. */
	following: boolean;
	news: boolean;
	/** Claimed by the callback that resumes: n8n 1.x does not claim a resume atomically. */
	resumed: boolean;
}

const memos = new Map<string, BatchMemo>();
/** Batches remembered at most; older ones ended long ago. */
const MAX_MEMOS = 200;

function memoOf(executionId: string): BatchMemo {
	let memo = memos.get(executionId);
	if (!memo) {
		memo = {
			reported: new Map(),
			confirmed: new Map(),
			askedAt: 0,
			lastCallbackAt: 0,
			decidingAskedAt: 0,
			following: false,
			news: false,
			resumed: false,
		};
		memos.set(executionId, memo);
		if (memos.size > MAX_MEMOS) memos.delete(memos.keys().next().value as string);
	}
	return memo;
}

/** The items the execution waits with (create.wait-callback.ts): this node's input, seen from here. */
function waitingItems(ctx: IWebhookFunctions): IDataObject[] {
	const items = ctx.evaluateExpression('{{ $input.all().map((item) => item.json) }}', 0);
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

/** Pauses up to `ms`, cut short when a callback brings news; says whether one did. */
async function pause(memo: BatchMemo, ms: number): Promise<boolean> {
	const news = await sleepUntil(ms, () => memo.news);
	memo.news = false;
	return news;
}

/** A batch this process follows: its tasks, and the process's memo of it. */
class Batch {
	constructor(
		readonly tasks: WaitingTask[],
		readonly memo: BatchMemo,
	) {}

	open(): WaitingTask[] {
		return this.tasks.filter((task) => !hasEnded(this.memo.confirmed.get(task.task_id)));
	}

	/** How long to wait before asking: a callback of the last tasks asks at once. */
	askDelay(): number {
		const unaccounted = this.open().filter((task) => !this.memo.reported.has(task.task_id));
		if (unaccounted.length <= UNACCOUNTED_TO_ASK) return 0;
		return Math.max(0, this.memo.askedAt + ASK_EVERY_MS - Date.now());
	}

	/** When to stop asking: the deadline, or long after the last callback. */
	until(): number {
		const deadline = Date.parse(this.tasks[0].waiting_until);
		const followed = this.memo.lastCallbackAt + FOLLOW_FOR_MS;
		return Number.isNaN(deadline) ? followed : Math.min(deadline - DEADLINE_MARGIN_MS, followed);
	}

	/**
	 * The done task whose callback decides which process resumes: with callbacks spread over
	 * several webhook processes, each sees the batch end, and only the one that received this
	 * task's callback resumes it.
	 */
	decidingTask(): number | undefined {
		const done = this.tasks.filter((task) => this.memo.confirmed.get(task.task_id) === 'done');
		return done.length > 0 ? Math.max(...done.map((task) => task.task_id)) : undefined;
	}
}

type Decision = 'resume' | 'another process' | 'on its way';

/**
 * Whether this process resumes the ended batch. The deciding callback may not have come here:
 * Celantur's record of its delivery says whether another process has it, it is still on its way,
 * or it was lost (then any process that sees the batch end resumes it).
 */
async function decide(client: CelanturClient, batch: Batch): Promise<Decision> {
	const deciding = batch.decidingTask();
	if (deciding === undefined || batch.memo.reported.has(deciding)) return 'resume';
	const asked = Math.max(batch.memo.decidingAskedAt, batch.memo.endedAt ?? 0);
	if (Date.now() - asked < DECIDING_ASK_EVERY_MS) return 'on its way';
	batch.memo.decidingAskedAt = Date.now();
	const task = await getTaskStatus(client, deciding, 0);
	if (batch.memo.reported.has(deciding)) return 'resume';
	if (task.webhook_status === 'sent') return 'another process';
	const late = Date.now() - (batch.memo.endedAt ?? Date.now()) > ON_ITS_WAY_MS;
	return task.webhook_status === 'set' && !late ? 'on its way' : 'resume';
}

/**
 * Asks Celantur for the batch until every task ended, then says whether this process resumes it
 * (else another process does, or the deadline).
 */
async function follow(
	ctx: IWebhookFunctions,
	client: CelanturClient,
	batch: Batch,
): Promise<boolean> {
	const { memo } = batch;
	let idle = 0;
	for (;;) {
		const woken = await pause(memo, idle);
		await sleepUntil(ASK_EVERY_MS, () => batch.askDelay() === 0);
		if (memo.resumed || Date.now() > batch.until()) return false;
		idle = woken || idle === 0 ? ASK_EVERY_MS : Math.min(idle * 2, LONGEST_PAUSE_MS);
		memo.news = false;
		memo.askedAt = Date.now();
		try {
			for (const [id, status] of await taskStatuses(client, batch.open()))
				memo.confirmed.set(id, status);
			if (batch.open().length > 0) continue;
			memo.endedAt ??= Date.now();
			const decision = await decide(client, batch);
			if (decision === 'another process' || memo.resumed) return false;
			if (decision === 'resume') return (memo.resumed = true);
		} catch (error) {
			// Celantur's answer to the list, say: a later ask, a later callback or the deadline decides.
			warnUnchecked(ctx, error);
		}
	}
}

function warnUnchecked(ctx: IWebhookFunctions, error: unknown): void {
	const message = error instanceof Error ? error.message : String(error);
	ctx.logger.warn(
		`Celantur: a callback could not be checked (${message}); the batch keeps waiting`,
	);
}

/** Waits a moment for the links of done tasks whose callbacks are still on their way here. */
async function awaitLinks(batch: Batch): Promise<void> {
	const missing = () =>
		batch.tasks.some(
			(task) =>
				batch.memo.confirmed.get(task.task_id) === 'done' && !batch.memo.reported.has(task.task_id),
		);
	await sleepUntil(LINKS_WAIT_MS, () => !missing());
}

/**
 * A Celantur callback for a batch that waits in callback mode. A callback is a hint: Celantur's
 * task list decides, and the execution resumes once, when every task is done or failed. The
 * callback is answered at once (Celantur gives up on a slow receiver); the first one then follows
 * the batch while the others bring it news. Never throws: n8n would end the waiting execution in
 * an error with nothing in it.
 */
export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const answered: IWebhookResponseData = { noWebhookResponse: true };
	const response = this.getResponseObject();
	const waiting = waitingItems(this);
	const tasks = waiting.filter(isWaiting);
	const nonce = (this.getQueryData() as IDataObject)[BATCH_PARAMETER];
	if (tasks.length === 0 || typeof nonce !== 'string' || tasks[0].callback_batch !== nonce) {
		response.status(403).json({ error: 'Not a callback of this batch' });
		return answered;
	}
	const memo = memoOf(this.getExecutionId());
	const body = this.getBodyData() as IDataObject;
	const reportedId = checkTaskId(body.task_id);
	if (reportedId.ok && tasks.some((task) => task.task_id === reportedId.value)) {
		const link = typeof body.anonymized_url === 'string' ? body.anonymized_url : undefined;
		memo.reported.set(reportedId.value, link);
	}
	memo.lastCallbackAt = Date.now();
	response.status(200).json({ received: true });
	if (memo.resumed) return answered;
	if (memo.following) {
		memo.news = true;
		return answered;
	}
	memo.following = true;
	try {
		const batch = new Batch(tasks, memo);
		const client = createClient(this, await resolveApiRoot(this));
		if (!(await follow(this, client, batch))) return answered;
		await awaitLinks(batch);
		const items: INodeExecutionData[] = await finishedItems(
			this,
			client,
			waiting,
			memo.reported,
			memo.confirmed,
		);
		return { ...answered, workflowData: [items] };
	} catch (error) {
		memo.resumed = false;
		warnUnchecked(this, error);
		return answered;
	} finally {
		memo.following = false;
	}
}
