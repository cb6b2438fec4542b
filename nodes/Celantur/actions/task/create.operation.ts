import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readInputImage, type InputImage } from '../../helpers/binary-input';
import { downloadResults } from '../../../shared/helpers/binary-output';
import { createLimiter } from '../../helpers/concurrency';
import { DEFAULTS } from '../../helpers/defaults';
import {
	ANONYMIZATION_METHODS,
	BodyError,
	buildCreateBody,
	OBJECT_TYPES,
} from '../../helpers/create-body';
import { inputError } from '../../helpers/input-errors';
import { TaskWaiter } from '../../helpers/task-waiter';
import type { CelanturTask } from '../../../shared/types';
import { createTask, getTask, getTaskDetections } from '../../../shared/transport/endpoints';
import { itemError } from '../../../shared/helpers/item-error';
import { eachItem, NotStartedError, type OperationExecute } from '../outcome';
import { detectionSettings } from './create.detection-settings';
import { createOptions } from './create.options';
import { outputSettings } from './create.output-settings';
import { simplifyField } from './fields';
import {
	deleteAfterDownload,
	failureMessage,
	readBatchOptions,
	readCollection,
	readNodeOptions,
	shapeOutput,
	type NodeOptions,
	forOperation,
} from './shared';

// n8n's scanner (node-param-default-missing) sees a plain name as a default but not `DEFAULTS.x`.
const { binaryPropertyName } = DEFAULTS;

/** Label and description of every method and object kind the check accepts, in the editor's order. */
const METHOD_CHOICES: Record<
	(typeof ANONYMIZATION_METHODS)[number],
	[label: string, description: string]
> = {
	blur: ['Blur', 'Soft blur that keeps the scene readable'],
	pixelate: ['Pixelate', 'Coarse blocks'],
	blacken: ['Blacken', 'Solid black, nothing recoverable'],
};
const OBJECT_CHOICES: Record<(typeof OBJECT_TYPES)[number], [label: string, description: string]> =
	{
		face: ['Face', 'Human faces, also small ones in the background'],
		licensePlate: ['License Plate', 'Vehicle license plates'],
		person: ['Person', 'Whole bodies'],
		vehicle: ['Vehicle', 'Whole vehicles'],
	};

const choices = (
	table: Record<string, [label: string, description: string]>,
): INodePropertyOptions[] =>
	Object.entries(table).map(([value, [name, description]]) => ({ name, value, description }));

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: binaryPropertyName,
		required: true,
		description:
			'The binary field of the incoming item that holds the JPEG or PNG image to anonymize',
		hint: 'Read/Write Files from Disk, S3 and Google Drive put files in "data"',
	},
	{
		displayName: 'Anonymization Method',
		name: 'anonymizationMethod',
		type: 'options',
		options: choices(METHOD_CHOICES),
		default: 'blur',
		description: 'How detected objects are made unrecognizable',
	},
	{
		displayName: 'Objects to Anonymize',
		name: 'objects',
		type: 'multiOptions',
		options: choices(OBJECT_CHOICES),
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
		description:
			'Whether to add the anonymized image (and any requested masks) to the item as binary data. On here, since the next node usually writes the image somewhere; the Celantur Trigger has it off, since it often only needs to know that a task is done.',
	},
	simplifyField,
	createOptions,
	outputSettings,
	detectionSettings,
];

export const description = forOperation('create', properties);

/** What an item's parameters ask for; the same object for every item when no parameter is an expression. */
interface ItemSettings {
	body: IDataObject;
	wait: boolean;
	download: boolean;
	options: NodeOptions;
	property: string;
}

interface PreparedCreate extends ItemSettings {
	image: InputImage;
}

/** The create collections, and each setting's name as the editor shows it, for messages. */
const COLLECTIONS = [createOptions, outputSettings, detectionSettings];
const SETTING_LABELS = new Map(
	COLLECTIONS.flatMap((collection) =>
		(collection.options as INodeProperties[]).map(
			(option) => [option.name, `${collection.displayName} > ${option.displayName}`] as const,
		),
	),
);

/** `quality` as "Output Settings > Quality (JPEG)"; a path inside a setting keeps its tail. */
function settingLabel(field: string): string {
	const [name, ...rest] = field.split(' > ');
	const label = SETTING_LABELS.get(name);
	return label ? [label, ...rest].join(' > ') : field;
}

/** The settings of all three collections as one set: their names are distinct, and each knows where it goes. */
function readSettings(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return Object.assign(
		{},
		...COLLECTIONS.map((collection) =>
			readCollection(ctx, itemIndex, collection.name, collection.displayName),
		),
	) as IDataObject;
}

