import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemError } from '../../../shared/helpers/item-error';
import { failureMessage } from '../../../shared/helpers/task-failure';
import { taskOutput } from '../../../shared/helpers/task-output';
import { isToolMode } from '../../../shared/helpers/tool-mode';
import { taskResult } from '../../../shared/helpers/task-result';
import type { CelanturClient } from '../../../shared/transport/client';
import { getTask } from '../../../shared/transport/endpoints';
import { runBatch, type ItemResult } from '../batch';
import {
	forOperation,
	readTaskId,
	simplifyField,
	taskIdFields,
	toolDescriptionField,
} from './fields';
import {
	batchSettings,
	readSettings,
	settingsCollection,
	type ItemSettings,
	resultOptions,
} from './read-settings';

const properties: INodeProperties[] = [
	...taskIdFields({
		hint: 'The task must be done; links to its files are valid for 4 hours and renewed on each call',
	}),
	simplifyField,
	settingsCollection('options', [
		'concurrency',
		'deleteFilesAfterDownload',
		'includeMetadata',
		'outputBinaryPropertyName',
	]),
	toolDescriptionField(
		'download',
		'Gets a fresh link to the anonymized image of a finished Celantur task. Input: task_id. Returns JSON: task_id, task_status, anonymized_url and anonymized_url_expiration_duration (seconds the link is valid); error when the task is not done.',
	),
];

export const description = forOperation('download', properties);

interface DownloadRequest {
	taskId: number;
	settings: ItemSettings;
	simplify: boolean;
}

function check(ctx: IExecuteFunctions, itemIndex: number): DownloadRequest {
	return {
		taskId: readTaskId(ctx, itemIndex),
		settings: readSettings(ctx, itemIndex, ['options']),
		simplify: ctx.getNodeParameter('simplify', itemIndex, true) as boolean,
	};
}

export async function executeBatch(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
): Promise<ItemResult[]> {
	const work = async (itemIndex: number, job: DownloadRequest): Promise<INodeExecutionData[]> => {
		// The full task, since only it lists the mask URLs besides the anonymized image's.
		const task = await getTask(client, job.taskId, itemIndex);
		if (task.task_status !== 'done') {
			const message =
				task.task_status === 'failed'
					? failureMessage(task)
					: `Celantur task ${job.taskId} is "${task.task_status ?? 'unknown'}", not done, so there is nothing to download yet`;
			const notDone = new NodeOperationError(this.getNode(), message, {
				itemIndex,
				description:
					'Wait for the task first: "Get Status" with "Wait for Completion" on, or a Celantur Trigger.',
			});
			throw itemError(this, itemIndex, notDone, {
				task_id: job.taskId,
				task_status: task.task_status ?? null,
				failure_cause: task.failure_cause ?? null,
			});
		}
		// A tool answers with the result's link: a tool call carries no binary data.
		const tool = isToolMode(this);
		const { json, files } = await taskResult(this, client, task, itemIndex, {
			download: !tool,
			...resultOptions(job.settings),
		});
		if (tool) return [{ json: taskOutput(json, job.simplify, true) }];
		return [
			{ json: taskOutput(json, job.simplify), binary: { ...items[itemIndex].binary, ...files } },
		];
	};

	const { concurrency } = batchSettings(this);
	return await runBatch(this, items.length, concurrency, (i) => check(this, i), work);
}
