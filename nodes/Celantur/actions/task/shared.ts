import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../helpers/input-errors';
import { simplifyTask } from '../../helpers/simplify';
import { DEFAULTS, type NodeOptionName } from '../../helpers/defaults';
import { checkBounded } from '../../helpers/option-bounds';
import { checkBoolean, checkTaskId } from '../../../shared/helpers/validate';
import type { CelanturTask } from '../../../shared/types';
import type { CelanturClient } from '../../../shared/transport';
import { deleteTaskFiles } from '../../../shared/transport/endpoints';
import { eachItem, type OperationExecute } from '../outcome';
import { nodeOptionFields } from './fields';

/** An operation's fields, shown only while that operation is chosen. */
export function forOperation(operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['task'], operation: [operation] } }, properties);
}

type TaskIdWork = (
	ctx: IExecuteFunctions,
	client: CelanturClient,
	itemIndex: number,
	taskId: string,
) => Promise<INodeExecutionData[]>;

/** The `execute` of an operation that makes its calls for each item's checked task id in turn. */
export function perTaskId(work: TaskIdWork): OperationExecute {
	return async function execute(items, client) {
		const readItem = (itemIndex: number) => readTaskId(this, itemIndex);
		return await eachItem(this, items.length, 1, readItem, async (itemIndex, taskId) => {
			return await work(this, client, itemIndex, taskId);
		});
	};
}

/** The item's task id, checked before any request. */
export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('taskId', itemIndex, '') as unknown;
	const checked = checkTaskId(value);
	if (!checked.ok) throw inputError(ctx, itemIndex, 'Task ID', value, checked.allowed);
	return checked.value;
}

/** A collection parameter (Options, Output Settings, ...) of one item, checked to be one. */
export function readCollection(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'options',
	label = 'Options',
): IDataObject {
	const collection = ctx.getNodeParameter(name, itemIndex, {}) as unknown;
	if (typeof collection !== 'object' || collection === null || Array.isArray(collection)) {
		throw inputError(ctx, itemIndex, label, collection, 'it must be a set of options');
	}
	return collection as IDataObject;
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return readCollection(ctx, itemIndex);
}

/** The item's output: the short form when Simplify is on (the default), else the task as the API returned it. */
export function shapeOutput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	task: IDataObject,
): IDataObject {
	return ctx.getNodeParameter('simplify', itemIndex, true) === false ? task : simplifyTask(task);
}

/** The node's own options (waiting, output, transfers), checked like every other input. */
export interface NodeOptions {
	pollIntervalMs: number;
	timeoutSeconds: number;
	concurrency: number;
	outputProperty: string;
	includeMetadata: boolean;
	deleteAfterDownload: boolean;
}

export function readNodeOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): NodeOptions {
	const label = (name: NodeOptionName): string => nodeOptionFields[name].displayName;
	const given = (name: NodeOptionName) => {
		const value = options[name];
		return value === undefined || value === null || value === '' ? undefined : value;
	};
	const number = (name: 'pollInterval' | 'timeout' | 'concurrency', fallback: number) => {
		const value = given(name);
		if (value === undefined) return fallback;
		const checked = checkBounded(name, value);
		if (!checked.ok) throw inputError(ctx, itemIndex, label(name), value, checked.allowed);
		return checked.value;
	};
	const flag = (name: NodeOptionName) => {
		const value = given(name);
		if (value === undefined) return false;
		const checked = checkBoolean(value);
		if (!checked.ok) throw inputError(ctx, itemIndex, label(name), value, checked.allowed);
		return checked.value;
	};
	const output = given('outputBinaryPropertyName');
	if (output !== undefined && (typeof output !== 'string' || output.trim() === '')) {
		throw inputError(
			ctx,
			itemIndex,
			label('outputBinaryPropertyName'),
			output,
			'it must be a field name',
		);
	}
	return {
		pollIntervalMs: number('pollInterval', DEFAULTS.pollIntervalSeconds) * 1000,
		timeoutSeconds: number('timeout', DEFAULTS.timeoutSeconds),
		concurrency: number('concurrency', DEFAULTS.concurrency),
		outputProperty: typeof output === 'string' ? output.trim() : DEFAULTS.outputBinaryPropertyName,
		includeMetadata: flag('includeMetadata'),
		deleteAfterDownload: flag('deleteFilesAfterDownload'),
	};
}

/**
 * Poll interval and concurrency steer the whole batch, so they come from the first item. Where
 * its options are bad the defaults hold, and that item's own check reports the value.
 */
export function readBatchOptions(
	ctx: IExecuteFunctions,
): Pick<NodeOptions, 'pollIntervalMs' | 'concurrency'> {
	const fallback = {
		pollIntervalMs: DEFAULTS.pollIntervalSeconds * 1000,
		concurrency: DEFAULTS.concurrency,
	};
	if (ctx.getInputData().length === 0) return fallback;
	try {
		const { pollIntervalMs, concurrency } = readNodeOptions(ctx, 0, readOptions(ctx, 0));
		return { pollIntervalMs, concurrency };
	} catch {
		return fallback;
	}
}

/** Celantur's answer when a task's files are gone already, e.g. after a retried DELETE whose first answer was lost. */
const ALREADY_DELETED = /already deleted/i;

/** Deletes a task's files; what is gone already counts as deleted. Never throws, but for a cancellation. */
export async function deleteFiles(
	client: CelanturClient,
	taskId: number,
	itemIndex: number,
): Promise<IDataObject> {
	return await deleteTaskFiles(client, taskId, itemIndex).then(
		() => ({ files_deleted: true, already_deleted: false }),
		(error: unknown) => {
			if (client.signal?.aborted) return Promise.reject(error);
			const message = error instanceof Error ? error.message : String(error);
			if (ALREADY_DELETED.test(message)) return { files_deleted: true, already_deleted: true };
			return { files_deleted: false, already_deleted: false, files_delete_error: message };
		},
	);
}

/**
 * Deletes a task's files once its result is safely downloaded. A failure here must not throw
 * away an image that was already downloaded (and paid for): it is reported on the item instead.
 */
export async function deleteAfterDownload(
	client: CelanturClient,
	taskId: number,
	itemIndex: number,
): Promise<IDataObject> {
	const result = await deleteFiles(client, taskId, itemIndex);
	delete result.already_deleted;
	return result;
}

export const FAILURE_CAUSES: Record<string, string> = {
	IMAGE_DEFECT: 'Celantur could not read the image; it may be corrupt or in an unusual encoding',
	TASK_FILE_DOESNT_EXIST: 'no image was uploaded for the task',
	INTERNAL_ERROR: 'an internal error at Celantur; create the task again',
	CONTENT_TYPE_ERROR: 'the uploaded file was not a JPEG or PNG image',
};

/** Names the task, its file where known, and Celantur's reason. */
export function failureMessage(task: CelanturTask, fileName?: string): string {
	const cause = task.failure_cause ?? 'unknown cause';
	const why = FAILURE_CAUSES[cause];
	return `Celantur task ${task.task_id}${fileName ? ` for ${fileName}` : ''} failed: ${cause}${why ? ` (${why})` : ''}`;
}

/** A reply that does not name its task (a start confirmation, say) gets the id it was asked about. */
export function withTaskId(task: IDataObject, taskId: string): IDataObject {
	return task.task_id === undefined ? { ...task, task_id: Number(taskId) } : task;
}
