import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createLimiter } from '../../helpers/concurrency';
import { TaskWaiter } from '../../helpers/task-waiter';
import { TERMINAL_STATUSES, type CelanturTask } from '../../../shared/types';
import { getTaskStatus } from '../../../shared/transport/endpoints';
import { itemError } from '../../../shared/helpers/item-error';
import { eachItem, type OperationExecute } from '../outcome';
import {
	optionsCollection,
	pollIntervalOption,
	simplifyField,
	taskIdField,
	timeoutOption,
} from './fields';
import {
	failureMessage,
	readBatchOptions,
	readNodeOptions,
	readOptions,
	readTaskId,
	shapeOutput,
	forOperation,
} from './shared';

const properties: INodeProperties[] = [
	taskIdField,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the task is done or failed instead of returning its current status',
	},
	simplifyField,
	optionsCollection([pollIntervalOption, timeoutOption], { show: { waitForCompletion: [true] } }),
];

export const description = forOperation('getStatus', properties);

interface PreparedStatus {
	taskId: string;
	wait: boolean;
	timeoutSeconds: number;
}

export const execute: OperationExecute = async function (items, client) {
	const batch = readBatchOptions(this);
	const waiter = new TaskWaiter(client, batch.pollIntervalMs, batch.concurrency);
	const requests = createLimiter(batch.concurrency);

	const prepare = (itemIndex: number): PreparedStatus => {
		const taskId = readTaskId(this, itemIndex);
		const wait = this.getNodeParameter('waitForCompletion', itemIndex, false) as boolean;
		const { timeoutSeconds } = readNodeOptions(
			this,
			itemIndex,
			wait ? readOptions(this, itemIndex) : {},
		);
		return { taskId, wait, timeoutSeconds };
	};

	const work = async (itemIndex: number, job: PreparedStatus): Promise<INodeExecutionData[]> => {
		try {
			let task: CelanturTask = await requests(
				async () => await getTaskStatus(client, job.taskId, itemIndex),
			);
			if (!job.wait) return [{ json: shapeOutput(this, itemIndex, task) }];
			if (!task.task_status || !TERMINAL_STATUSES.includes(task.task_status)) {
				task = {
					...task,
					...(await waiter.wait(
						{ ...task, task_id: Number(job.taskId) },
						itemIndex,
						job.timeoutSeconds,
					)),
				};
			}
			if (task.task_status === 'failed') {
				const failed = new NodeOperationError(this.getNode(), failureMessage(task), { itemIndex });
				throw itemError(this, itemIndex, failed, {
					task_id: task.task_id,
					failure_cause: task.failure_cause ?? null,
				});
			}
			return [{ json: shapeOutput(this, itemIndex, task) }];
		} catch (error) {
			throw itemError(this, itemIndex, error, { task_id: Number(job.taskId) });
		}
	};

	// Waiting is shared and unbounded; the status requests themselves go `concurrency` at a time.
	return await eachItem(this, items.length, Infinity, prepare, work);
};
