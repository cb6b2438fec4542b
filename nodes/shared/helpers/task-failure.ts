import { NodeOperationError } from 'n8n-workflow';

import type { CelanturTask } from '../types';
import type { NodeContext } from './input-errors';
import { itemError, type ItemError } from './item-error';

const FAILURE_CAUSES: Record<string, string> = {
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

/** A failed task as its item's error, with the task id and cause kept for its error item. */
export function taskFailedError(
	ctx: NodeContext,
	itemIndex: number,
	task: CelanturTask,
	fileName?: string,
): ItemError {
	const error = new NodeOperationError(ctx.getNode(), failureMessage(task, fileName), {
		itemIndex,
		description:
			'Check that the file opens in an image viewer and is a JPEG or PNG image, then run the item again.',
	});
	return itemError(ctx, itemIndex, error, {
		task_id: task.task_id,
		failure_cause: task.failure_cause ?? null,
	}) as ItemError;
}
