import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Shows a user's value briefly and safely inside a message. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') return value === '' ? 'an empty text' : `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Bad input, refused before any request: the message names the item, the field, what it got and
 * what is allowed, so a user can fix the expression that produced it.
 */
export function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "${field}" is ${showValue(value)}, but ${allowed}`, {
		itemIndex,
		description: `Fix "${field}" for item ${itemIndex} (counting from 0) and run the node again.`,
	});
}
