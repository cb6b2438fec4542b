import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { createReadStream, createWriteStream, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The type name of n8n's own "Read/Write Files from Disk" node, which this stands in for. */
export const READ_WRITE_FILE_TYPE = 'n8n-nodes-base.readWriteFile';

/** `dir/*.{jpg,png}` or `dir/*.jpg` to a test on file names; enough for the example workflows. */
function matcher(selector: string): { dir: string; test: (name: string) => boolean } {
	const dir = path.dirname(selector);
	const pattern = path.basename(selector);
	const regex = new RegExp(
		`^${pattern
			.replace(/[.+^$()|[\]\\]/g, '\\$&')
			.replace(/\{([^}]*)\}/g, (_, list: string) => `(${list.split(',').join('|')})`)
			.replace(/\*/g, '[^/]*')
			.replace(/\?/g, '.')}$`,
		'i',
	);
	return { dir, test: (name) => regex.test(name) };
}

/**
 * A stand-in for n8n's Read/Write Files from Disk node (the `read` and `write` operations with the
 * parameters the example workflows use), so the examples run through n8n-core without
 * n8n-nodes-base. Binary data is streamed both ways, as the real node does.
 */
export class ReadWriteFileStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read/Write Files from Disk (stand-in)',
		name: READ_WRITE_FILE_TYPE,
		group: ['input'],
		version: [1, 1.1],
		description: 'Test-only stand-in for n8n-nodes-base.readWriteFile',
		defaults: { name: 'Read/Write Files from Disk' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				options: [
					{ name: 'Read', value: 'read' },
					{ name: 'Write', value: 'write' },
				],
				default: 'read',
			},
			{
				displayName: 'File Selector',
				name: 'fileSelector',
				type: 'string',
				default: '',
				displayOptions: { show: { operation: ['read'] } },
			},
			{
				displayName: 'File Path and Name',
				name: 'fileName',
				type: 'string',
				default: '',
				displayOptions: { show: { operation: ['write'] } },
			},
			{
				displayName: 'Input Binary Field',
				name: 'dataPropertyName',
				type: 'string',
				default: 'data',
				displayOptions: { show: { operation: ['write'] } },
			},
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			if (operation === 'read') {
				const { dir, test } = matcher(this.getNodeParameter('fileSelector', itemIndex) as string);
				const names = readdirSync(dir).filter(test).sort();
				if (names.length === 0)
					throw new NodeOperationError(this.getNode(), `No file(s) found in ${dir}`, { itemIndex });
				for (const name of names) {
					const file = path.join(dir, name);
					const binary = await this.helpers.prepareBinaryData(createReadStream(file), file);
					output.push({
						json: {
							mimeType: binary.mimeType,
							fileName: binary.fileName,
							fileExtension: binary.fileExtension,
							fileSize: binary.fileSize,
						},
						binary: { data: binary },
						pairedItem: { item: itemIndex },
					});
				}
				continue;
			}
			const property = this.getNodeParameter('dataPropertyName', itemIndex) as string;
			const fileName = this.getNodeParameter('fileName', itemIndex) as string;
			const binary = this.helpers.assertBinaryData(itemIndex, property);
			mkdirSync(path.dirname(fileName), { recursive: true });
			const source = binary.id
				? await this.helpers.getBinaryStream(binary.id)
				: (await import('node:stream')).Readable.from(
						await this.helpers.getBinaryDataBuffer(itemIndex, property),
					);
			await pipeline(source, createWriteStream(fileName));
			output.push({
				json: { ...items[itemIndex].json, fileName },
				binary: items[itemIndex].binary,
				pairedItem: { item: itemIndex },
			});
		}
		return [output];
	}
}
