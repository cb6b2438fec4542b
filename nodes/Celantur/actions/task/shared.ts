import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { inputError } from '../../helpers/input-errors';
import { normalizeTask } from '../../helpers/normalize';
import { checkNumber, checkTaskId } from '../../helpers/validate';
import type { CelanturTask, Detection } from '../../helpers/types';
import type { CelanturClient } from '../../transport';
import { eachItem, type ItemOutcome } from '../outcome';

/** Runs `work` once per item with the item's checked task id, one item at a time. */
export async function forEachTaskId(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	work: (itemIndex: number, taskId: string) => Promise<INodeExecutionData[]>,
): Promise<ItemOutcome[]> {
	return await eachItem(ctx, items.length, 1, (itemIndex) => readTaskId(ctx, itemIndex), work);
}

/** The item's task id, checked before any request. */
export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('taskId', itemIndex, '') as unknown;
	const checked = checkTaskId(value);
	if (!checked.ok) throw inputError(ctx, itemIndex, 'Task ID', value, checked.allowed);
	return checked.value;
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as unknown;
	if (typeof options !== 'object' || options === null || Array.isArray(options)) {
		throw inputError(ctx, itemIndex, 'Options', options, 'it must be a set of options');
	}
	return options as IDataObject;
}

/** A numeric node option, defaulted when unset and checked when set (expressions can give anything). */
export function numberOption(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	name: string,
	label: string,
	fallback: number,
	min: number,
	max: number,
): number {
	const value = options[name];
	if (value === undefined || value === null || value === '') return fallback;
	const checked = checkNumber(value, min, max);
	if (!checked.ok) throw inputError(ctx, itemIndex, label, value, checked.allowed);
	return checked.value;
}

export function stringOption(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	name: string,
	label: string,
	fallback: string,
): string {
	const value = options[name];
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value !== 'string' || value.trim() === '') throw inputError(ctx, itemIndex, label, value, 'it must be a field name');
	return value.trim();
}

export function booleanOption(options: IDataObject, name: string): boolean {
	const value = options[name];
	return value === true || value === 'true';
}

/** Settings for waiting and transfers, read once from the first item (they steer the whole batch). */
export interface BatchSettings {
	pollIntervalMs: number;
	concurrency: number;
}

export function readBatchSettings(ctx: IExecuteFunctions, options: IDataObject): BatchSettings {
	return {
		pollIntervalMs: numberOption(ctx, 0, options, 'pollInterval', 'Poll Interval (Seconds)', 5, 0.1, 300) * 1000,
		concurrency: Math.floor(numberOption(ctx, 0, options, 'concurrency', 'Concurrency', 10, 1, 50)),
	};
}

/** The detections of a task; Celantur answers 204 (no body) when there are none. */
export async function fetchDetections(client: CelanturClient, taskId: string | number, itemIndex: number): Promise<Detection[]> {
	const reply = await client.api<IDataObject | string | undefined>('GET', `/task/${taskId}/metadata`, { itemIndex });
	if (typeof reply !== 'object' || reply === null || !Array.isArray(reply.detections)) return [];
	return (reply.detections as Detection[]).map((detection) => {
		// Both spellings occur; the British one is the documented key.
		const { is_anonymized: american, ...rest } = detection as Detection & { is_anonymized?: boolean };
		return american !== undefined && rest.is_anonymised === undefined ? { ...rest, is_anonymised: american } : rest;
	});
}

export const FAILURE_CAUSES: Record<string, string> = {
	IMAGE_DEFECT: 'Celantur could not read the image (it may be corrupt or in an unusual encoding)',
	TASK_FILE_DOESNT_EXIST: 'no image was uploaded for the task',
	INTERNAL_ERROR: 'an internal error at Celantur; create the task again',
	CONTENT_TYPE_ERROR: 'the uploaded file was not a JPEG or PNG image',
};

export function failureMessage(task: CelanturTask): string {
	const cause = task.failure_cause ?? 'unknown cause';
	const why = FAILURE_CAUSES[cause];
	return `Celantur task ${task.task_id} failed: ${cause}${why ? ` (${why})` : ''}`;
}

export function normalizeReply(reply: unknown, taskId?: string): IDataObject {
	const task = normalizeTask(reply);
	if (taskId !== undefined && task.task_id === undefined) task.task_id = Number(taskId);
	return task;
}
