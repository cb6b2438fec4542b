import { getTaskDetections } from '../../../shared/transport/endpoints';
import { taskIdFields, toolDescriptionField } from './fields';
import type { ItemOperation } from '../operation';
import { taskIdOperation } from './task-id-operation';

/** Typed here, so the declaration emitted for it names no n8n-workflow copy of its own. */
export const operation: ItemOperation<number> = taskIdOperation(
	'getMetadata',
	[
		...taskIdFields({ hint: 'Detections are empty until the task is done, and for failed tasks' }),
		toolDescriptionField(
			'getMetadata',
			"Lists the objects Celantur detected in a finished task's image. Input: task_id. Returns JSON: task_id and detections (each with type_label, score and bbox).",
		),
	],
	async (_ctx, itemIndex, taskId, client) => ({
		task_id: taskId,
		detections: await getTaskDetections(client, taskId, itemIndex),
	}),
);
