import type { IBinaryData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CelanturClient } from '../transport/client';
import type { BinaryStream, CelanturContext, CelanturTask } from '../types';

export const MASK_PROPERTIES = {
	binarySegmentationMask: {
		urlField: 'binary_segmentation_mask_url',
		suffix: 'binary-mask',
		what: 'binary segmentation mask',
	},
	instanceSegmentationMask: {
		urlField: 'instance_segmentation_mask_url',
		suffix: 'instance-mask',
		what: 'instance segmentation mask',
	},
} as const;

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

function splitName(fileName: string | undefined): { base: string; extension: string | undefined } {
	if (!fileName) return { base: '', extension: undefined };
	const dot = fileName.lastIndexOf('.');
	return dot > 0
		? { base: fileName.slice(0, dot), extension: fileName.slice(dot + 1) }
		: { base: fileName, extension: undefined };
}

/**
 * `street.jpg` becomes `street-anonymized.jpg`: the input's name and extension are kept, and the
 * suffix means a workflow writing results back beside the originals never overwrites one.
 */
export function outputFileName(
	inputName: string | undefined,
	taskId: number,
	mimeType: string,
): string {
	const { base, extension } = splitName(inputName);
	return `${base || `celantur-${taskId}`}-anonymized.${extension ?? EXTENSIONS[mimeType] ?? 'bin'}`;
}

/** Masks are PNG whatever the input was: `street.jpg` gives `street-binary-mask.png`. */
export function maskFileName(
	inputName: string | undefined,
	taskId: number,
	suffix: string,
	mimeType: string,
): string {
	return `${splitName(inputName).base || `celantur-${taskId}`}-${suffix}.${EXTENSIONS[mimeType] ?? 'png'}`;
}

function mimeFromExtension(url: string): string | undefined {
	const path = url.split('?')[0].toLowerCase();
	if (path.endsWith('.png')) return 'image/png';
	if (path.endsWith('.jpg') || path.endsWith('.jpeg')) return 'image/jpeg';
	return undefined;
}

function responseMime(body: BinaryStream): string | undefined {
	const headers = (
		body as BinaryStream & { headers?: Record<string, string | string[] | undefined> }
	).headers;
	const value = headers?.['content-type'];
	const type = (Array.isArray(value) ? value[0] : value)?.split(';')[0].trim();
	return type && type !== 'application/octet-stream' && type !== 'binary/octet-stream'
		? type
		: undefined;
}

/** Streams a presigned file into n8n's binary store (on disk where n8n keeps binaries there). */
async function downloadFile(
	ctx: CelanturContext,
	client: CelanturClient,
	url: string,
	what: string,
	itemIndex: number,
	name: (mimeType: string) => string,
	fallbackMime: string,
): Promise<IBinaryData> {
	return await client.download(url, what, itemIndex, async (body) => {
		const mimeType = responseMime(body) ?? mimeFromExtension(url) ?? fallbackMime;
		return await ctx.helpers.prepareBinaryData(body, name(mimeType), mimeType);
	});
}

export interface ResultFiles {
	[property: string]: IBinaryData;
}

/** The anonymized image, and each mask the task has, as binary properties. */
export async function downloadResults(
	ctx: CelanturContext,
	client: CelanturClient,
	task: CelanturTask,
	itemIndex: number,
	outputProperty: string,
	inputFileName: string | undefined,
	inputMime: string | undefined,
): Promise<ResultFiles> {
	const files: ResultFiles = {};
	if (!task.anonymized_url) {
		// Deleting the task's files next would lose the result, so this must not pass quietly.
		throw new NodeOperationError(
			ctx.getNode(),
			`Celantur task ${task.task_id} is done but its reply has no link to the anonymized image`,
			{
				itemIndex,
				description: `Try the "Download" operation with task ID ${task.task_id}.`,
			},
		);
	}
	files[outputProperty] = await downloadFile(
		ctx,
		client,
		task.anonymized_url,
		'anonymized image',
		itemIndex,
		(mime) => outputFileName(inputFileName, task.task_id, mime),
		inputMime ?? 'image/jpeg',
	);
	for (const [property, mask] of Object.entries(MASK_PROPERTIES)) {
		const url = task[mask.urlField];
		if (typeof url !== 'string' || url === '') continue;
		files[property] = await downloadFile(
			ctx,
			client,
			url,
			mask.what,
			itemIndex,
			(mime) => maskFileName(inputFileName, task.task_id, mask.suffix, mime),
			'image/png',
		);
	}
	return files;
}
