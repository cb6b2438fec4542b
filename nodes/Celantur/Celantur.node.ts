import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import * as task from './actions/task';

export class Celantur implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Celantur',
		name: 'celantur',
		icon: { light: 'file:celantur.svg', dark: 'file:celantur.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: task.subtitle,
		description: 'Anonymize faces, people, license plates and vehicles in images with the Celantur Cloud API',
		defaults: { name: 'Celantur' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'celanturApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Task', value: 'task' }],
				default: 'task',
			},
			...task.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
