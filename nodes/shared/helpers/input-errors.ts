import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Shows a user's value briefly and safely inside a message. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return value === ''
			? 'an empty text'
			: `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * How a message names an item: its number as the editor's item list counts (from 1), and the
 * file it holds, since that is what a person goes looking for.
 */
export function itemLabel(itemIndex: number, fileName?: string): string {
	return `Item ${itemIndex + 1}${fileName ? ` (${fileName})` : ''}`;
}

/** A problem with one item's input, found before any request, with what to do about it. */
/** What a message needs of n8n's context: the node it is about. */
export interface NodeContext {
	getNode(): INode;
}

export function itemProblem(
	ctx: NodeContext,
	itemIndex: number,
	problem: string,
	whatToDo: string,
	fileName?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${itemLabel(itemIndex, fileName)}: ${problem}`, {
		itemIndex,
		description: whatToDo,
	});
}

/**
 * Bad input, refused before any request: the message names the item, the field, what it got and
 * what is allowed, so a user can fix the expression that produced it.
 */
export function inputError(
	ctx: NodeContext,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: string,
): NodeOperationError {
	return itemProblem(
		ctx,
		itemIndex,
		`${field} is ${showValue(value)}, but ${allowed}`,
		`Fix ${field} (or the expression that sets it) for item ${itemIndex + 1} and run the node again.`,
	);
}
