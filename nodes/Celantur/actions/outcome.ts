import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { ExecutionCancelledError, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ITEM_DETAILS, itemError } from '../../shared/helpers/item-error';
import { createLimiter } from '../helpers/concurrency';
import type { CelanturClient } from '../../shared/transport';

/** What became of one input item: its output items, or an error with what is known of its task. */
export type ItemOutcome =
	| { items: INodeExecutionData[] }
	| { error: NodeApiError | NodeOperationError; details: IDataObject };

/**
 * An item that was not worked on: another one failed first, and without "Continue On Fail" the
 * node stops. Its own type, so the router reports the failure that stopped the node instead.
 */
/** Every operation's `execute`: the node's items in, an outcome per output item (or failure) out. */
export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
) => Promise<ItemOutcome[]>;

export class NotStartedError extends NodeOperationError {
	constructor(node: INode, itemIndex: number) {
		super(
			node,
			'Not started: another item failed first, and the node stops at the first error. Turn on "Continue On Fail" (Settings > On Error) to process the other items regardless.',
			{ itemIndex },
		);
	}
}

export function toOutcome(ctx: IExecuteFunctions, itemIndex: number, thrown: unknown): ItemOutcome {
	const error = itemError(
		ctx,
		itemIndex,
		thrown instanceof ExecutionCancelledError ? thrown.message : thrown,
	);
	return {
		error: error as NodeApiError | NodeOperationError,
		details: error.context[ITEM_DETAILS] as IDataObject,
	};
}

/** Inputs read and checked at once: reading one file overlaps the waits of the others. */
const PREPARE_AT_ONCE = 8;

type Prepared<P> = { ok: true; value: P } | { ok: false; outcome: ItemOutcome };

/**
 * Every item's prepared value or refusal, in input order. Without "Continue On Fail" the first
 * refusal in input order is thrown, as if the items had been read one by one; items after it are
 * left unread.
 */
async function prepareAll<P>(
	ctx: IExecuteFunctions,
	count: number,
	prepare: (itemIndex: number) => P | Promise<P>,
	continueOnFail: boolean,
): Promise<Array<Prepared<P> | undefined>> {
	const prepared: Array<Prepared<P> | undefined> = new Array<Prepared<P> | undefined>(count);
	let firstRefused = count;
	let next = 0;
	const reader = async () => {
		while (next < firstRefused) {
			const itemIndex = next++;
			try {
				prepared[itemIndex] = { ok: true, value: await prepare(itemIndex) };
			} catch (error) {
				prepared[itemIndex] = { ok: false, outcome: toOutcome(ctx, itemIndex, error) };
				if (!continueOnFail) firstRefused = Math.min(firstRefused, itemIndex);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(PREPARE_AT_ONCE, count) }, reader));
	const refused = prepared[firstRefused];
	if (refused && !refused.ok && 'error' in refused.outcome) throw refused.outcome.error;
	return prepared;
}

/**
 * Reads and checks every item's input first, so bad input is refused before any request (and,
 * without "Continue On Fail", before any work starts); then runs `work` on the good items,
 * `concurrency` at a time, keeping each item's outcome in input order. Without "Continue On
 * Fail", the first failure halts the batch: `halted()` tells work not yet begun to stay away.
 * With `admit`, each item starts only once it resolves, so the items of a big batch do not all
 * hold their state while they queue for the same few slots.
 */
export async function eachItem<P>(
	ctx: IExecuteFunctions,
	count: number,
	concurrency: number,
	prepare: (itemIndex: number) => P | Promise<P>,
	work: (itemIndex: number, prepared: P, halted: () => boolean) => Promise<INodeExecutionData[]>,
	admit?: () => Promise<void>,
): Promise<ItemOutcome[]> {
	const continueOnFail = ctx.continueOnFail();
	const prepared = await prepareAll(ctx, count, prepare, continueOnFail);

	const limit = createLimiter(concurrency);
	const signal = ctx.getExecutionCancelSignal();
	let halted = false;
	let cancellation: unknown;
	const run = async (value: P, itemIndex: number): Promise<ItemOutcome> => {
		try {
			return {
				items: await limit(async () => {
					if (halted) throw new NotStartedError(ctx.getNode(), itemIndex);
					// Halt before this item's slot is released, so the next queued item sees it.
					return await work(itemIndex, value, () => halted).catch(async (error: unknown) => {
						if (!continueOnFail) halted = true;
						return await Promise.reject(error);
					});
				}),
			};
		} catch (error) {
			if (signal?.aborted || error instanceof ExecutionCancelledError) cancellation ??= error;
			return toOutcome(ctx, itemIndex, error);
		}
	};
	const running: Array<Promise<ItemOutcome>> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const entry = prepared[itemIndex]!;
		// Handed over to its work: the batch's list keeps nothing of an item that has started.
		prepared[itemIndex] = undefined;
		if (!entry.ok) {
			running.push(Promise.resolve(entry.outcome));
			continue;
		}
		if (admit) await admit();
		running.push(run(entry.value, itemIndex));
	}
	const outcomes = await Promise.all(running);
	if (cancellation !== undefined) throw cancellation;
	return outcomes;
}
