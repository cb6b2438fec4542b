import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../../shared/helpers/input-errors';
import { checkTaskId } from '../../../shared/helpers/validate';

// Fields several operations share, written once and placed by each operation.

/** An operation's fields, shown only while that operation is chosen. */
export function forOperation(operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['task'], operation: [operation] } }, properties);
}

export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1690264444814157',
	description: 'The ID of the Celantur task, as returned by the Create operation (field "task_id")',
	hint: 'Usually an expression such as {{ $json.task_id }}',
};

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'On: task ID, status, failure cause, method, objects, creation time (and file name, detections). Off: the task exactly as Celantur returns it, including its temporary links.',
};

/** The item's task id, checked before any request; a number from here on. */
export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): number {
	const value = ctx.getNodeParameter('taskId', itemIndex, '') as unknown;
	const checked = checkTaskId(value);
	if (!checked.ok) throw inputError(ctx, itemIndex, 'Task ID', value, checked.allowed);
	return checked.value;
}
