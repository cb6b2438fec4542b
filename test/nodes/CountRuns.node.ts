import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const COUNT_RUNS_TYPE = 'test.countRuns';

/** Counts its executions in global static data and outputs the count. */
export class CountRuns implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Count Runs',
		name: COUNT_RUNS_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: keeps a counter in workflow static data',
		defaults: { name: 'Count Runs' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const staticData = this.getWorkflowStaticData('global');
		staticData.runs = (typeof staticData.runs === 'number' ? staticData.runs : 0) + 1;
		return [[{ json: { runs: staticData.runs }, pairedItem: { item: 0 } }]];
	}
}