function readItemSettings(ctx: IExecuteFunctions, itemIndex: number): ItemSettings {
	const options = readSettings(ctx, itemIndex);
	const body = buildCreateBody(
		ctx.getNodeParameter('anonymizationMethod', itemIndex),
		ctx.getNodeParameter('objects', itemIndex),
		options,
	);
	if (body instanceof BodyError)
		throw inputError(ctx, itemIndex, settingLabel(body.field), body.value, body.allowed);
	const nodeOptions = readNodeOptions(ctx, itemIndex, options);
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const property = ctx.getNodeParameter(
		'binaryPropertyName',
		itemIndex,
		DEFAULTS.binaryPropertyName,
	) as unknown;
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
		body,
		// A task started on request cannot finish before someone calls Start, so there is nothing to wait for.
		wait: wait && body.start_on !== 'start_request',
		download: wait && (ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean),
		options: nodeOptions,
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
function settingsReader(ctx: IExecuteFunctions): (itemIndex: number) => ItemSettings {
	if (hasExpression(ctx.getNode().parameters))
		return (itemIndex) => readItemSettings(ctx, itemIndex);
	let shared: ItemSettings | undefined;
	return (itemIndex) => (shared ??= readItemSettings(ctx, itemIndex));
}

/** The presigned upload URL is spent once used, and carries a signature: it is not output. */
function withoutUploadUrl(task: CelanturTask): CelanturTask {
	const rest = { ...task };
	delete rest.upload_url;
	return rest;
}

export const execute: OperationExecute = async function (items, client) {
	const batch = readBatchOptions(this);
	const transfers = createLimiter(batch.concurrency);
	// Tasks created and waiting for an upload slot. Creating while other images upload keeps every
	// transfer slot moving bytes; the bound keeps a failing batch from leaving many empty tasks.
	const createdAhead = createLimiter(batch.concurrency);
	const waiter = new TaskWaiter(client, batch.pollIntervalMs, batch.concurrency);

	const work = async (
		itemIndex: number,
		job: PreparedCreate,
		halted: () => boolean,
	): Promise<INodeExecutionData[]> => {
		let created: CelanturTask | undefined;
		const leaveAhead = await createdAhead.acquire();
		try {
			// Once the node is failing anyway, no further task is created nor image uploaded (and
			// paid for); a task created just before stays empty, and its id goes with this item.
			if (halted()) throw new NotStartedError(this.getNode(), itemIndex);
			// A copy: the settings, body included, may be shared by every item.
			const made = await createTask(client, { ...job.body }, itemIndex);
			created = made;
			if (!made.upload_url) {
				throw new NodeOperationError(
					this.getNode(),
					`Celantur created task ${made.task_id} but sent no upload URL`,
					{ itemIndex },
				);
			}
			const uploadUrl = made.upload_url;
			// Transfers are bounded; waiting is not, so every uploaded task can be processed at once.
			const task = await transfers(async () => {
				leaveAhead();
				if (halted()) throw new NotStartedError(this.getNode(), itemIndex);
				await client.upload(
					uploadUrl,
					job.image.open,
					job.image.mimeType,
					job.image.size,
					itemIndex,
				);
				return withoutUploadUrl(made);
			});
			const input = items[itemIndex];
			if (!job.wait) return [{ json: shapeOutput(this, itemIndex, task), binary: input.binary }];

			let final: CelanturTask = {
				...task,
				...(await waiter.wait(task, itemIndex, job.options.timeoutSeconds)),
			};
			if (final.task_status === 'failed') {
				const failed = new NodeOperationError(
					this.getNode(),
					failureMessage(final, job.image.fileName),
					{
						itemIndex,
						description:
							'Check that the file opens in an image viewer and is a JPEG or PNG image, then run the item again.',
					},
				);
				throw itemError(this, itemIndex, failed, {
					task_id: final.task_id,
					failure_cause: final.failure_cause ?? null,
				});
			}
			if (
				job.download &&
				(job.body.binary_segmentation_mask || job.body.instance_segmentation_mask)
			) {
				// Only the full task lists the mask URLs; the status reply has the image's alone.
				final = { ...final, ...(await getTask(client, final.task_id, itemIndex)) };
			}
			// A result goes before further uploads: finished work is delivered first, and its
			// task's state is let go of sooner.
			const files = job.download
				? await transfers(
						async () =>
							await downloadResults(
								this,
								client,
								final,
								itemIndex,
								job.options.outputProperty,
								job.image.fileName,
								job.image.mimeType,
							),
						{ urgent: true },
					)
				: {};
			const json: IDataObject = { ...final };
			const written = files[job.options.outputProperty];
			if (written?.fileName) json.output_file_name = written.fileName;
			if (job.options.includeMetadata)
				json.detections = await getTaskDetections(client, final.task_id, itemIndex);
			if (job.options.deleteAfterDownload && job.download)
				Object.assign(json, await deleteAfterDownload(client, final.task_id, itemIndex));
			return [{ json: shapeOutput(this, itemIndex, json), binary: { ...input.binary, ...files } }];
		} catch (error) {
			leaveAhead();
			// Once a task exists, its id goes with the error so the work can be resumed; the file
			// name says which image it was, for a list of failures.
			const known: IDataObject = created ? { task_id: created.task_id } : {};
			if (job.image.fileName) known.file_name = job.image.fileName;
			throw itemError(this, itemIndex, error, known);
		}
	};

	const settings = settingsReader(this);
	const prepare = async (itemIndex: number): Promise<PreparedCreate> => {
		const itemSettings = settings(itemIndex);
		return { ...itemSettings, image: await readInputImage(this, itemIndex, itemSettings.property) };
	};
	// An item refused before any request still names its file, for a list of failures.
	const prepareNamed = async (itemIndex: number): Promise<PreparedCreate> =>
		await prepare(itemIndex).catch((error: unknown) => {
			const property = this.getNodeParameter(
				'binaryPropertyName',
				itemIndex,
				DEFAULTS.binaryPropertyName,
			);
			const fileName =
				typeof property === 'string'
					? items[itemIndex].binary?.[property.trim()]?.fileName
					: undefined;
			return Promise.reject(
				fileName ? itemError(this, itemIndex, error, { file_name: fileName }) : error,
			);
		});

	// Items start as tasks may be created, not all at once: a queued item holds state, and a batch may be huge.
	return await eachItem(this, items.length, Infinity, prepareNamed, work, createdAhead.free);
};
