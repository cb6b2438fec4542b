import { deleteTaskFiles } from '../../../shared/transport/endpoints';
import { taskIdFields, toolDescriptionField } from './fields';
import type { ItemOperation } from '../operation';
import { taskIdOperation } from './task-id-operation';

/** Typed here, so the declaration emitted for it names no n8n-workflow copy of its own. */
export const operation: ItemOperation<number> = taskIdOperation(
	'deleteFiles',
	[
		...taskIdFields({
			hint: 'Deletes the task’s original, anonymized image, masks and detections at Celantur. This cannot be undone.',
		}),
		toolDescriptionField(
			'deleteFiles',
			"Deletes a Celantur task's images and detections for good. Input: task_id. Returns JSON: task_id and files_deleted.",
		),
	],
	async (_ctx, itemIndex, taskId, client) => ({
		task_id: taskId,
		files_deleted: true,
		...(await deleteTaskFiles(client, taskId, itemIndex)),
	}),
);
