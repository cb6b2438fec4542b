import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport';
import type { ItemOutcome } from '../outcome';
import { taskIdField } from './fields';
import { normalizeReply, forEachTaskId } from './shared';

const properties: INodeProperties[] = [
	{ ...taskIdField, description: 'The ID of a task created with "Start Processing" set to "On Start Request"' },
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['start'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: CelanturClient): Promise<ItemOutcome[]> {
	return await forEachTaskId(this, items, async (itemIndex, taskId) => {
		const reply = await client.api<IDataObject | string>('POST', `/task/${taskId}/start`, { itemIndex });
		return [{ json: normalizeReply(typeof reply === 'object' ? reply : { message: reply }, taskId) }];
	});
}
