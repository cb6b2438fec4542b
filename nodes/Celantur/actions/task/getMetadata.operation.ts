import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport/client';
import { getTaskDetections } from '../../../shared/transport/endpoints';
import { forOperation, readTaskId, taskIdField } from './fields';

const properties: INodeProperties[] = [
	{ ...taskIdField, hint: 'Detections are empty until the task is done, and for failed tasks' },
];

export const description = forOperation('getMetadata', properties);

export function check(this: IExecuteFunctions, itemIndex: number): number {
	return readTaskId(this, itemIndex);
}

export async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	taskId: number,
	client: CelanturClient,
): Promise<INodeExecutionData[]> {
	return [
		{ json: { task_id: taskId, detections: await getTaskDetections(client, taskId, itemIndex) } },
	];
}
