import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { ExecutionCancelledError, NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Where an item's error keeps what is known of its task, for its error item. */
export const ITEM_DETAILS = 'celanturItem';

/**
 * Every error an item ends with is an n8n error that names the item. `details` are facts worth
 * keeping on its error item, such as the task id, so the work can be resumed; details already on
 * the error (a failure cause) win over later, vaguer ones.
 */
export function itemError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	thrown: unknown,
	details: IDataObject = {},
): NodeApiError | NodeOperationError | ExecutionCancelledError {
	// A stopped execution is no item's failure: n8n must see its own cancellation error.
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
	error.context[ITEM_DETAILS] = {
		...details,
		...((error.context[ITEM_DETAILS] as IDataObject | undefined) ?? {}),
	};
	return error;
}
