import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * The few context calls readSettings makes, answering from `parameters` as n8n would (a parameter
 * not given gets the fallback). A helper's unit test, so a fake context is fine here.
 */
export function settingsContext(parameters: IDataObject): IExecuteFunctions {
	return {
		getNode: () => ({
			id: 'n',
			name: 'Celantur',
			type: 'n8n-nodes-celantur.celantur',
			typeVersion: 1,
			position: [0, 0],
			parameters,
		}),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
	} as unknown as IExecuteFunctions;
}
