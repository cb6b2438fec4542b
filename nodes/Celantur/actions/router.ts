import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createClient, resolveApiRoot } from '../../shared/transport';
import { NotStartedError, type ItemOutcome } from './outcome';
import { CUSTOM_API_CALL, operations, type TaskOperation } from './task';

/**
 * Runs the chosen operation over all input items and turns outcomes into output: every item is
 * paired with its input, and with "Continue On Fail" a failing item becomes an error item (keeping
 * its input's binary, so a retry branch still has the image) while the rest go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation =
		resource === CUSTOM_API_CALL
			? CUSTOM_API_CALL
			: (this.getNodeParameter('operation', 0) as string);
	const handler: TaskOperation | undefined = operations[operation as keyof typeof operations];
	// n8n offers "Custom API Call" on every node whose credential it can lend to the HTTP Request node.
	if (operation === CUSTOM_API_CALL) {
		throw new NodeOperationError(
			this.getNode(),
			'Custom API Call is done with the HTTP Request node, not with this one',
			{
				description:
					'Add an HTTP Request node, set Authentication to Predefined Credential Type and Credential Type to Celantur API, pick your credential, and call any Celantur endpoint with it (e.g. GET https://api.celantur.com/v2/task/list). Or pick one of this node’s operations.',
			},
		);
	}
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`This Celantur node has no operation ${operation}`,
			{
				description:
					'The workflow was probably made with another version of n8n-nodes-celantur: pick one of the operations again.',
			},
		);
	}
	const client = createClient(this, await resolveApiRoot(this));
	const outcomes: ItemOutcome[] = await handler.execute.call(this, items, client);

	if (!this.continueOnFail()) {
		// The failure that stopped the node, not an item it kept from starting.
		const failures = outcomes.filter((outcome) => 'error' in outcome);
		const first =
			failures.find((outcome) => !(outcome.error instanceof NotStartedError)) ?? failures[0];
		if (first) throw first.error;
	}
	// n8n sends an item down the error output ("Continue (using error output)") only when it carries
	// `error` beside its json, and then keeps nothing of its json but the message; judged by json
	// alone, an item with more than `error` counts as a success. So in that mode the item gets
	// `error`, and the message names the task and the file.
	const errorOutput = this.getNode().onError === 'continueErrorOutput';
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if ('items' in outcome) {
			for (const item of outcome.items) output.push({ ...item, pairedItem: { item: itemIndex } });
			continue;
		}
		output.push({
			json: { error: outcome.error.message, ...outcome.details },
			binary: items[itemIndex].binary,
			...(errorOutput ? { error: outcome.error } : {}),
			pairedItem: { item: itemIndex },
		});
	}
	return [output];
}
