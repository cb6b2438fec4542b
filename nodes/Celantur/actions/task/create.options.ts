import type { INodeProperties } from 'n8n-workflow';

import { downloadOptions, optionsCollection, pollIntervalOption, timeoutOption } from './fields';

/**
 * How the node behaves: waiting, output, transfers, and when and whom Celantur tells. What the
 * result looks like and how objects are found live in their own collections, so this list stays short.
 */
export const createOptions: INodeProperties = optionsCollection([
	...downloadOptions,
	pollIntervalOption,
	{
		displayName: 'Start Processing',
		name: 'startOn',
		type: 'options',
		options: [
			{
				name: 'On Upload',
				value: 'upload',
				description: 'Start as soon as the image is uploaded',
			},
			{
				name: 'On Start Request',
				value: 'start_request',
				description:
					'Wait for the Start operation; the node then returns after the upload without waiting',
			},
		],
		default: 'upload',
		description: 'When Celantur starts anonymizing the uploaded image',
	},
	timeoutOption,
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'https://your-n8n.example.com/webhook/...',
		description:
			'Celantur POSTs to this URL when the task is done (not when it fails). Paste the Production URL of a Celantur Trigger node here (or its Test URL while trying it out).',
	},
]);
