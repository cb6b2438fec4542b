import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CelanturClient } from '../../shared/transport/client';
import type { ItemResult } from './batch';

// The two kinds of operation the router runs (router.ts).

/** An operation that works on one item at a time: its input checked first, then its requests. */
export interface ItemOperation<C> {
	description: INodeProperties[];
	/** The item's input, checked before any request of any item; throws an n8n error naming the field. */
	check(this: IExecuteFunctions, itemIndex: number): C;
	run(
		this: IExecuteFunctions,
		itemIndex: number,
		input: C,
		client: CelanturClient,
	): Promise<INodeExecutionData[]>;
}

/** An operation that works on all items at once (Create, Get Status, Download): see batch.ts. */
export interface BatchOperation {
	description: INodeProperties[];
	executeBatch(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		client: CelanturClient,
	): Promise<ItemResult[]>;
}

export type TaskOperation = ItemOperation<unknown> | BatchOperation;
