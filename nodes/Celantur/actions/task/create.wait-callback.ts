import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorJson } from '../../../shared/helpers/item-error';
import { isToolMode } from '../../../shared/helpers/tool-mode';
import type { CelanturTask } from '../../../shared/types';
import type { ItemResult } from '../batch';

/** The query parameter of the resume URL that carries the batch's secret. */
export const BATCH_PARAMETER = 'celantur_batch';

/** An uploaded task of the batch, and the name and type of its image. */
export interface ParkedTask {
	task: CelanturTask;
	fileName: string | undefined;
	mimeType: string;
}

/** What a waiting item holds: its task and file, never its image. */
export interface WaitingTask extends IDataObject {
	task_id: number;
	file_name: string | null;
	/** The input's type, for naming the result after it. */
	mime_type: string | null;
	create_time: string | null;
	task_status: 'waiting';
	/** When n8n resumes the execution without this node, if the callbacks have not. */
	waiting_until: string;
	message: string;
	/** The batch's secret: a callback without it is not Celantur's for this batch. */
	callback_batch: string;
}

const PRIVATE_HOST =
	/^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[?::1\]?|[^.]+)$/i;

/** Whether a host is loopback, private, or a bare name that only a local network resolves. */
function isPrivateHost(host: string): boolean {
	return PRIVATE_HOST.test(host);
}

/** A secret no one can guess from the execution id; the resume URL of n8n 1.x and 2.8 is guessable. */
function newNonce(): string {
	return crypto.randomUUID().replace(/-/g, '');
}

/**
 * The webhook every task of the batch gets: the execution's resume URL with the batch's secret,
 * or why callbacks cannot come here, in which case the node polls.
 */
export function callbackWebhook(
	ctx: IExecuteFunctions,
	apiRoot: string,
): { url: string; nonce: string } | { unavailable: string } {
	if (isToolMode(ctx))
		return { unavailable: 'a tool must answer within its call, so it cannot wait for callbacks' };
	const settings = ctx.getWorkflowSettings() as { engineType?: string };
	if (settings.engineType === 'v2')
		return { unavailable: "workflows on n8n's Engine 2.0 cannot be resumed by a callback yet" };
	let url: URL;
	try {
		url = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	} catch {
		return { unavailable: 'this execution has no resume URL' };
	}
	if (isPrivateHost(url.hostname) && !isPrivateHost(new URL(apiRoot).hostname))
		return {
			unavailable: `Celantur cannot reach this n8n at ${url.origin} (a local address): set WEBHOOK_URL to n8n's public address`,
		};
	const nonce = newNonce();
	// Added, never concatenated: n8n 2.41's resume URL already carries its own signature parameter.
	url.searchParams.set(BATCH_PARAMETER, nonce);
	return { url: url.toString(), nonce };
}

/**
 * Parks the execution until the batch's callbacks resume it, or until `timeoutSeconds`. The items
 * it holds while it waits (and passes on should n8n resume it at the deadline, without this
 * node's code) name each task and never carry the input image.
 */
export async function parkBatch(
	ctx: IExecuteFunctions,
	results: ItemResult[],
	parked: (itemIndex: number) => ParkedTask | undefined,
	nonce: string,
	timeoutSeconds: number,
): Promise<ItemResult[]> {
	const deadline = new Date(Date.now() + timeoutSeconds * 1000);
	const waiting: INodeExecutionData[] = results.map((result, itemIndex) => {
		const pairedItem = { item: itemIndex };
		const entry = parked(itemIndex);
		if (result instanceof Error || !entry) return { json: errorJson(result as Error), pairedItem };
		// The task as Celantur created it (its settings, no link), so the results read as in Poll mode.
		const json: WaitingTask = {
			...entry.task,
			file_name: entry.fileName ?? null,
			mime_type: entry.mimeType,
			create_time: entry.task.create_time ?? null,
			task_status: 'waiting',
			waiting_until: deadline.toISOString(),
			message: `Celantur's callback did not come by ${deadline.toISOString()}: pick the task up with "Get Status" or "Download" and this task_id.`,
			callback_batch: nonce,
		};
		return { json, pairedItem };
	});
	// What the execution holds while it waits is this node's input: the callbacks read it, and n8n
	// passes it on at the deadline. Replacing it keeps the images out of the waiting execution.
	ctx.getExecuteData().data = { main: [waiting] };
	await ctx.putExecutionToWait(deadline);
	return waiting.map((item) => [item]);
}
