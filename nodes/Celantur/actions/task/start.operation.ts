import type { INodeProperties } from 'n8n-workflow';

import { startTask } from '../../../shared/transport/endpoints';
import { taskIdField } from './fields';
import { forOperation, perTaskId, withTaskId } from './shared';

const properties: INodeProperties[] = [
	{
		...taskIdField,
		description: 'The ID of a task created with "Start Processing" set to "On Start Request"',
	},
];

export const description = forOperation('start', properties);

export const execute = perTaskId(async (_ctx, client, itemIndex, taskId) => [
	{ json: withTaskId(await startTask(client, taskId, itemIndex), taskId) },
]);
