import type { INodeProperties } from 'n8n-workflow';

import { DEFAULTS, type NodeOptionName } from '../../helpers/defaults';
import { boundsTypeOptions } from '../../helpers/option-bounds';

// n8n's scanner (node-param-default-missing) sees a plain name as a default but not `DEFAULTS.x`.
const { pollIntervalSeconds, timeoutSeconds, outputBinaryPropertyName, concurrency } = DEFAULTS;

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
	typeOptions: boundsTypeOptions('pollInterval'),
	default: pollIntervalSeconds,
	description:
		'How often to ask Celantur whether tasks have finished. Polling starts at 1 second and slows to this interval; many tasks waiting together share one request per round. Taken from the first item for the whole batch.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: boundsTypeOptions('timeout'),
	default: timeoutSeconds,
	description:
		'How long to wait for a task to finish before the item fails. The task keeps running at Celantur: the error names its ID so "Get Status" or "Download" can pick it up.',
};

const outputBinaryPropertyOption: INodeProperties = {
	displayName: 'Output Binary Field',
	name: 'outputBinaryPropertyName',
	type: 'string',
	default: outputBinaryPropertyName,
	description:
		'The binary field to put the anonymized image in. Masks, when requested, go in "binarySegmentationMask" and "instanceSegmentationMask". The input binary fields are kept. Used only when the result is downloaded.',
};

const includeMetadataOption: INodeProperties = {
	displayName: 'Include Detections',
	name: 'includeMetadata',
	type: 'boolean',
	default: false,
	description:
		'Whether to add the detected objects (type, score, bounding box) as "detections" to the output; costs one request per image. Used only when the node waits for the task.',
};

const deleteFilesOption: INodeProperties = {
	displayName: 'Delete Files at Celantur After Download',
	name: 'deleteFilesAfterDownload',
	type: 'boolean',
	default: false,
	description:
		'Whether to delete the task’s images and detections at Celantur once they are downloaded, so nothing stays stored there. Used only when the result is downloaded; if the deletion fails, the item says so in "files_delete_error" and keeps its image.',
};

const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: boundsTypeOptions('concurrency'),
	default: concurrency,
	description:
		'How many images to upload or download at the same time; as many tasks are created ahead of their uploads, and as many status requests sent at once. Waiting is shared by all items whatever this is. Lower it if Celantur answers "Too Many Requests". Taken from the first item for the whole batch.',
};

/** What downloading a result takes, for Create and Download alike. */
export const downloadOptions: INodeProperties[] = [
	concurrencyOption,
	deleteFilesOption,
	includeMetadataOption,
	outputBinaryPropertyOption,
];

/** An operation's "Options" collection; `shown` limits when the editor offers it. */
export function optionsCollection(
	options: INodeProperties[],
	shown?: INodeProperties['displayOptions'],
): INodeProperties {
	const collection: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
	return shown ? { ...collection, displayOptions: shown } : collection;
}

/** The node's own options by name: their fields, whose display names are the labels errors use. */
export const nodeOptionFields: Record<NodeOptionName, INodeProperties> = {
	pollInterval: pollIntervalOption,
	timeout: timeoutOption,
	concurrency: concurrencyOption,
	outputBinaryPropertyName: outputBinaryPropertyOption,
	includeMetadata: includeMetadataOption,
	deleteFilesAfterDownload: deleteFilesOption,
};

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'On: task ID, status, failure cause, method, objects, creation time (and file name, detections). Off: the task exactly as Celantur returns it, including its temporary links.',
};
