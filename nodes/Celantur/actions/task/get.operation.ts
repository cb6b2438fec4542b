import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport';
import { getTask } from '../../../shared/transport/endpoints';
import type { ItemOutcome } from '../outcome';
import { simplifyField, taskIdField } from './fields';
import { forEachTaskId, shapeOutput, withTaskId } from './shared';

const properties: INodeProperties[] = [taskIdField, simplifyField];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
): Promise<ItemOutcome[]> {
	return await forEachTaskId(this, items, async (itemIndex, taskId) => [
		{
			json: shapeOutput(
				this,
				itemIndex,
				withTaskId(await getTask(client, taskId, itemIndex), taskId),
			),
		},
	]);
}
