import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readInputImage, type InputImage } from '../../../shared/helpers/binary-input';
import { IMAGE_LINK_LIMITS, readImageLink } from '../../../shared/helpers/image-link';
import { createLimiter } from '../../../shared/helpers/concurrency';
import { inputError } from '../../../shared/helpers/input-errors';
import { itemError, type ItemDetails, type ItemError } from '../../../shared/helpers/item-error';
import { taskFailedError } from '../../../shared/helpers/task-failure';
import { taskOutput } from '../../../shared/helpers/task-output';
import { taskResult } from '../../../shared/helpers/task-result';
import { taskStatuses } from '../../../shared/helpers/task-statuses';
import { TaskWaiter } from '../../../shared/helpers/task-waiter';
import { failuresAsItems, isToolMode } from '../../../shared/helpers/tool-mode';
import type { CelanturClient } from '../../../shared/transport/client';
import { createTask, getTask } from '../../../shared/transport/endpoints';
import { hasEnded, type CelanturTask } from '../../../shared/types';
import { NotStartedError, runBatch, type ItemResult } from '../batch';
import { asksForMasks } from './create.settings';
import { callbackWebhook, parkBatch } from './create.wait-callback';
import { asTool, forOperation, inWorkflow, simplifyField, toolDescriptionField } from './fields';
import {
	batchSettings,
	mainFields,
	resultOptions,
	readSettings,
	settingsCollection,
	type ItemSettings,
} from './read-settings';

const imageSource: INodeProperties = {
	displayName: 'Image Source',
	name: 'imageSource',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Binary File',
			value: 'binary',
			description:
				'A file of the incoming item, e.g. from Read/Write Files from Disk, S3 or Google Drive',
		},
		{
			name: 'Link',
			value: 'url',
			description: 'An http or https link to the image, which the node fetches itself',
		},
	],
	default: 'binary',
	displayOptions: inWorkflow,
};

const imageUrl: INodeProperties = {
	displayName: 'Image URL',
	name: 'imageUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://example.com/street.jpg',
	description: `An http or https link to a JPEG or PNG image of up to ${IMAGE_LINK_LIMITS.maxBytes / 1024 / 1024} MB. The node fetches it itself, without the Celantur credential, and checks it before anything is sent to Celantur.`,
	displayOptions: { show: { imageSource: ['url'], '@tool': [false] } },
};

const properties: INodeProperties[] = [
	imageSource,
	// A tool call carries no file: an agent hands over a link.
	{ ...imageSource, default: 'url', displayOptions: asTool },
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description:
			'The binary field of the incoming item that holds the JPEG or PNG image to anonymize',
		hint: 'Read/Write Files from Disk, S3 and Google Drive put files in "data"; the Chat Trigger puts uploaded files in "data0", "data1", …',
		displayOptions: { show: { imageSource: ['binary'] } },
	},
	imageUrl,
	{
		...imageUrl,
		default:
			"={{ $fromAI('image_url', 'The http or https link to the JPEG or PNG image to anonymize', 'string') }}",
		displayOptions: { show: { imageSource: ['url'], '@tool': [true] } },
	},
	...mainFields(),
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
		displayOptions: { show: { waitForCompletion: [true], '@tool': [false] } },
		description:
			'Whether to add the anonymized image (and any requested masks) to the item as binary data. On here, since the next node usually writes the image somewhere; the Celantur Trigger has it off, since it often only needs to know that a task is done.',
	},
	simplifyField,
	settingsCollection('options'),
	settingsCollection('outputSettings'),
	settingsCollection('detectionSettings'),
	toolDescriptionField(
		'create',
		'Anonymizes the faces and license plates in one image with Celantur. Input: image_url, an http or https link to a JPEG or PNG image. Waits until it is done and returns JSON: task_id, task_status (done or failed), anonymized_url (a link to the anonymized image) and anonymized_url_expiration_duration (seconds the link is valid); error, with what went wrong, when the image could not be anonymized.',
	),
];

export const description = forOperation('create', properties);

/** What an item's parameters ask for; the same object for every item when no parameter is an expression. */
interface CreateSettings {
	/** The image link, when the image comes from one; else the binary field `property`. */
	link: string | undefined;
	settings: ItemSettings;
	body: IDataObject;
	wait: boolean;
	download: boolean;
	tool: boolean;
	simplify: boolean;
	property: string;
}

interface CreateJob extends CreateSettings {
	image: InputImage;
}

/** What finishing an item takes: its settings, and of its image only the name and type. */
type FinishJob = CreateSettings & { image: Pick<InputImage, 'fileName' | 'mimeType'> };

