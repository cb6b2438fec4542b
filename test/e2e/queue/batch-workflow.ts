// The example workflow as a queue-mode batch job: its manual trigger replaced by a Webhook node, so
// that each call to the webhook process becomes an execution a worker runs, and its output folder
// split per call (`?run=N`), so that concurrent runs do not write over each other.
import { readFileSync, writeFileSync } from 'node:fs';

export const BATCH_WORKFLOW_ID = 'celanturE2eBtch1';
export const BATCH_PATH = 'celantur-batch';
const BATCH_NODE = 'Batch request';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}

interface WorkflowFile {
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export function writeBatchWorkflow(
	file: string,
	example: string,
	inputDir: string,
	outputDir: string,
): void {
	const text = readFileSync(example, 'utf8').split('/home/node/.n8n-files/in').join(inputDir);
	const workflow = JSON.parse(text) as WorkflowFile;
	const manual = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!manual) throw new Error(`${example} has no manual trigger to replace`);
	const runFolder = `${outputDir}/{{ $('${BATCH_NODE}').first().json.query.run }}`;
	for (const node of workflow.nodes) {
		for (const [key, value] of Object.entries(node.parameters)) {
			if (typeof value === 'string' && value.startsWith('='))
				node.parameters[key] = value.split('/home/node/.n8n-files/out').join(runFolder);
		}
	}
	const webhook: WorkflowNode = {
		...manual,
		name: BATCH_NODE,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '7c2d9e41-5a6b-4f3c-8d2e-1b0a9f8e7d61',
		parameters: { httpMethod: 'POST', path: BATCH_PATH, responseMode: 'onReceived', options: {} },
	};
	workflow.nodes = workflow.nodes.map((node) => (node === manual ? webhook : node));
	workflow.connections[BATCH_NODE] = workflow.connections[manual.name];
	delete workflow.connections[manual.name];
	writeFileSync(
		file,
		JSON.stringify(
			{ ...workflow, id: BATCH_WORKFLOW_ID, name: 'Celantur: batch in queue mode', active: false },
			null,
			2,
		),
	);
}
