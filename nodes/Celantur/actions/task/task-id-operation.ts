import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { CelanturClient } from '../../../shared/transport/client';
import type { ItemOperation } from '../operation';
import { forOperation, readTaskId } from './fields';

/**
 * An operation of one request per item for the item's task id (Start, Get, Get Metadata, Delete
 * Files): its fields, the id checked before any request, and `request` making the call.
 */
export function taskIdOperation(
	operation: string,
	properties: INodeProperties[],
	request: (
		ctx: IExecuteFunctions,
		itemIndex: number,
		taskId: number,
		client: CelanturClient,
	) => Promise<IDataObject>,
): ItemOperation<number> {
	return {
		description: forOperation(operation, properties),
		check(itemIndex) {
			return readTaskId(this, itemIndex);
		},
		async run(itemIndex, taskId, client): Promise<INodeExecutionData[]> {
			return [{ json: await request(this, itemIndex, taskId, client) }];
		},
	};
}
