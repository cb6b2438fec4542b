import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport/client';
import { startTask } from '../../../shared/transport/endpoints';
import { forOperation, readTaskId, taskIdFields, toolDescriptionField } from './fields';

const properties: INodeProperties[] = [
	...taskIdFields({
		description: 'The ID of a task created with "Start Processing" set to "On Start Request"',
	}),
	toolDescriptionField(
		'start',
		'Starts a Celantur task that was created to start on request. Input: task_id. Returns JSON with task_id.',
	),
];

export const description = forOperation('start', properties);

export function check(this: IExecuteFunctions, itemIndex: number): number {
	return readTaskId(this, itemIndex);
}

export async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	taskId: number,
	client: CelanturClient,
): Promise<INodeExecutionData[]> {
	// A confirmation that does not name its task gets the id it was asked about.
	return [{ json: { task_id: taskId, ...(await startTask(client, taskId, itemIndex)) } }];
}
