// The importable example workflows as a user imports them, with their folders pointed elsewhere,
// ready for the harness.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, INode } from 'n8n-workflow';

import {
	ConvertToFileStandIn,
	CONVERT_TO_FILE_TYPE,
	IF_TYPE,
	IfStandIn,
	ManualStart,
	READ_WRITE_FILE_TYPE,
	ReadWriteFileStandIn,
} from '../harness';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');
export const FOLDER_EXAMPLE = path.join(EXAMPLES_DIR, 'folder-to-folder.json');
/** The folders the folder example reads from and writes to, as a Docker install of n8n has them. */
export const EXAMPLE_IN = '/home/node/.n8n-files/in';
export const EXAMPLE_OUT = '/home/node/.n8n-files/out';

export interface ExampleWorkflow {
	nodes: INode[];
	connections: IConnections;
}

/** n8n's own node types the examples use, as the harness's stand-ins. */
export function exampleNodeTypes() {
	return {
		'n8n-nodes-base.manualTrigger': new ManualStart(),
		[READ_WRITE_FILE_TYPE]: new ReadWriteFileStandIn(),
		[CONVERT_TO_FILE_TYPE]: new ConvertToFileStandIn(),
		[IF_TYPE]: new IfStandIn(),
	};
}

/** The example with its folders replaced; sticky notes (which never run) are left out. */
export function loadExample(file: string, inputDir: string, outputDir: string): ExampleWorkflow {
	const text = readFileSync(file, 'utf8')
		.split(EXAMPLE_IN)
		.join(inputDir)
		.split(EXAMPLE_OUT)
		.join(outputDir);
	const workflow = JSON.parse(text) as ExampleWorkflow;
	return {
		...workflow,
		nodes: workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote'),
	};
}
