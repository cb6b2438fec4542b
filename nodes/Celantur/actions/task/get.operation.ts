import { taskOutput } from '../../../shared/helpers/task-output';
import { isToolMode } from '../../../shared/helpers/tool-mode';
import { getTask } from '../../../shared/transport/endpoints';
import { simplifyField, taskIdFields, toolDescriptionField } from './fields';
import type { ItemOperation } from '../operation';
import { taskIdOperation } from './task-id-operation';

/** Typed here, so the declaration emitted for it names no n8n-workflow copy of its own. */
export const operation: ItemOperation<number> = taskIdOperation(
	'get',
	[
		...taskIdFields(),
		simplifyField,
		toolDescriptionField(
			'get',
			'Gets a Celantur anonymization task with its settings. Input: task_id. Returns JSON: task_id, task_status (new, queued, processing, done or failed), failure_cause, anonymization_method, objects, create_time, and anonymized_url (a link to the anonymized image) once done.',
		),
	],
	async (ctx, itemIndex, taskId, client) => {
		// A reply that does not name its task gets the id it was asked about.
		const task = { ...(await getTask(client, taskId, itemIndex)) };
		task.task_id ??= taskId;
		const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
		return taskOutput(task, simplify, isToolMode(ctx));
	},
);
