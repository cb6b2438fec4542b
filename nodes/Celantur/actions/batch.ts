import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { ExecutionCancelledError, NodeOperationError } from 'n8n-workflow';

import { createLimiter } from '../../shared/helpers/concurrency';
import { itemError, type ItemError } from '../../shared/helpers/item-error';
import { failuresAsItems } from '../../shared/helpers/tool-mode';

/** What became of one input item: its output items, or its error. */
export type ItemResult = INodeExecutionData[] | ItemError;

/**
 * An item that was not worked on: another one failed first, and without "Continue On Fail" the
 * node stops. Its own type, so the router reports the failure that stopped the node instead.
 */
export class NotStartedError extends NodeOperationError {
	constructor(node: INode, itemIndex: number) {
		super(
			node,
			'Not started: another item failed first, and the node stops at the first error. Turn on "Continue On Fail" (Settings > On Error) to process the other items regardless.',
			{ itemIndex },
		);
	}
}

/** An item's error, unless the execution was stopped: that ends the whole node. */
export function failed(ctx: IExecuteFunctions, itemIndex: number, thrown: unknown): ItemError {
	const error = itemError(ctx, itemIndex, thrown);
	if (error instanceof ExecutionCancelledError) throw error;
	return error;
}

/** Inputs read and checked at once: reading one file overlaps the waits of the others. */
const CHECK_AT_ONCE = 8;

/**
 * Every item's checked input or its error, in input order. Without "Continue On Fail" the first
 * refusal in input order is thrown, as if the items had been read one by one; items after it are
 * left unread.
 */
export async function checkAll<C>(
	ctx: IExecuteFunctions,
	count: number,
	check: (itemIndex: number) => C | Promise<C>,
	continueOnFail: boolean,
): Promise<Array<{ input: C } | ItemError | undefined>> {
	const checked = new Array<{ input: C } | ItemError | undefined>(count);
	let firstRefused = count;
	let next = 0;
	const reader = async () => {
		while (next < firstRefused) {
			const itemIndex = next++;
			try {
				checked[itemIndex] = { input: await check(itemIndex) };
			} catch (error) {
				checked[itemIndex] = failed(ctx, itemIndex, error);
				if (!continueOnFail) firstRefused = Math.min(firstRefused, itemIndex);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(CHECK_AT_ONCE, count) }, reader));
	const refused = checked[firstRefused];
	if (refused instanceof Error) throw refused;
	return checked;
}

/**
 * The runner of the operations that gain from working on many items at once (Create, Get Status,
 * Download). Reads and checks every item's input first, so bad input is refused before any
 * request; then runs `work` on the good items, `concurrency` at a time, keeping each item's result
 * in input order. Without "Continue On Fail", the first failure halts the batch: `halted()` tells
 * work not yet begun to stay away. With `admit`, each item starts only once it resolves, so the
 * items of a big batch do not all hold their state while they queue for the same few slots.
 */
export async function runBatch<C>(
	ctx: IExecuteFunctions,
	count: number,
	concurrency: number,
	check: (itemIndex: number) => C | Promise<C>,
	work: (itemIndex: number, input: C, halted: () => boolean) => Promise<INodeExecutionData[]>,
	admit?: () => Promise<void>,
): Promise<ItemResult[]> {
	const continueOnFail = failuresAsItems(ctx);
	const checked = await checkAll(ctx, count, check, continueOnFail);

	const limit = createLimiter(concurrency);
	const signal = ctx.getExecutionCancelSignal();
	let halted = false;
	let cancellation: unknown;
	const run = async (input: C, itemIndex: number): Promise<ItemResult> => {
		try {
			return await limit(async () => {
				if (halted) throw new NotStartedError(ctx.getNode(), itemIndex);
				// Halt before this item's slot is released, so the next queued item sees it.
				return await work(itemIndex, input, () => halted).catch(async (error: unknown) => {
					if (!continueOnFail) halted = true;
					return await Promise.reject(error);
				});
			});
		} catch (error) {
			if (signal?.aborted || error instanceof ExecutionCancelledError) {
				cancellation ??= error;
				return new NotStartedError(ctx.getNode(), itemIndex);
			}
			return failed(ctx, itemIndex, error);
		}
	};
	const running: Array<Promise<ItemResult>> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const entry = checked[itemIndex]!;
		// Handed over to its work: the batch's list keeps nothing of an item that has started.
		checked[itemIndex] = undefined;
		if (entry instanceof Error) {
			running.push(Promise.resolve(entry));
			continue;
		}
		if (admit) await admit();
		running.push(run(entry.input, itemIndex));
	}
	const results = await Promise.all(running);
	if (cancellation !== undefined) throw cancellation;
	return results;
}
