import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { createLimiter } from '../nodes/shared/helpers/concurrency';

export const REFERENCE_TYPE = 'bench.reference';
const CREDENTIAL_TYPE = 'celanturApi';

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Bench-only: the least any node must do in n8n to anonymize each item's image, `concurrency`
 * transfers at a time: create the task through the credential, upload the image from n8n's binary
 * store, wait the processing time it is told, read the status through the credential, download
 * the result into the binary store. No checks, no retries, no shared polling, no error handling:
 * what the Celantur node does, less everything that makes it safe. Its time is the floor for
 * this batch on this machine; the node's distance from it is the node's own cost.
 */
export class Reference implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reference',
		name: REFERENCE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Bench-only: the bare anonymization pipeline',
		defaults: { name: 'Reference' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 },
			{ displayName: 'Processing Ms', name: 'processingMs', type: 'number', default: 2000 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const baseUrl = this.getNodeParameter('baseUrl', 0) as string;
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const processingMs = this.getNodeParameter('processingMs', 0) as number;
		const api = async (method: 'GET' | 'POST', path: string, body?: IDataObject) =>
			(await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
				method,
				url: `${baseUrl}${path}`,
				json: true,
				body,
			})) as IDataObject;

		// Transfers `concurrency` at a time, and as many tasks created ahead of their uploads, with
		// the node's own limiter; first come, first served.
		const transfers = createLimiter(concurrency);
		const createdAhead = createLimiter(concurrency);
		const one = async (itemIndex: number): Promise<INodeExecutionData> => {
			const input = items[itemIndex].binary!.data;
			const leaveAhead = await createdAhead.acquire();
			const task = await api('POST', '/task', { anonymization_method: 'blur', face: true });
			await transfers(async () => {
				leaveAhead();
				await this.helpers.httpRequest({
					method: 'PUT',
					url: String(task.upload_url),
					body: await this.helpers.getBinaryStream(input.id!),
					headers: { 'Content-Type': input.mimeType, 'Content-Length': input.bytes },
					disableFollowRedirect: true,
				});
			});
			let status: IDataObject;
			let wait = processingMs;
			do {
				await pause(wait);
				wait = 50;
				status = await api('GET', `/task/${String(task.task_id)}/status`);
			} while (status.task_status !== 'done');
			const result = await transfers(
				async () =>
					await this.helpers.prepareBinaryData(
						await this.helpers.httpRequest({
							method: 'GET',
							url: String(status.anonymized_url),
							encoding: 'stream',
						}),
						input.fileName,
						input.mimeType,
					),
			);
			return {
				json: { task_id: task.task_id },
				binary: { ...items[itemIndex].binary, anonymized: result },
				pairedItem: { item: itemIndex },
			};
		};

		const running: Array<Promise<INodeExecutionData>> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			await createdAhead.free();
			running.push(one(itemIndex));
		}
		return [await Promise.all(running)];
	}
}
