import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { taskIdField } from './fields';
import { deleteFiles, forOperation, perTaskId } from './shared';

const properties: INodeProperties[] = [
	{
		...taskIdField,
		hint: 'Deletes the task’s original, anonymized image, masks and detections at Celantur. This cannot be undone.',
	},
];

export const description = forOperation('deleteFiles', properties);

export const execute = perTaskId(async (ctx, client, itemIndex, taskId) => {
	const result = await deleteFiles(client, Number(taskId), itemIndex);
	// Deleting what is gone already is done, not an error: a workflow re-run must not fail on it.
	if (result.files_deleted === false) {
		const message = String(result.files_delete_error);
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
	}
	return [{ json: { task_id: Number(taskId), ...result } }];
});
