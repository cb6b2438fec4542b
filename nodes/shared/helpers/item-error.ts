import type { IDataObject } from 'n8n-workflow';
import { ExecutionCancelledError, NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { NodeContext } from './input-errors';

/** The error an item ends with: always one of n8n's, naming the item. */
export type ItemError = NodeApiError | NodeOperationError;

/** What is known of a failed item's task, kept on its error item so the work can be picked up. */
export interface ItemDetails {
	task_id?: number;
	file_name?: string;
	task_status?: string | null;
	failure_cause?: string | null;
}

const detailsByError = new WeakMap<Error, ItemDetails>();

/** The details recorded for an error; empty when none were. */
export function detailsOf(error: Error): ItemDetails {
	return detailsByError.get(error) ?? {};
}

/**
 * `thrown` as the n8n error of one item, with `details` added. Details already on the error (a
 * failure cause) win over later, vaguer ones. A stopped execution is no item's failure: n8n must
 * see its own cancellation error, so that one passes through as it is.
 */
export function itemError(
	ctx: NodeContext,
	itemIndex: number,
	thrown: unknown,
	details: ItemDetails = {},
): ItemError | ExecutionCancelledError {
	if (thrown instanceof ExecutionCancelledError) return thrown;
	const error =
		thrown instanceof NodeApiError || thrown instanceof NodeOperationError
			? thrown
			: new NodeOperationError(
					ctx.getNode(),
					thrown instanceof Error ? thrown.message : String(thrown),
					{ itemIndex },
				);
	if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
	detailsByError.set(error, { ...details, ...detailsOf(error) });
	return error;
}

/** A failed item's JSON: the message, and what is known of its task. */
export function errorJson(error: Error): IDataObject {
	return { error: error.message, ...detailsOf(error) };
}
