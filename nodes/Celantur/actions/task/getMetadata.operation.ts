import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport';
import { getTaskDetections } from '../../../shared/transport/endpoints';
import type { ItemOutcome } from '../outcome';
import { taskIdField } from './fields';
import { forEachTaskId } from './shared';

const properties: INodeProperties[] = [
	{ ...taskIdField, hint: 'Detections are empty until the task is done, and for failed tasks' },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['getMetadata'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
): Promise<ItemOutcome[]> {
	return await forEachTaskId(this, items, async (itemIndex, taskId) => [
		{
			json: {
				task_id: Number(taskId),
				detections: await getTaskDetections(client, taskId, itemIndex),
			},
		},
	]);
}
