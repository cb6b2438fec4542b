import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { ExecutionCancelledError, NodeOperationError } from 'n8n-workflow';

import { errorJson, itemError, type ItemError } from '../../shared/helpers/item-error';
import { failuresAsItems, isToolMode } from '../../shared/helpers/tool-mode';
import { createClient, resolveApiRoot, type CelanturClient } from '../../shared/transport/client';
import { checkAll, failed, NotStartedError, type ItemResult } from './batch';
import type { ItemOperation, TaskOperation } from './operation';
import { CUSTOM_API_CALL, operations } from './task';

/**
 * The plain loop: every item's input is checked, then each item's requests are made in turn.
 * Without "Continue On Fail" a refused input stops the node before any request, and a failed
 * request stops it before the next item.
 */
async function runEach(
	ctx: IExecuteFunctions,
	operation: ItemOperation<unknown>,
	count: number,
	client: CelanturClient,
): Promise<ItemResult[]> {
	const continueOnFail = failuresAsItems(ctx);
	const inputs = await checkAll(
		ctx,
		count,
		(itemIndex) => operation.check.call(ctx, itemIndex),
		continueOnFail,
	);
	const results: ItemResult[] = [];
	for (const [itemIndex, checked] of inputs.entries()) {
		if (checked instanceof Error) {
			results.push(checked);
			continue;
		}
		try {
			results.push(await operation.run.call(ctx, itemIndex, checked!.input, client));
		} catch (error) {
			const failure = failed(ctx, itemIndex, error);
			if (!continueOnFail) throw failure;
			results.push(failure);
		}
	}
	return results;
}

function chosenOperation(ctx: IExecuteFunctions): TaskOperation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const name =
		resource === CUSTOM_API_CALL
			? CUSTOM_API_CALL
			: (ctx.getNodeParameter('operation', 0) as string);
	// n8n offers "Custom API Call" on every node whose credential it can lend to the HTTP Request node.
	if (name === CUSTOM_API_CALL) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Custom API Call is done with the HTTP Request node, not with this one',
			{
				description:
					'Add an HTTP Request node, set Authentication to Predefined Credential Type and Credential Type to Celantur API, pick your credential, and call any Celantur endpoint with it (e.g. GET https://api.celantur.com/v2/task/list). Or pick one of this node’s operations.',
			},
		);
	}
	const operation = (operations as Record<string, TaskOperation | undefined>)[name];
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `This Celantur node has no operation ${name}`, {
			description:
				'The workflow was probably made with another version of n8n-nodes-celantur: pick one of the operations again.',
		});
	}
	return operation;
}

async function runOperation(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<ItemResult[]> {
	const operation = chosenOperation(ctx);
	const client = createClient(ctx, await resolveApiRoot(ctx));
	return 'executeBatch' in operation
		? await operation.executeBatch.call(ctx, items, client)
		: await runEach(ctx, operation, items.length, client);
}

/**
 * Runs the chosen operation over all input items and turns results into output: every item is
 * paired with its input, and with "Continue On Fail" a failing item becomes an error item (keeping
 * its input's binary, so a retry branch still has the image) while the rest go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const tool = isToolMode(this);
	const results = await runOperation(this, items).catch(async (error: unknown) => {
		// A tool tells the agent what went wrong (a missing credential, say) instead of failing.
		if (!tool || error instanceof ExecutionCancelledError) return await Promise.reject(error);
		const failure = itemError(this, 0, error) as ItemError;
		return items.map((): ItemResult => failure);
	});

	if (!failuresAsItems(this)) {
		// The failure that stopped the node, not an item it kept from starting.
		const failures = results.filter((result): result is ItemError => result instanceof Error);
		const first = failures.find((error) => !(error instanceof NotStartedError)) ?? failures[0];
		if (first) throw first;
	}
	// n8n sends an item down the error output ("Continue (using error output)") only when it carries
	// `error` beside its json, and then keeps nothing of its json but the message; judged by json
	// alone, an item with more than `error` counts as a success. So in that mode the item gets
	// `error`, and the message names the task and the file.
	const errorOutput = this.getNode().onError === 'continueErrorOutput';
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, result] of results.entries()) {
		if (!(result instanceof Error)) {
			for (const item of result) output.push({ ...item, pairedItem: { item: itemIndex } });
			continue;
		}
		// A model reads one item at a time: "Item 1:" would tell it nothing.
		const json = errorJson(result);
		if (tool) json.error = result.message.replace(/^Item \d+(?: \([^)]*\))?: /, '');
		output.push(
			tool
				? { json, pairedItem: { item: itemIndex } }
				: {
						json,
						binary: items[itemIndex].binary,
						...(errorOutput ? { error: result } : {}),
						pairedItem: { item: itemIndex },
					},
		);
	}
	return [output];
}
