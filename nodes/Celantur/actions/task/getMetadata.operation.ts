import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport/client';
import { getTaskDetections } from '../../../shared/transport/endpoints';
import { forOperation, readTaskId, taskIdFields, toolDescriptionField } from './fields';

const properties: INodeProperties[] = [
	...taskIdFields({ hint: 'Detections are empty until the task is done, and for failed tasks' }),
	toolDescriptionField(
		'getMetadata',
		"Lists the objects Celantur detected in a finished task's image. Input: task_id. Returns JSON: task_id and detections (each with type_label, score and bbox).",
	),
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
