import { startTask } from '../../../shared/transport/endpoints';
import { taskIdFields, toolDescriptionField } from './fields';
import type { ItemOperation } from '../operation';
import { taskIdOperation } from './task-id-operation';

/** Typed here, so the declaration emitted for it names no n8n-workflow copy of its own. */
export const operation: ItemOperation<number> = taskIdOperation(
	'start',
	[
		...taskIdFields({
			description: 'The ID of a task created with "Start Processing" set to "On Start Request"',
		}),
		toolDescriptionField(
			'start',
			'Starts a Celantur task that was created to start on request. Input: task_id. Returns JSON with task_id.',
		),
	],
	// A confirmation that does not name its task gets the id it was asked about.
	async (_ctx, itemIndex, taskId, client) => ({
		task_id: taskId,
		...(await startTask(client, taskId, itemIndex)),
	}),
);
