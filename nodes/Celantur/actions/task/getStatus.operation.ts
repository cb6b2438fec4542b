import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createLimiter } from '../../../shared/helpers/concurrency';
import { itemError } from '../../../shared/helpers/item-error';
import { taskFailedError } from '../../../shared/helpers/task-failure';
import { taskOutput } from '../../../shared/helpers/task-output';
import { isToolMode } from '../../../shared/helpers/tool-mode';
import { TaskWaiter } from '../../../shared/helpers/task-waiter';
import type { CelanturClient } from '../../../shared/transport/client';
import { getTaskStatus } from '../../../shared/transport/endpoints';
import { hasEnded, type CelanturTask } from '../../../shared/types';
import { runBatch, type ItemResult } from '../batch';
import {
	forOperation,
	readTaskId,
	simplifyField,
	taskIdFields,
	toolDescriptionField,
} from './fields';
import { batchSettings, readSettings, settingsCollection } from './read-settings';

const properties: INodeProperties[] = [
	...taskIdFields(),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the task is done or failed instead of returning its current status',
	},
	simplifyField,
	settingsCollection('options', ['pollInterval', 'timeout'], {
		show: { waitForCompletion: [true] },
	}),
	toolDescriptionField(
		'getStatus',
		'Gets the status of a Celantur anonymization task. Input: task_id. Returns JSON: task_id, task_status (new, queued, processing, done or failed), failure_cause, and anonymized_url (a link to the anonymized image) once done.',
	),
];

export const description = forOperation('getStatus', properties);

interface StatusRequest {
	taskId: number;
	wait: boolean;
	timeoutSeconds: number;
	simplify: boolean;
}

function check(ctx: IExecuteFunctions, itemIndex: number): StatusRequest {
	const taskId = readTaskId(ctx, itemIndex);
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, false) as boolean;
	const timeoutSeconds = readSettings(ctx, itemIndex, wait ? ['options'] : []).number('timeout');
	const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	return { taskId, wait, timeoutSeconds, simplify };
}

/** Batched: however many items wait, one shared polling loop asks Celantur for all of them. */
export async function executeBatch(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
): Promise<ItemResult[]> {
	const batch = batchSettings(this);
	const waiter = new TaskWaiter(client, batch.pollIntervalMs, batch.concurrency);
	const requests = createLimiter(batch.concurrency);

	const work = async (itemIndex: number, job: StatusRequest): Promise<INodeExecutionData[]> => {
		try {
			let task: CelanturTask = await requests(
				async () => await getTaskStatus(client, job.taskId, itemIndex),
			);
			if (job.wait && !hasEnded(task.task_status)) {
				const waited = await waiter.wait(
					{ ...task, task_id: job.taskId },
					itemIndex,
					job.timeoutSeconds,
				);
				task = { ...task, ...waited };
			}
			if (job.wait && task.task_status === 'failed') throw taskFailedError(this, itemIndex, task);
			return [{ json: taskOutput(task, job.simplify, isToolMode(this)) }];
		} catch (error) {
			throw itemError(this, itemIndex, error, { task_id: job.taskId });
		}
	};

	// Waiting is shared and unbounded; the status requests themselves go `concurrency` at a time.
	return await runBatch(this, items.length, Infinity, (i) => check(this, i), work);
}
