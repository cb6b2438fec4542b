import type {
	IBinaryKeyData,
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { HARNESS_TOKEN_API } from './HarnessTokenApi.credentials';

export const WEBHOOK_PROBE_TYPE = 'test.webhookProbe';

interface ProbeBody {
	id?: unknown;
	base64?: unknown;
	fileName?: unknown;
}

/**
 * A callback trigger shaped like celanturTrigger: refuses a body without `id` with its own 400,
 * emits each id once (remembered in node static data), can look the id up with the credential
 * and store an inline file as binary.
 */
export class WebhookProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Probe',
		name: WEBHOOK_PROBE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Test-only: a deduplicating callback trigger',
		defaults: { name: 'Webhook Probe' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: HARNESS_TOKEN_API, required: false }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'probe' }],
		properties: [
			{
				displayName: 'Verify URL',
				name: 'verifyUrl',
				type: 'string',
				default: '',
				description: 'If set, GET it with the credential and add the reply as `verified`',
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const body = this.getBodyData() as ProbeBody;
		if (typeof body.id !== 'string' && typeof body.id !== 'number') {
			this.getResponseObject().status(400).json({ error: 'The callback has no id' });
			return { noWebhookResponse: true };
		}
		const id = String(body.id);
		const staticData = this.getWorkflowStaticData('node');
		const seen = Array.isArray(staticData.seen) ? (staticData.seen as string[]) : [];
		if (seen.includes(id)) return { webhookResponse: { status: 'duplicate', id } };

		const json: IDataObject = { id };
		const verifyUrl = this.getNodeParameter('verifyUrl') as string;
		if (verifyUrl) {
			json.verified = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				HARNESS_TOKEN_API,
				{
					method: 'GET',
					url: verifyUrl,
					json: true,
				},
			)) as IDataObject;
		}
		let binary: IBinaryKeyData | undefined;
		if (typeof body.base64 === 'string') {
			const fileName = typeof body.fileName === 'string' ? body.fileName : 'upload.bin';
			binary = {
				data: await this.helpers.prepareBinaryData(Buffer.from(body.base64, 'base64'), fileName),
			};
		}
		staticData.seen = [...seen, id];
		return { workflowData: [[{ json, binary }]] };
	}
}
