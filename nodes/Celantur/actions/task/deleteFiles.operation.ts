import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport/client';
import { deleteTaskFiles } from '../../../shared/transport/endpoints';
import { forOperation, readTaskId, taskIdField } from './fields';

const properties: INodeProperties[] = [
	{
		...taskIdField,
		hint: 'Deletes the task’s original, anonymized image, masks and detections at Celantur. This cannot be undone.',
	},
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
