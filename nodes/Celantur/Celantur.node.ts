import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import * as task from './actions/task';
import { resumeOnCallback } from './actions/task/create.resume';
import { noWebhookRegistration } from '../shared/helpers/no-webhook-registration';

export class Celantur implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Celantur',
		name: 'celantur',
		icon: { light: 'file:../../icons/celantur.svg', dark: 'file:../../icons/celantur.dark.svg' },
		group: ['transform'],
		version: 1,
		// The chosen operation's action ("Anonymize an image"), not its value ("create"). A literal,
		// as n8n's scanner wants it; a test holds it to the operations' actions.
		subtitle:
			'={{ {"create":"Anonymize an image","deleteFiles":"Delete the files of a task","download":"Download the result of a task","get":"Get a task","getMany":"Get many tasks","getMetadata":"Get the detections of a task","getStatus":"Get the status of a task","start":"Start a task","__CUSTOM_API_CALL__":"Custom API Call"}[$parameter["operation"]] ?? $parameter["operation"] }}',
		description:
			'Anonymize faces, people, license plates and vehicles in images with the Celantur Cloud API',
		defaults: { name: 'Celantur' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'celanturApi', required: true }],
		// Where Celantur's callbacks reach an execution that waits in Create's callback mode: the
		// execution's resume URL, as n8n's Wait node has it. Never registered as a live webhook.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
		],
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

	webhookMethods = noWebhookRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnCallback.call(this);
	}
}
