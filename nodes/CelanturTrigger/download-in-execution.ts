import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { itemError } from '../shared/helpers/item-error';
import { downloadResults } from '../shared/helpers/binary-output';
import type { CelanturTask } from '../shared/types';
import { createClient, resolveApiRoot, type CelanturClient } from '../shared/transport';
import { getTask } from '../shared/transport/endpoints';

/** Where the trigger puts the anonymized image; fixed by the package's contract. */
const OUTPUT_PROPERTY = 'anonymized';

/**
 * The task whose result to download. A verified item is the task as the API returned it moments
 * ago; an unverified one came from the caller, whose links are never followed, so it is looked up.
 */
async function taskOf(
	ctx: IExecuteFunctions,
	client: CelanturClient,
	item: INodeExecutionData,
	itemIndex: number,
): Promise<CelanturTask> {
	if (ctx.getNodeParameter('verifyTask', itemIndex, true) as boolean)
		return item.json as CelanturTask;
	return await getTask(client, String(item.json.task_id), itemIndex);
}

/**
 * "Download Result" of the trigger, done in the execution the callback started rather than in the
 * webhook: binary data stored while answering a webhook belongs to no execution yet (n8n keeps it
 * as "temp", and before 2.41 re-homes only a field named `data`), so it would outlive pruning.
 */
export async function downloadEmitted(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	if (items.length === 0 || !(ctx.getNodeParameter('downloadResult', 0, false) as boolean))
		return [items];
	const client = createClient(ctx, await resolveApiRoot(ctx));
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, item] of items.entries()) {
		try {
			const task = await taskOf(ctx, client, item, itemIndex);
			const files = await downloadResults(
				ctx,
				client,
				task,
				itemIndex,
				OUTPUT_PROPERTY,
				undefined,
				undefined,
			);
			output.push({
				json: item.json,
				binary: { ...item.binary, ...files },
				pairedItem: { item: itemIndex },
			});
		} catch (thrown) {
			const error = itemError(ctx, itemIndex, thrown);
			if (!ctx.continueOnFail() || ctx.getExecutionCancelSignal()?.aborted) throw error;
			output.push({
				json: { error: error.message, task_id: item.json.task_id },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
