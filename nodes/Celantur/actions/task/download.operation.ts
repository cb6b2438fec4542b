import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadResults } from '../../../shared/helpers/binary-output';
import { getTask, getTaskDetections } from '../../../shared/transport/endpoints';
import { itemError } from '../../../shared/helpers/item-error';
import { eachItem, type OperationExecute } from '../outcome';
import { downloadOptions, optionsCollection, taskIdField } from './fields';
import {
	deleteAfterDownload,
	failureMessage,
	readBatchOptions,
	readNodeOptions,
	readOptions,
	readTaskId,
	type NodeOptions,
	forOperation,
} from './shared';

const properties: INodeProperties[] = [
	{
		...taskIdField,
		hint: 'The task must be done; links to its files are valid for 4 hours and renewed on each call',
	},
	optionsCollection(downloadOptions),
];

export const description = forOperation('download', properties);

interface PreparedDownload {
	taskId: string;
	options: NodeOptions;
}

export const execute: OperationExecute = async function (items, client) {
	const prepare = (itemIndex: number): PreparedDownload => ({
		taskId: readTaskId(this, itemIndex),
		options: readNodeOptions(this, itemIndex, readOptions(this, itemIndex)),
	});

	const work = async (itemIndex: number, job: PreparedDownload): Promise<INodeExecutionData[]> => {
		// The full task, since only it lists the mask URLs besides the anonymized image's.
		const task = await getTask(client, job.taskId, itemIndex);
		if (task.task_status !== 'done') {
			const message =
				task.task_status === 'failed'
					? failureMessage(task)
					: `Celantur task ${job.taskId} is "${task.task_status ?? 'unknown'}", not done, so there is nothing to download yet`;
			throw itemError(
				this,
				itemIndex,
				new NodeOperationError(this.getNode(), message, {
					itemIndex,
					description:
						'Wait for the task first: "Get Status" with "Wait for Completion" on, or a Celantur Trigger.',
				}),
				{
					task_id: Number(job.taskId),
					task_status: task.task_status ?? null,
					failure_cause: task.failure_cause ?? null,
				},
			);
		}
		const files = await downloadResults(
			this,
			client,
			task,
			itemIndex,
			job.options.outputProperty,
			undefined,
			undefined,
		);
		const json: IDataObject = { ...task };
		if (job.options.includeMetadata)
			json.detections = await getTaskDetections(client, job.taskId, itemIndex);
		if (job.options.deleteAfterDownload)
			Object.assign(json, await deleteAfterDownload(client, task.task_id, itemIndex));
		return [{ json, binary: { ...items[itemIndex].binary, ...files } }];
	};

	return await eachItem(this, items.length, readBatchOptions(this).concurrency, prepare, work);
};
