import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, jsonParse } from 'n8n-workflow';

export const SET_JSON_TYPE = 'test.setJson';

interface Field {
	name: string;
	value: unknown;
}

/** n8n's Edit Fields, reduced: parameters resolved per item by n8n-workflow, binary kept. */
export class SetJson implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Set JSON',
		name: SET_JSON_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: sets json fields, keeps binary',
		defaults: { name: 'Set JSON' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'JSON',
				name: 'jsonOutput',
				type: 'json',
				default: '{}',
				description: 'An object merged into each item, e.g. ={{ { "n": $json.n + 1 } }}',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return [
			items.map((item, itemIndex) => {
				const fields = this.getNodeParameter('fields.field', itemIndex, []) as Field[];
				const extra = this.getNodeParameter('jsonOutput', itemIndex, '{}') as string | IDataObject;
				const json: IDataObject = {
					...item.json,
					...(typeof extra === 'string' ? jsonParse<IDataObject>(extra) : extra),
				};
				for (const { name, value } of fields) json[name] = value as IDataObject[string];
				return { json, binary: item.binary, pairedItem: { item: itemIndex } };
			}),
		];
	}
}
