import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

export const FAIL_TYPE = 'test.fail';

/** Fails the items `failWhen` selects, honouring continueOnFail per item as shipped nodes must. */
export class Fail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fail',
		name: FAIL_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: throws for chosen items',
		defaults: { name: 'Fail' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Message', name: 'message', type: 'string', default: 'Planned failure' },
			{ displayName: 'Fail When', name: 'failWhen', type: 'boolean', default: true },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			if (!(this.getNodeParameter('failWhen', itemIndex) as boolean)) {
				output.push({ ...item, pairedItem: { item: itemIndex } });
				continue;
			}
			const message = this.getNodeParameter('message', itemIndex) as string;
			if (this.continueOnFail()) {
				output.push({ json: { error: message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw new NodeOperationError(this.getNode(), message, { itemIndex });
		}
		return [output];
	}
}
