import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport';
import { startTask } from '../../../shared/transport/endpoints';
import type { ItemOutcome } from '../outcome';
import { taskIdField } from './fields';
import { forEachTaskId, withTaskId } from './shared';

const properties: INodeProperties[] = [
	{
		...taskIdField,
		description: 'The ID of a task created with "Start Processing" set to "On Start Request"',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['start'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
): Promise<ItemOutcome[]> {
	return await forEachTaskId(this, items, async (itemIndex, taskId) => {
		return [{ json: withTaskId(await startTask(client, taskId, itemIndex), taskId) }];
	});
}
