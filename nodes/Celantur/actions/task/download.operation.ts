import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { downloadResults } from '../../helpers/binary-output';
import { normalizeTask } from '../../helpers/normalize';
import type { CelanturClient } from '../../transport';
import { eachItem, itemError, type ItemOutcome } from '../outcome';
import { concurrencyOption, deleteFilesOption, includeMetadataOption, outputBinaryPropertyOption, taskIdField } from './fields';
import { booleanOption, failureMessage, fetchDetections, readBatchSettings, readOptions, readTaskId, stringOption } from './shared';

const properties: INodeProperties[] = [
	{ ...taskIdField, hint: 'The task must be done; links to its files are valid for 4 hours and renewed on each call' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [concurrencyOption, deleteFilesOption, includeMetadataOption, outputBinaryPropertyOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['download'] } }, properties);

interface PreparedDownload {
	taskId: string;
	outputProperty: string;
	includeMetadata: boolean;
	deleteAfterDownload: boolean;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: CelanturClient): Promise<ItemOutcome[]> {
	let concurrency = 10;
	try {
		concurrency = readBatchSettings(this, readOptions(this, 0)).concurrency;
	} catch {
		// Item 0's own check reports the bad value.
	}

	const prepare = (itemIndex: number): PreparedDownload => {
		const taskId = readTaskId(this, itemIndex);
		const options = readOptions(this, itemIndex);
		readBatchSettings(this, options);
		return {
			taskId,
			outputProperty: stringOption(this, itemIndex, options, 'outputBinaryPropertyName', 'Output Binary Field', 'anonymized'),
			includeMetadata: booleanOption(options, 'includeMetadata'),
			deleteAfterDownload: booleanOption(options, 'deleteFilesAfterDownload'),
		};
	};

	const work = async (itemIndex: number, job: PreparedDownload): Promise<INodeExecutionData[]> => {
		// The full task, since only it lists the mask URLs besides the anonymized image's.
		const task = normalizeTask(await client.api('GET', `/task/${job.taskId}`, { itemIndex }));
		if (task.task_status !== 'done' || !task.anonymized_url) {
			const message =
				task.task_status === 'failed'
					? failureMessage(task)
					: `Celantur task ${job.taskId} is "${task.task_status ?? 'unknown'}", not done, so there is nothing to download yet`;
			throw itemError(
				this,
				itemIndex,
				new NodeOperationError(this.getNode(), message, {
					itemIndex,
					description: 'Wait for the task first: "Get Status" with "Wait for Completion" on, or a Celantur Trigger.',
				}),
				{ task_id: Number(job.taskId), task_status: task.task_status ?? null, failure_cause: task.failure_cause ?? null },
			);
		}
		const files = await downloadResults(this, client, task, itemIndex, job.outputProperty, undefined, undefined);
		const json: IDataObject = { ...task };
		if (job.includeMetadata) json.detections = await fetchDetections(client, job.taskId, itemIndex);
		if (job.deleteAfterDownload) {
			await client.api('DELETE', `/task/${job.taskId}/files`, { itemIndex });
			json.files_deleted = true;
		}
		return [{ json, binary: { ...items[itemIndex].binary, ...files } }];
	};

	return await eachItem(this, items.length, concurrency, prepare, work);
}
