import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, jsonParse } from 'n8n-workflow';
import { createReadStream } from 'node:fs';
import path from 'node:path';

export const READ_FIXTURE_TYPE = 'test.readFixture';

/** One entry of the `files` parameter; with no path, base64 or text the item has no binary. */
export interface FixtureEntry {
	/** A file to read from disk, absolute or relative to the working directory. */
	path?: string;
	/** Inline bytes. */
	base64?: string;
	/** Inline UTF-8 text. */
	text?: string;
	/** Binary property name, default `data`. */
	property?: string;
	mimeType?: string;
	fileName?: string;
	/** The item's json, default `{}`. */
	json?: IDataObject;
}

/**
 * Emits one item per entry, storing bytes with prepareBinaryData as n8n's "Read/Write Files from
 * Disk" node does: a file is streamed, so in filesystem mode the bytes go straight to disk.
 */
export class ReadFixture implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read Fixture',
		name: READ_FIXTURE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Test-only: emits items with binary data from files or inline bytes',
		defaults: { name: 'Read Fixture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Files',
				name: 'files',
				type: 'json',
				default: '[]',
				description:
					'A JSON array of {path | base64 | text, property?, mimeType?, fileName?, json?}',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('files', 0) as string | FixtureEntry[];
		const entries = typeof raw === 'string' ? jsonParse<FixtureEntry[]>(raw) : raw;
		if (!Array.isArray(entries)) {
			throw new NodeOperationError(this.getNode(), 'The "files" parameter must be a JSON array');
		}
		const items: INodeExecutionData[] = [];
		for (const entry of entries) {
			const item: INodeExecutionData = { json: { ...(entry.json ?? {}) }, pairedItem: { item: 0 } };
			const binary = await readEntry(this, entry);
			if (binary) item.binary = { [entry.property ?? 'data']: binary };
			items.push(item);
		}
		return [items];
	}
}

async function readEntry(
	context: IExecuteFunctions,
	entry: FixtureEntry,
): Promise<IBinaryData | undefined> {
	if (entry.path !== undefined) {
		// Not n8n's createReadStream: n8n 2.x confines it to ~/.n8n-files unless configured.
		const filePath = path.resolve(entry.path);
		return await context.helpers.prepareBinaryData(
			createReadStream(filePath),
			entry.fileName ?? filePath,
			entry.mimeType,
		);
	}
	const bytes =
		entry.base64 !== undefined
			? Buffer.from(entry.base64, 'base64')
			: entry.text !== undefined
				? Buffer.from(entry.text, 'utf8')
				: undefined;
	if (bytes === undefined) return undefined;
	return await context.helpers.prepareBinaryData(bytes, entry.fileName, entry.mimeType);
}
