import type { IConnections, IDataObject, INode, IWorkflowSettings } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { BinaryDataHandle } from './binary-data';
import type { HarnessCredentialsHelper } from './credentials-helper';
import type { HarnessNodeTypes } from './node-types';
import type { StaticDataStore } from './static-data';

/** What run() and callWebhook() share for the harness's lifetime. */
export interface HarnessContext {
	nodeTypes: HarnessNodeTypes;
	credentialsHelper: HarnessCredentialsHelper;
	staticData: StaticDataStore;
	binaryData: BinaryDataHandle;
	nextExecutionId(): string;
	workflowId(workflowInput: object): string;
}

export interface WorkflowShape {
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

/**
 * An n8n Workflow for one execution or call. n8n's Workflow fills default parameters into the
 * nodes it is given and wraps the static data, so it gets copies and the test's objects stay as written.
 */
export function instantiateWorkflow(context: HarnessContext, input: WorkflowShape): Workflow {
	return new Workflow({
		id: context.workflowId(input),
		name: 'Harness workflow',
		nodes: structuredClone(input.nodes),
		connections: structuredClone(input.connections),
		// New workflows in n8n 1.x+ are saved with v1 execution order.
		settings: { executionOrder: 'v1', ...structuredClone(input.settings ?? {}) },
		staticData: context.staticData.load(input),
		active: false,
		nodeTypes: context.nodeTypes,
	});
}
