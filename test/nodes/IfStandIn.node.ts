import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IExecuteFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** The type name of n8n's own "If" node, which this stands in for. */
export const IF_TYPE = 'n8n-nodes-base.if';

/**
 * A stand-in for n8n's If node (version 2.x): the same `conditions` filter parameter, which
 * n8n-workflow itself evaluates per item, and the same two outputs, true and false.
 */
export class IfStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'If (stand-in)',
		name: IF_TYPE,
		group: ['transform'],
		version: [2, 2.1, 2.2],
		description: 'Test-only stand-in for n8n-nodes-base.if',
		defaults: { name: 'If' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['true', 'false'],
		properties: [
			{
				displayName: 'Conditions',
				name: 'conditions',
				type: 'filter',
				default: {},
				typeOptions: { filter: { caseSensitive: true, typeValidation: 'strict', version: 2 } },
			},
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const kept: INodeExecutionData[] = [];
		const dropped: INodeExecutionData[] = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			const pass = this.getNodeParameter('conditions', itemIndex, false, {
				extractValue: true,
			}) as boolean;
			(pass ? kept : dropped).push({ ...item, pairedItem: { item: itemIndex } });
		}
		return [kept, dropped];
	}
}
