import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, sleepWithAbort } from 'n8n-workflow';

export const SLEEP_TYPE = 'test.sleep';

/** Waits as a polling node does between requests: with n8n-workflow's sleep and the cancel signal. */
export class Sleep implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sleep',
		name: SLEEP_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: waits, stopping when the execution is cancelled',
		defaults: { name: 'Sleep' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Milliseconds', name: 'ms', type: 'number', default: 1000 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		await sleepWithAbort(this.getNodeParameter('ms', 0) as number, this.getExecutionCancelSignal());
		return [this.getInputData()];
	}
}
