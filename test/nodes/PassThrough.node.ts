import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const PASS_THROUGH_TYPE = 'test.passThrough';

/** Returns its input items as they are: what n8n-core keeps per item when a node does nothing. */
export class PassThrough implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pass Through',
		name: PASS_THROUGH_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: outputs the input items unchanged, each paired with its input',
		defaults: { name: 'Pass Through' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, itemIndex) => ({ ...item, pairedItem: { item: itemIndex } })),
		];
	}
}