/** An item's output: the input's files kept beside the result's, but never in a tool's answer. */
function output(
	job: FinishJob,
	json: IDataObject,
	binary: IBinaryKeyData | undefined,
): INodeExecutionData {
	const shaped = taskOutput(json, job.simplify, job.tool);
	return job.tool || !binary ? { json: shaped } : { json: shaped, binary };
}

function readCreateSettings(ctx: IExecuteFunctions, itemIndex: number): CreateSettings {
	const settings = readSettings(ctx, itemIndex, [
		'main',
		'options',
		'outputSettings',
		'detectionSettings',
	]);
	const body = settings.body();
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const tool = isToolMode(ctx);
	const fromLink =
		ctx.getNodeParameter('imageSource', itemIndex, tool ? 'url' : 'binary') === 'url';
	const link = fromLink ? ctx.getNodeParameter('imageUrl', itemIndex, '') : undefined;
	if (fromLink && (typeof link !== 'string' || link.trim() === ''))
		throw inputError(
			ctx,
			itemIndex,
			'Image URL',
			link,
			'it must be an http:// or https:// link to a JPEG or PNG image',
		);
	const property = fromLink
		? 'data'
		: (ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as unknown);
	if (typeof property !== 'string' || property.trim() === '') {
		throw inputError(
			ctx,
			itemIndex,
			'Input Binary Field',
			property,
			'it must name a binary field, such as "data"',
		);
	}
	return {
		link: typeof link === 'string' ? link.trim() : undefined,
		settings,
		body,
		// A task started on request cannot finish before someone calls Start, so there is nothing to wait for.
		wait: wait && body.start_on !== 'start_request',
		// A tool answers with the result's link: a tool call carries no binary data.
		download: wait && !tool && (ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean),
		tool,
		simplify: ctx.getNodeParameter('simplify', itemIndex, true) as boolean,
		property: property.trim(),
	};
}

/** Whether a parameter value holds an expression anywhere; without one, every item reads the same. */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

/**
 * Each item's settings. Without expressions they are read once and shared, so a big batch neither
 * reads the same parameters thousands of times nor keeps thousands of copies; settings that are
 * refused are read again for each item, so each item's error names that item.
 */
function settingsReader(ctx: IExecuteFunctions): (itemIndex: number) => CreateSettings {
	if (hasExpression(ctx.getNode().parameters))
		return (itemIndex) => readCreateSettings(ctx, itemIndex);
	let shared: CreateSettings | undefined;
	return (itemIndex) => (shared ??= readCreateSettings(ctx, itemIndex));
}

/** The item's settings and image, checked before any request; a refusal names the file. */
async function checkItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	settingsOf: (itemIndex: number) => CreateSettings,
): Promise<CreateJob> {
	try {
		const settings = settingsOf(itemIndex);
		const image = settings.link
			? await readImageLink(ctx, itemIndex, settings.link)
			: await readInputImage(ctx, itemIndex, settings.property);
		return { ...settings, image };
	} catch (error) {
		const property = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data');
		const fileName =
			typeof property === 'string'
				? ctx.getInputData()[itemIndex].binary?.[property.trim()]?.fileName
				: undefined;
		throw itemError(ctx, itemIndex, error, fileName ? { file_name: fileName } : {});
	}
}

