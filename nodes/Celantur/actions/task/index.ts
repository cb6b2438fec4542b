import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as create from './create.operation';
import { operation as deleteFiles } from './deleteFiles.operation';
import * as download from './download.operation';
import { operation as get } from './get.operation';
import * as getMany from './getMany.operation';
import { operation as getMetadata } from './getMetadata.operation';
import * as getStatus from './getStatus.operation';
import { operation as start } from './start.operation';

/** The value n8n gives the Custom API Call choice it adds to the resource and operation lists. */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

export const operations = {
	create,
	start,
	get,
	getStatus,
	getMetadata,
	getMany,
	deleteFiles,
	download,
};

const operationOptions: INodePropertyOptions[] = [
	{
		name: 'Create',
		value: 'create',
		description: 'Anonymize the item’s image: upload it, wait, and return the anonymized image',
		action: 'Anonymize an image',
	},
	{
		name: 'Delete Files',
		value: 'deleteFiles',
		description: 'Delete a task’s images and detections at Celantur',
		action: 'Delete the files of a task',
	},
	{
		name: 'Download',
		value: 'download',
		description: 'Download a finished task’s anonymized image and masks',
		action: 'Download the result of a task',
	},
	{
		name: 'Get',
		value: 'get',
		description: 'Get a task with all its settings',
		action: 'Get a task',
	},
	{
		name: 'Get Many',
		value: 'getMany',
		description: 'List tasks, filtered by date and status',
		action: 'Get many tasks',
	},
	{
		name: 'Get Metadata',
		value: 'getMetadata',
		description: 'Get the objects detected in a task’s image',
		action: 'Get the detections of a task',
	},
	{
		name: 'Get Status',
		value: 'getStatus',
		description: 'Get a task’s status, optionally waiting until it ends',
		action: 'Get the status of a task',
	},
	{
		name: 'Start',
		value: 'start',
		description: 'Start a task created to start on request',
		action: 'Start a task',
	},
];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: operationOptions,
		default: 'create',
	},
	...create.description,
	...start.description,
	...get.description,
	...getStatus.description,
	...getMetadata.description,
	...getMany.description,
	...deleteFiles.description,
	...download.description,
];
