import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { readInputImage, type InputImage } from '../../helpers/binary-input';
import { downloadResults } from '../../helpers/binary-output';
import { createLimiter } from '../../helpers/concurrency';
import { DEFAULTS } from '../../helpers/defaults';
import { BodyError, buildCreateBody } from '../../helpers/create-body';
import { inputError } from '../../helpers/input-errors';
import { normalizeTask } from '../../helpers/normalize';
import { TaskWaiter } from '../../helpers/task-waiter';
import type { CelanturTask } from '../../helpers/types';
import type { CelanturClient } from '../../transport';
import { eachItem, itemError, NOT_STARTED, type ItemOutcome } from '../outcome';
import { createOptions } from './create.options';
import {
	deleteAfterDownload,
	fetchDetections,
	failureMessage,
	readBatchOptions,
	readNodeOptions,
	readOptions,
	type NodeOptions,
} from './shared';

// n8n's scanner (node-param-default-missing) sees a plain name as a default but not `DEFAULTS.x`.
const { binaryPropertyName } = DEFAULTS;

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: binaryPropertyName,
		required: true,
		description: 'The binary field of the incoming item that holds the JPEG or PNG image to anonymize',
		hint: 'Read/Write Files from Disk, S3 and Google Drive put files in "data"',
	},
	{
		displayName: 'Anonymization Method',
		name: 'anonymizationMethod',
		type: 'options',
		options: [
			{ name: 'Blur', value: 'blur', description: 'Soft blur that keeps the scene readable' },
			{ name: 'Pixelate', value: 'pixelate', description: 'Coarse blocks' },
			{ name: 'Blacken', value: 'blacken', description: 'Solid black, nothing recoverable' },
		],
		default: 'blur',
		description: 'How detected objects are made unrecognizable',
	},
	{
		displayName: 'Objects to Anonymize',
		name: 'objects',
		type: 'multiOptions',
		options: [
			{ name: 'Face', value: 'face' },
			{ name: 'License Plate', value: 'licensePlate' },
			{ name: 'Person', value: 'person', description: 'Whole bodies' },
			{ name: 'Vehicle', value: 'vehicle', description: 'Whole vehicles' },
		],
		default: ['face', 'licensePlate'],
		required: true,
		description: 'What Celantur should find and anonymize; choose at least one',
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until Celantur has finished the task. Off: the node returns the new task right after the upload (use a Celantur Trigger or "Get Status" later).',
	},
	{
		displayName: 'Download Result',
		name: 'downloadResult',
		type: 'boolean',
		default: true,
		displayOptions: { show: { waitForCompletion: [true] } },
		description: 'Whether to add the anonymized image (and any requested masks) to the item as binary data',
	},
	createOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['create'] } }, properties);

interface PreparedCreate {
	body: IDataObject;
	image: InputImage;
	wait: boolean;
	download: boolean;
	options: NodeOptions;
}

async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<PreparedCreate> {
	const options = readOptions(ctx, itemIndex);
	const body = buildCreateBody(ctx.getNodeParameter('anonymizationMethod', itemIndex), ctx.getNodeParameter('objects', itemIndex), options);
	if (body instanceof BodyError) throw inputError(ctx, itemIndex, body.field, body.value, body.allowed);
	const nodeOptions = readNodeOptions(ctx, itemIndex, options);
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex, DEFAULTS.binaryPropertyName) as unknown;
	if (typeof property !== 'string' || property.trim() === '') {
		throw inputError(ctx, itemIndex, 'Input Binary Field', property, 'it must name a binary field, such as "data"');
	}
	return {
		body,
		image: await readInputImage(ctx, itemIndex, property.trim()),
		// A task started on request cannot finish before someone calls Start, so there is nothing to wait for.
		wait: wait && body.start_on !== 'start_request',
		download: wait && (ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean),
		options: nodeOptions,
	};
}

/** The presigned upload URL is spent once used, and carries a signature: it is not output. */
function withoutUploadUrl(task: CelanturTask): CelanturTask {
	const rest = { ...task };
	delete rest.upload_url;
	return rest;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: CelanturClient): Promise<ItemOutcome[]> {
	const batch = readBatchOptions(this);
	const transfers = createLimiter(batch.concurrency);
	const waiter = new TaskWaiter(client, batch.pollIntervalMs, batch.concurrency);

	const work = async (itemIndex: number, job: PreparedCreate, halted: () => boolean): Promise<INodeExecutionData[]> => {
		let created: CelanturTask | undefined;
		try {
			// Transfers are bounded; waiting is not, so every uploaded task can be processed at once.
			const task = await transfers(async () => {
				// Once the node is failing anyway, no further image is uploaded (and paid for).
				if (halted()) throw new NodeOperationError(this.getNode(), NOT_STARTED, { itemIndex });
				created = normalizeTask(await client.api('POST', '/task', { body: job.body, itemIndex }));
				if (!created.upload_url) {
					throw new NodeOperationError(this.getNode(), `Celantur created task ${created.task_id} but sent no upload URL`, { itemIndex });
				}
				await client.upload(created.upload_url, job.image.open, job.image.mimeType, job.image.size, itemIndex);
				return withoutUploadUrl(created);
			});
			const input = items[itemIndex];
			if (!job.wait) return [{ json: task, binary: input.binary }];

			let final: CelanturTask = { ...task, ...(await waiter.wait(task, itemIndex, job.options.timeoutSeconds)) };
			if (final.task_status === 'failed') {
				const failed = new NodeOperationError(this.getNode(), failureMessage(final), {
					itemIndex,
					description: 'Check that the file is a valid JPEG or PNG image, then create the task again.',
				});
				throw itemError(this, itemIndex, failed, { task_id: final.task_id, failure_cause: final.failure_cause ?? null });
			}
			if (job.download && (job.body.binary_segmentation_mask || job.body.instance_segmentation_mask)) {
				// Only the full task lists the mask URLs; the status reply has the image's alone.
				final = { ...final, ...normalizeTask(await client.api('GET', `/task/${final.task_id}`, { itemIndex })) };
			}
			const files = job.download
				? await transfers(
						async () =>
							await downloadResults(this, client, final, itemIndex, job.options.outputProperty, job.image.fileName, job.image.mimeType),
					)
				: {};
			const json: IDataObject = { ...final };
			if (job.options.includeMetadata) json.detections = await fetchDetections(client, final.task_id, itemIndex);
			if (job.options.deleteAfterDownload && job.download) Object.assign(json, await deleteAfterDownload(client, final.task_id, itemIndex));
			return [{ json, binary: { ...input.binary, ...files } }];
		} catch (error) {
			// Once a task exists, its id goes with the error so the work can be resumed.
			throw itemError(this, itemIndex, error, created ? { task_id: created.task_id } : {});
		}
	};

	// Items start as transfer slots free up, not all at once: a queued item holds state, and a batch may be huge.
	return await eachItem(this, items.length, Infinity, async (itemIndex) => await prepare(this, itemIndex), work, transfers.free);
}
