import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { taskOutput } from '../../../shared/helpers/task-output';
import { isToolMode } from '../../../shared/helpers/tool-mode';
import type { CelanturClient } from '../../../shared/transport/client';
import { getTask } from '../../../shared/transport/endpoints';
import {
	forOperation,
	readTaskId,
	simplifyField,
	taskIdFields,
	toolDescriptionField,
} from './fields';

const properties: INodeProperties[] = [
	...taskIdFields(),
	simplifyField,
	toolDescriptionField(
		'get',
		'Gets a Celantur anonymization task with its settings. Input: task_id. Returns JSON: task_id, task_status (new, queued, processing, done or failed), failure_cause, anonymization_method, objects, create_time, and anonymized_url (a link to the anonymized image) once done.',
	),
];

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
		{
			json: taskOutput(
				task,
				this.getNodeParameter('simplify', itemIndex, true) as boolean,
				isToolMode(this),
			),
		},
	];
}
