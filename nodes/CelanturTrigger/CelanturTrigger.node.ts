import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { noWebhookRegistration } from '../shared/helpers/no-webhook-registration';
import { createClient, resolveApiRoot } from '../shared/transport/client';
import { getTask } from '../shared/transport/endpoints';
import { readHttpFailure } from '../shared/transport/http-failure';
import { normalizeTask } from '../shared/transport/normalize';
import type { CelanturTask } from '../shared/types';
import { checkCallback } from './callback';
import { EmittedTasks } from './emitted-tasks';
import { triggerOutput } from './trigger-output';

function reply(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	const response = ctx.getResponseObject();
	response.status(status).json(body);
	return { noWebhookResponse: true };
}

/** The API's answer about a task id a callback named, mapped to what the caller is told. */
function lookupFailure(error: unknown): { status: number; error: string } {
	const failure = readHttpFailure(error);
	if (failure.status === 400 || failure.status === 404)
		return { status: 404, error: 'Celantur does not know this task for this account' };
	return {
		status: 502,
		error: 'The task could not be verified with Celantur; the workflow was not started',
	};
}

export class CelanturTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Celantur Trigger',
		name: 'celanturTrigger',
		icon: { light: 'file:../../icons/celantur.svg', dark: 'file:../../icons/celantur.dark.svg' },
		subtitle: 'On task done',
		group: ['trigger'],
		version: 1,
		// n8n's node panel shows one entry for this trigger and the Celantur node together, and gives
		// it the trigger's description: so this one speaks for both.
		description:
			'Anonymize faces, people, license plates and vehicles in images with Celantur, and start workflows when a task is done',
		defaults: { name: 'Celantur Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'celanturApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Task Done',
						value: 'taskDone',
						description:
							'Celantur has finished anonymizing an image (it never calls back for failed tasks)',
						action: 'When an image is anonymized (task done)',
					},
				],
				default: 'taskDone',
			},
			{
				displayName:
					'Celantur calls this workflow when a task is done (never when it fails). To try it out: 1. click "Listen for test event"; 2. copy the Test URL shown above under "Webhook URLs"; 3. in a Celantur node (Create), add the option "Webhook URL", paste the Test URL and run that node; this trigger receives the callback once the task is done. To use it for real: 1. Publish this workflow; 2. copy the Production URL; 3. paste it into the Webhook URL option of the Celantur node that creates the tasks. Each task created that way starts this workflow once when it is done.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Verify Task with Celantur',
				name: 'verifyTask',
				type: 'boolean',
				default: true,
				description:
					'Whether to look the task up with the Celantur API before starting the workflow, and output the task as the API returns it. Celantur callbacks carry no signature, so without this anyone who knows the URL can start the workflow with made-up data.',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the task instead of the raw data',
				hint: 'On: task ID, status, failure cause, method, objects, creation time. Off: the task as Celantur returns it, including its temporary links.',
			},
			{
				displayName: 'Download Result',
				name: 'downloadResult',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the anonymized image to the item as binary data (field "anonymized"). Off by default, unlike in the Celantur node: a callback often only needs to record that a task is done, and the image can be fetched later with the Download operation.',
			},
		],
	};

	// Celantur has no webhook registration: the URL travels with each task (the Create node's
	// "Webhook URL" option).
	webhookMethods = noWebhookRegistration;

	/**
	 * Answers Celantur as soon as the callback is checked (and the task verified): the answer is
	 * sent before n8n starts the run, which also makes n8n save the emitted-task record first (n8n
	 * 2.41 otherwise starts the run before answering, and the run's start resets the record's
	 * change mark, so it was never saved). The image is downloaded in execute(), inside the
	 * execution, so its binary data belongs to that execution.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as { rawBody?: Buffer };
		const checked = checkCallback(
			this.getHeaderData()['content-type'],
			this.getBodyData(),
			request.rawBody,
		);
		if (!checked.ok) {
			// Nothing is executed for a refused callback, so the log is the only trace of it.
			this.logger.info(`Celantur Trigger refused a callback (${checked.status}): ${checked.error}`);
			return reply(this, checked.status, { error: checked.error });
		}
		const { taskId } = checked;

		const key = `${this.getMode()}:${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
		const emitted = new EmittedTasks(key, this.getWorkflowStaticData('node'));
		if (emitted.has(taskId))
			return reply(this, 200, { received: true, duplicate: true, task_id: taskId });
		// Recorded before the lookup, so copies arriving while this one is verified find it.
		emitted.add(taskId);

		let json = normalizeTask(checked.body);
		if (this.getNodeParameter('verifyTask', true) as boolean) {
			const client = createClient(this, await resolveApiRoot(this));
			const lookup = await getTask(client, taskId).then(
				(task) => ({ task }),
				(error: unknown) => ({ failure: lookupFailure(error) }),
			);
			if ('failure' in lookup) {
				emitted.remove(taskId);
				this.logger.info(
					`Celantur Trigger refused a callback for task ${taskId} (${lookup.failure.status}): ${lookup.failure.error}`,
				);
				return reply(this, lookup.failure.status, { error: lookup.failure.error });
			}
			const confirmed: CelanturTask = lookup.task;
			if (confirmed.task_status !== 'done') {
				emitted.remove(taskId);
				this.logger.info(
					`Celantur Trigger refused a callback for task ${taskId}: it is "${confirmed.task_status}"`,
				);
				return reply(this, 409, {
					error: `The task is "${confirmed.task_status ?? 'unknown'}" at Celantur, not done`,
				});
			}
			json = confirmed;
		}
		return { ...reply(this, 200, { received: true, task_id: taskId }), workflowData: [[{ json }]] };
	}

	/** Runs inside the execution the callback started, with the webhook's item as input. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await triggerOutput(this);
	}
}
