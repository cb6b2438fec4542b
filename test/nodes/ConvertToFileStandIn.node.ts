import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

/** The type name of n8n's own "Convert to File" node, which this stands in for. */
export const CONVERT_TO_FILE_TYPE = 'n8n-nodes-base.convertToFile';

/**
 * A stand-in for n8n's Convert to File node, operation "Convert to JSON" in the mode "All Items to
 * One File" with the options the example workflows use, so they run through n8n-core without
 * n8n-nodes-base: the items' json as one JSON array in a binary field, one item out.
 */
export class ConvertToFileStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convert to File (stand-in)',
		name: CONVERT_TO_FILE_TYPE,
		group: ['input'],
		version: [1, 1.1],
		description:
			'Test-only stand-in for n8n-nodes-base.convertToFile (toJson, all items to one file)',
		defaults: { name: 'Convert to File' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				options: [{ name: 'Convert to JSON', value: 'toJson' }],
				default: 'toJson',
			},
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				options: [{ name: 'All Items to One File', value: 'once' }],
				default: 'once',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Format', name: 'format', type: 'boolean', default: false },
					{ displayName: 'File Name', name: 'fileName', type: 'string', default: '' },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (
			this.getNodeParameter('operation', 0) !== 'toJson' ||
			this.getNodeParameter('mode', 0) !== 'once'
		) {
			throw new NodeOperationError(
				this.getNode(),
				'The stand-in knows only "Convert to JSON", all items to one file',
			);
		}
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const property = this.getNodeParameter('binaryPropertyName', 0) as string;
		const json = items.map((item) => item.json);
		const text = options.format === true ? JSON.stringify(json, null, 2) : JSON.stringify(json);
		const file = await this.helpers.prepareBinaryData(
			Buffer.from(text, 'utf8'),
			(options.fileName as string | undefined) || undefined,
			'application/json',
		);
		return [
			[{ json: {}, binary: { [property]: file }, pairedItem: items.map((_, item) => ({ item })) }],
		];
	}
}
