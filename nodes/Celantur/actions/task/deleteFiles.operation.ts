import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport/client';
import { deleteTaskFiles } from '../../../shared/transport/endpoints';
import { forOperation, readTaskId, taskIdFields, toolDescriptionField } from './fields';

const properties: INodeProperties[] = [
	...taskIdFields({
		hint: 'Deletes the task’s original, anonymized image, masks and detections at Celantur. This cannot be undone.',
	}),
	toolDescriptionField(
		'deleteFiles',
		"Deletes a Celantur task's images and detections for good. Input: task_id. Returns JSON: task_id and files_deleted.",
	),
];

export const description = forOperation('deleteFiles', properties);

export function check(this: IExecuteFunctions, itemIndex: number): number {
	return readTaskId(this, itemIndex);
}

export async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	taskId: number,
	client: CelanturClient,
): Promise<INodeExecutionData[]> {
	const { already_deleted } = await deleteTaskFiles(client, taskId, itemIndex);
	return [{ json: { task_id: taskId, files_deleted: true, already_deleted } }];
}
