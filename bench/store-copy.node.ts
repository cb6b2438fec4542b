import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runJobs } from './run-jobs';

export const STORE_COPY_TYPE = 'bench.storeCopy';

/**
 * Bench-only: for each item, streams its image out of n8n's binary store and writes it back as a
 * new file, `concurrency` items at a time. It moves the bytes any node that turns an image into
 * another must move, with no API, checks or waiting: the memory and time that moving images
 * through n8n costs by itself, beside the pass-through's (which moves no bytes at all).
 */
export class StoreCopy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Store Copy',
		name: STORE_COPY_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Bench-only: copies each image through the binary store',
		defaults: { name: 'Store Copy' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const output: INodeExecutionData[] = new Array<INodeExecutionData>(items.length);
		await runJobs(items.length, concurrency, async (itemIndex) => {
			const input = items[itemIndex].binary!.data;
			const body = input.id
				? await this.helpers.getBinaryStream(input.id)
				: await this.helpers.getBinaryDataBuffer(itemIndex, 'data');
			const copy = await this.helpers.prepareBinaryData(body, input.fileName, input.mimeType);
			output[itemIndex] = {
				json: {},
				binary: { ...items[itemIndex].binary, anonymized: copy },
				pairedItem: { item: itemIndex },
			};
		});
		return [output];
	}
}
