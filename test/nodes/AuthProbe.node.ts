import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { HARNESS_TOKEN_API } from './HarnessTokenApi.credentials';

export const AUTH_PROBE_TYPE = 'test.authProbe';

/** Makes `requests` calls per item with httpRequestWithAuthentication, as a shipped node does. */
export class AuthProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Auth Probe',
		name: AUTH_PROBE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: authenticated GETs',
		defaults: { name: 'Auth Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: HARNESS_TOKEN_API, required: true }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true },
			{ displayName: 'Requests', name: 'requests', type: 'number', default: 1 },
			{ displayName: 'In Parallel', name: 'parallel', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (const [itemIndex] of this.getInputData().entries()) {
			const url = this.getNodeParameter('url', itemIndex) as string;
			const requests = this.getNodeParameter('requests', itemIndex) as number;
			const parallel = this.getNodeParameter('parallel', itemIndex) as boolean;
			const get = async () =>
				(await this.helpers.httpRequestWithAuthentication.call(this, HARNESS_TOKEN_API, {
					method: 'GET',
					url,
					json: true,
				})) as IDataObject;
			const responses: IDataObject[] = [];
			if (parallel) {
				responses.push(...(await Promise.all(Array.from({ length: requests }, get))));
			} else {
				for (let request = 0; request < requests; request++) responses.push(await get());
			}
			output.push({ json: { responses }, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}
