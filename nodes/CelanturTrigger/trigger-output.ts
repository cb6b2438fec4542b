import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadResults } from '../shared/helpers/binary-output';
import { itemError } from '../shared/helpers/item-error';
import { taskOutput } from '../shared/helpers/task-output';
import { createClient, resolveApiRoot, type CelanturClient } from '../shared/transport/client';
import { getTask } from '../shared/transport/endpoints';
import type { CelanturTask } from '../shared/types';

/** Where the trigger puts the anonymized image; fixed by the package's contract. */
const OUTPUT_PROPERTY = 'anonymized';

/**
 * The task whose result to download. A verified item is the task as the API returned it moments
 * ago; an unverified one came from the caller, whose links are never followed, so it is looked up.
 */
async function taskOf(
	ctx: IExecuteFunctions,
	client: CelanturClient,
	task: CelanturTask,
	itemIndex: number,
): Promise<CelanturTask> {
	if (ctx.getNodeParameter('verifyTask', itemIndex, true) as boolean) return task;
	return await getTask(client, task.task_id, itemIndex);
}

/**
 * The trigger's output, made in the execution the callback started rather than in the webhook:
 * binary data stored while answering a webhook belongs to no execution yet (n8n keeps it as
 * "temp", and before 2.41 re-homes only a field named `data`), so it would outlive pruning. The
 * webhook hands over the whole task, links included, so the download can follow them; only the
 * shaped output is kept.
 */
export async function triggerOutput(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	if (items.length === 0) return [items];
	const download = ctx.getNodeParameter('downloadResult', 0, false) as boolean;
	const client = download ? createClient(ctx, await resolveApiRoot(ctx)) : undefined;
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, item] of items.entries()) {
		const task = item.json as CelanturTask;
		const json = taskOutput(task, ctx.getNodeParameter('simplify', itemIndex, true) as boolean);
		try {
			const files = client
				? await downloadResults(
						ctx,
						client,
						await taskOf(ctx, client, task, itemIndex),
						itemIndex,
						OUTPUT_PROPERTY,
						undefined,
						undefined,
					)
				: {};
			const binary = client ? { ...item.binary, ...files } : item.binary;
			output.push({ json, ...(binary ? { binary } : {}), pairedItem: { item: itemIndex } });
		} catch (thrown) {
			const error = itemError(ctx, itemIndex, thrown);
			if (!ctx.continueOnFail() || ctx.getExecutionCancelSignal()?.aborted) throw error;
			output.push({
				json: { error: error.message, task_id: task.task_id },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
