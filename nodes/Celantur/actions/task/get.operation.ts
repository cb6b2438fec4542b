import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { taskOutput } from '../../../shared/helpers/task-output';
import type { CelanturClient } from '../../../shared/transport/client';
import { getTask } from '../../../shared/transport/endpoints';
import { forOperation, readTaskId, simplifyField, taskIdField } from './fields';

const properties: INodeProperties[] = [taskIdField, simplifyField];

export const description = forOperation('get', properties);

export function check(this: IExecuteFunctions, itemIndex: number): number {
	return readTaskId(this, itemIndex);
}

export async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	taskId: number,
	client: CelanturClient,
): Promise<INodeExecutionData[]> {
	// A reply that does not name its task gets the id it was asked about.
	const task = { ...(await getTask(client, taskId, itemIndex)) };
	task.task_id ??= taskId;
	return [
		{ json: taskOutput(task, this.getNodeParameter('simplify', itemIndex, true) as boolean) },
	];
}
