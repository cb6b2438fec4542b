import type { INodeProperties } from 'n8n-workflow';

import { getTaskDetections } from '../../../shared/transport/endpoints';
import { taskIdField } from './fields';
import { forOperation, perTaskId } from './shared';

const properties: INodeProperties[] = [
	{ ...taskIdField, hint: 'Detections are empty until the task is done, and for failed tasks' },
];

export const description = forOperation('getMetadata', properties);

export const execute = perTaskId(async (_ctx, client, itemIndex, taskId) => {
	const detections = await getTaskDetections(client, taskId, itemIndex);
	return [{ json: { task_id: Number(taskId), detections } }];
});