/**
 * Batched and pipelined: tasks are created while other images upload, so every transfer slot
 * keeps moving bytes; one shared polling loop waits for all tasks; a finished task's download goes
 * before further uploads, so finished work is delivered first and its state let go of sooner.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: CelanturClient,
): Promise<ItemResult[]> {
	const batch = batchSettings(this);
	const callback = batch.waitMode === 'callback' ? callbackWebhook(this, client.root) : undefined;
	if (callback && 'unavailable' in callback) {
		const message = `Wait Mode is Callback, but ${callback.unavailable}; the node polled instead.`;
		this.logger.info(`Celantur: ${message}`);
		this.addExecutionHints({ message, location: 'outputPane' });
	}
	const parking = callback && 'nonce' in callback ? callback : undefined;
	const transfers = createLimiter(batch.concurrency);
	// Tasks created and waiting for an upload slot; the bound keeps a failing batch from leaving
	// many empty tasks.
	const createdAhead = createLimiter(batch.concurrency);
	const waiter = new TaskWaiter(client, batch.pollIntervalMs, batch.concurrency);
	const notStarted = (itemIndex: number) => new NotStartedError(this.getNode(), itemIndex);

	/** Creates the task and uploads the image; the task as the API made it, without its upload link. */
	const createAndUpload = async (
		itemIndex: number,
		job: CreateJob,
		halted: () => boolean,
		known: ItemDetails,
	): Promise<CelanturTask> => {
		const leaveAhead = await createdAhead.acquire();
		try {
			// Once the node is failing anyway, no further task is created nor image uploaded (and
			// paid for); a task created just before stays empty, and its id goes with this item.
			if (halted()) throw notStarted(itemIndex);
			// A copy: the settings, body included, may be shared by every item.
			const body = parking ? { ...job.body, webhook: parking.url } : { ...job.body };
			const { upload_url: uploadUrl, ...task } = await createTask(client, body, itemIndex);
			known.task_id = task.task_id;
			if (!uploadUrl) {
				throw new NodeOperationError(
					this.getNode(),
					`Celantur created task ${task.task_id} but sent no upload URL`,
					{ itemIndex },
				);
			}
			return await transfers(async () => {
				leaveAhead();
				if (halted()) throw notStarted(itemIndex);
				const { open, mimeType, size } = job.image;
				await client.upload(uploadUrl, open, mimeType, size, itemIndex);
				return task;
			});
		} finally {
			leaveAhead();
		}
	};

	/** Waits for an uploaded task and delivers its result. */
	const finish = async (
		itemIndex: number,
		job: FinishJob,
		task: CelanturTask,
	): Promise<INodeExecutionData[]> => {
		const input = items[itemIndex];
		let final = {
			...task,
			...(await waiter.wait(task, itemIndex, job.settings.number('timeout'))),
		};
		if (final.task_status === 'failed')
			throw taskFailedError(this, itemIndex, final, job.image.fileName);
		if (job.download && asksForMasks(job.body))
			// Only the full task lists the mask URLs; the status reply has the image's alone.
			final = { ...final, ...(await getTask(client, final.task_id, itemIndex)) };
		const { json, files } = await taskResult(this, client, final, itemIndex, {
			download: job.download,
			...resultOptions(job.settings),
			fileName: job.image.fileName,
			mimeType: job.image.mimeType,
			transfer: async (download) => await transfers(download, { urgent: true }),
		});
		return [output(job, json, { ...input.binary, ...files })];
	};

	/** Uploaded batches parked for callbacks: what finishing each item takes, without its image. */
	const parked = new Map<number, { job: FinishJob; task: CelanturTask }>();

	const work = async (
		itemIndex: number,
		job: CreateJob,
		halted: () => boolean,
	): Promise<INodeExecutionData[]> => {
		// Once a task exists its id goes with any error, so the work can be picked up; the file
		// name says which image it was, for a list of failures.
		const known: ItemDetails = job.image.fileName ? { file_name: job.image.fileName } : {};
		try {
			const task = await createAndUpload(itemIndex, job, halted, known);
			if (parking) {
				const { fileName, mimeType } = job.image;
				parked.set(itemIndex, { job: { ...job, image: { fileName, mimeType } }, task });
				// Its output is made when the batch parks or ends (below).
				return [];
			}
			if (!job.wait) return [output(job, task, items[itemIndex].binary)];
			return await finish(itemIndex, job, task);
		} catch (error) {
			throw itemError(this, itemIndex, error, known);
		}
	};

	const settingsOf = settingsReader(this);
	// Items start as tasks may be created, not all at once: a queued item holds state, and a batch may be huge.
	const results = await runBatch(
		this,
		items.length,
		Infinity,
		async (itemIndex) => await checkItem(this, itemIndex, settingsOf),
		work,
		createdAhead.free,
	);
	if (!parking || (!failuresAsItems(this) && results.some((result) => result instanceof Error)))
		return results;
	// Callbacks that come before the wait is saved are refused by n8n and lost: a batch that has
	// ended already is finished here, as in Poll mode. The check only saves a wait: if it fails,
	// the batch waits.
	const tasks = [...parked.values()].map(({ task }) => task);
	const statuses = await taskStatuses(client, tasks).catch(async (error: unknown) =>
		client.signal?.aborted ? await Promise.reject(error) : undefined,
	);
	if (!tasks.every((task) => hasEnded(statuses?.get(task.task_id)))) {
		const parkedOf = (itemIndex: number) => {
			const entry = parked.get(itemIndex);
			return entry && { task: entry.task, ...entry.job.image };
		};
		return await parkBatch(this, results, parkedOf, parking.nonce, batch.timeoutSeconds);
	}
	return await Promise.all(
		results.map(async (result, itemIndex) => {
			const entry = parked.get(itemIndex);
			if (result instanceof Error || !entry) return result;
			return await finish(itemIndex, entry.job, entry.task).catch(
				(error: unknown) =>
					itemError(this, itemIndex, error, {
						task_id: entry.task.task_id,
						file_name: entry.job.image.fileName,
					}) as ItemError,
			);
		}),
	);
}
