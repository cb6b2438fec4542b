import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CelanturClient } from '../../transport';
import type { ItemOutcome } from '../outcome';
import { taskIdField } from './fields';
import { normalizeReply, forEachTaskId } from './shared';

const properties: INodeProperties[] = [
	{ ...taskIdField, hint: 'Deletes the task’s original, anonymized image, masks and detections at Celantur. This cannot be undone.' },
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['deleteFiles'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: CelanturClient): Promise<ItemOutcome[]> {
	return await forEachTaskId(this, items, async (itemIndex, taskId) => [
		{ json: normalizeReply(await client.api('DELETE', `/task/${taskId}/files`, { itemIndex }), taskId) },
	]);
}
