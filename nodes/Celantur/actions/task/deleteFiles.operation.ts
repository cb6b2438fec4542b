import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport';
import type { ItemOutcome } from '../outcome';
import { taskIdField } from './fields';
import { deleteFiles, forEachTaskId } from './shared';

const properties: INodeProperties[] = [
	{
		...taskIdField,
		hint: 'Deletes the task’s original, anonymized image, masks and detections at Celantur. This cannot be undone.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['deleteFiles'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
): Promise<ItemOutcome[]> {
	return await forEachTaskId(this, items, async (itemIndex, taskId) => {
		const result = await deleteFiles(client, Number(taskId), itemIndex);
		// Deleting what is gone already is done, not an error: a workflow re-run must not fail on it.
		if (result.files_deleted === false) {
			throw new NodeOperationError(this.getNode(), String(result.files_delete_error), {
				itemIndex,
			});
		}
		return [{ json: { task_id: Number(taskId), ...result } }];
	});
}
