import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { errorJson, itemError } from '../../../shared/helpers/item-error';
import { taskFailedError } from '../../../shared/helpers/task-failure';
import { taskOutput } from '../../../shared/helpers/task-output';
import { taskResult } from '../../../shared/helpers/task-result';
import type { CelanturClient } from '../../../shared/transport/client';
import { getTaskStatus } from '../../../shared/transport/endpoints';
import type { CelanturTask, TaskStatus } from '../../../shared/types';
import type { WaitingTask } from './create.wait-callback';
import { asksForMasks } from './create.settings';
import { readSettings, resultOptions } from './read-settings';

export const isWaiting = (json: IDataObject): json is WaitingTask =>
	json.task_status === 'waiting' && typeof json.task_id === 'number';

/** Only the wait needed these; the rest of a waiting item is the task as Celantur created it. */
const WAIT_ONLY_KEYS = ['message', 'callback_batch', 'mime_type', 'task_status', 'waiting_until'];

/** Every item of the batch as the node outputs it, in input order: results, failures, and what failed before. */
export async function finishedItems(
	ctx: IWebhookFunctions,
	client: CelanturClient,
	waiting: IDataObject[],
	links: Map<number, string | undefined>,
	statuses: Map<number, TaskStatus>,
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
			const link = masks ? undefined : links.get(json.task_id);
			// The task as created, with what Celantur says of it now.
			const created: IDataObject = { ...json };
			for (const key of WAIT_ONLY_KEYS) delete created[key];
			const task = {
				...created,
				...(link
					? { task_status: 'done', anonymized_url: link }
					: await getTaskStatus(client, json.task_id, itemIndex)),
			} as CelanturTask;
			if (task.task_status === 'failed' || statuses.get(json.task_id) === 'failed')
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
