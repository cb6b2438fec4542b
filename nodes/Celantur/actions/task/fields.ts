import type { INodeProperties } from 'n8n-workflow';

/**
 * Field definitions shared by several operations, written once and placed with
 * updateDisplayOptions by each operation.
 */
export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1690264444814157',
	description: 'The ID of the Celantur task, as returned by the Create operation (field "task_id")',
	hint: 'Usually an expression such as {{ $json.task_id }}',
};

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 5,
	description:
		'How often to ask Celantur whether tasks have finished. Polling starts at 1 second and slows to this interval; many tasks waiting together share one request per round.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 86400 },
	default: 600,
	description:
		'How long to wait for a task to finish before the item fails. The task keeps running at Celantur: the error names its ID so "Get Status" or "Download" can pick it up.',
};

export const outputBinaryPropertyOption: INodeProperties = {
	displayName: 'Output Binary Field',
	name: 'outputBinaryPropertyName',
	type: 'string',
	default: 'anonymized',
	description:
		'The binary field to put the anonymized image in. Masks, when requested, go in "binarySegmentationMask" and "instanceSegmentationMask". The input binary fields are kept.',
};

export const includeMetadataOption: INodeProperties = {
	displayName: 'Include Detections',
	name: 'includeMetadata',
	type: 'boolean',
	default: false,
	description: 'Whether to add the detected objects (type, score, bounding box) as "detections" to the output; costs one request per image',
};

export const deleteFilesOption: INodeProperties = {
	displayName: 'Delete Files at Celantur After Download',
	name: 'deleteFilesAfterDownload',
	type: 'boolean',
	default: false,
	description:
		'Whether to delete the task’s images and detections at Celantur once they are downloaded, so nothing stays stored there',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 50 },
	default: 10,
	description:
		'How many images to upload or download at the same time. Waiting is shared by all items whatever this is. Lower it if Celantur answers "Too Many Requests".',
};
