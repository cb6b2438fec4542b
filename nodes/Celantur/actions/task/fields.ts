import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../../shared/helpers/input-errors';
import { checkTaskId } from '../../../shared/helpers/validate';

// Fields several operations share, written once and placed by each operation.

/** An operation's fields, shown only while that operation is chosen. */
export function forOperation(operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['task'], operation: [operation] } }, properties);
}

/** Shown in a workflow, not in the node's tool variant. */
export const inWorkflow = { show: { '@tool': [false] } };
/** Shown in the node's tool variant only, where an agent fills the fields with `$fromAI`. */
export const asTool = { show: { '@tool': [true] } };

const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1690264444814157',
	description: 'The ID of the Celantur task, as returned by the Create operation (field "task_id")',
	hint: 'Usually an expression such as {{ $json.task_id }}',
	displayOptions: inWorkflow,
};

/** The Task ID field, with `overrides` (a hint or description of the operation's own), in a workflow and as a tool. */
export function taskIdFields(overrides: Partial<INodeProperties> = {}): INodeProperties[] {
	return [
		{ ...taskIdField, ...overrides },
		{
			...taskIdField,
			...overrides,
			default:
				"={{ $fromAI('task_id', 'The ID of the Celantur task, the task_id returned when the image was anonymized', 'number') }}",
			displayOptions: asTool,
		},
	];
}

/** The description an agent reads of one operation: what goes in and what comes back, in plain text. */
export function toolDescriptionField(operation: string, text: string): INodeProperties {
	return {
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: text,
		description: 'What the AI agent is told this tool does',
		displayOptions: { show: { '@tool': [true], operation: [operation] } },
	};
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'On: task ID, status, failure cause, method, objects, creation time (and file name, detections). Off: the task exactly as Celantur returns it, including its temporary links.',
	// A tool's answer has one fixed form (the short one and the result's link).
	displayOptions: inWorkflow,
};

/** The item's task id, checked before any request; a number from here on. */
export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): number {
	const value = ctx.getNodeParameter('taskId', itemIndex, '') as unknown;
	const checked = checkTaskId(value);
	if (!checked.ok) throw inputError(ctx, itemIndex, 'Task ID', value, checked.allowed);
	return checked.value;
}
