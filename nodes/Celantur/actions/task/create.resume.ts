import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { errorJson, itemError } from '../../../shared/helpers/item-error';
import { taskFailedError } from '../../../shared/helpers/task-failure';
import { taskOutput } from '../../../shared/helpers/task-output';
import { taskResult } from '../../../shared/helpers/task-result';
import { taskStatuses } from '../../../shared/helpers/task-statuses';
import { checkTaskId } from '../../../shared/helpers/validate';
import {
	createClient,
	resolveApiRoot,
	type CelanturClient,
} from '../../../shared/transport/client';
import { getTaskStatus } from '../../../shared/transport/endpoints';
import { TERMINAL_STATUSES, type CelanturTask, type TaskStatus } from '../../../shared/types';
import { BATCH_PARAMETER, type WaitingTask } from './create.wait-callback';
import { asksForMasks } from './create.settings';
import { readSettings, resultOptions } from './read-settings';

/** With more tasks than this unaccounted for, a callback asks Celantur only if no one did lately. */
const UNACCOUNTED_TO_ASK = 1;
const ASK_AT_MOST_EVERY_MS = 3000;

/**
 * What this n8n process knows of a waiting batch. Nothing is saved between callbacks (n8n loads
 * the execution anew each time), so each process keeps its own; with several webhook processes
 * each asks Celantur for itself, and the first to see every task ended resumes.
 */
interface BatchMemo {
	/** Tasks whose callback came, with the result link it carried. */
	reported: Map<number, string | undefined>;
	/** Statuses Celantur confirmed. */
	confirmed: Map<number, TaskStatus>;
	askedAt: number;
	/** Claimed by the callback that resumes: n8n 1.x does not claim a resume atomically. */
	resumed: boolean;
}

const memos = new Map<string, BatchMemo>();
/** Batches remembered at most; older ones ended long ago. */
const MAX_MEMOS = 200;

function memoOf(executionId: string): BatchMemo {
	let memo = memos.get(executionId);
	if (!memo) {
		memo = { reported: new Map(), confirmed: new Map(), askedAt: 0, resumed: false };
		memos.set(executionId, memo);
		if (memos.size > MAX_MEMOS) memos.delete(memos.keys().next().value as string);
	}
	return memo;
}

function reply(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

const ended = (status: TaskStatus | undefined) =>
	status !== undefined && TERMINAL_STATUSES.includes(status);

/** The items the execution waits with (create.wait-callback.ts): this node's input, seen from here. */
function waitingItems(ctx: IWebhookFunctions): IDataObject[] {
	const items = ctx.evaluateExpression('{{ $input.all().map((item) => item.json) }}', 0);
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

const isWaiting = (json: IDataObject): json is WaitingTask =>
	json.task_status === 'waiting' && typeof json.task_id === 'number';

/** Every item of the batch as the node outputs it, in input order: results, failures, and what failed before. */
async function finishedItems(
	ctx: IWebhookFunctions,
	client: CelanturClient,
	waiting: IDataObject[],
	memo: BatchMemo,
): Promise<INodeExecutionData[]> {
	// Checked when the batch was created; read as the first item's (a webhook reads no item).
	const settings = readSettings(
		{
			getNode: () => ctx.getNode(),
			getNodeParameter: (name, _itemIndex, fallback) => ctx.getNodeParameter(name, fallback),
		},
		0,
		['options', 'outputSettings'],
	);
	const simplify = ctx.getNodeParameter('simplify', true) as boolean;
	const download = ctx.getNodeParameter('downloadResult', true) as boolean;
	const masks = asksForMasks(settings.body());
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, json] of waiting.entries()) {
		const pairedItem = { item: itemIndex };
		if (!isWaiting(json)) {
			output.push({ json, pairedItem });
			continue;
		}
		const known = { task_id: json.task_id, file_name: json.file_name ?? undefined };
		try {
			// The link a callback carried saves a request; masks are listed only by the full task.
			const link = masks ? undefined : memo.reported.get(json.task_id);
			// The task as created (the waiting item without what only the wait needed), with what
			// Celantur says of it now.
			const created: IDataObject = { ...json };
			for (const key of ['message', 'callback_batch', 'mime_type', 'task_status'])
				delete created[key];
			const task = {
				...created,
				...(link
					? { task_status: 'done', anonymized_url: link }
					: await getTaskStatus(client, json.task_id, itemIndex)),
			} as CelanturTask;
			if (task.task_status === 'failed' || memo.confirmed.get(json.task_id) === 'failed')
				throw taskFailedError(ctx, itemIndex, task, known.file_name);
			const { json: result, files } = await taskResult(ctx, client, task, itemIndex, {
				download,
				...resultOptions(settings),
				fileName: known.file_name,
				mimeType: json.mime_type ?? undefined,
			});
			output.push({ json: taskOutput(result, simplify), binary: files, pairedItem });
		} catch (error) {
			output.push({ json: errorJson(itemError(ctx, itemIndex, error, known)), pairedItem });
		}
	}
	return output;
}

/**
 * A Celantur callback for a batch that waits in callback mode. A callback is a hint: Celantur's
 * task list decides, and the execution resumes once, when every task is done or failed. Never
 * throws: n8n would end the waiting execution in an error with nothing in it.
 */
export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		const waiting = waitingItems(this);
		const tasks = waiting.filter(isWaiting);
		const nonce = (this.getQueryData() as IDataObject)[BATCH_PARAMETER];
		if (tasks.length === 0 || typeof nonce !== 'string' || tasks[0].callback_batch !== nonce)
			return reply(this, 403, { error: 'Not a callback of this batch' });
		const memo = memoOf(this.getExecutionId());
		if (memo.resumed) return reply(this, 200, { received: true, resumed: true });

		const body = this.getBodyData() as IDataObject;
		const reportedId = checkTaskId(body.task_id);
		if (reportedId.ok && tasks.some((task) => task.task_id === reportedId.value)) {
			const link = typeof body.anonymized_url === 'string' ? body.anonymized_url : undefined;
			memo.reported.set(reportedId.value, link);
		}
		const open = () => tasks.filter((task) => !ended(memo.confirmed.get(task.task_id)));
		const unaccounted = open().filter((task) => !memo.reported.has(task.task_id)).length;
		if (unaccounted > UNACCOUNTED_TO_ASK && Date.now() - memo.askedAt < ASK_AT_MOST_EVERY_MS)
			return reply(this, 202, { received: true, waiting: open().length });

		memo.askedAt = Date.now();
		const client = createClient(this, await resolveApiRoot(this));
		for (const [id, status] of await taskStatuses(client, open())) memo.confirmed.set(id, status);
		if (open().length > 0 || memo.resumed)
			return reply(this, 202, { received: true, waiting: open().length });
		memo.resumed = true;
		const items = await finishedItems(this, client, waiting, memo);
		return { ...reply(this, 200, { received: true, resumed: true }), workflowData: [items] };
	} catch (error) {
		// Celantur's answer to the list, say: the batch keeps waiting for a later callback or the deadline.
		const message = error instanceof Error ? error.message : String(error);
		this.logger.warn(
			`Celantur: a callback could not be checked (${message}); the batch keeps waiting`,
		);
		return reply(this, 202, { received: true, error: 'Could not check the batch; still waiting' });
	}
}
