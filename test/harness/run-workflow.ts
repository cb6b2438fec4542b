import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowBase,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, UserError } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import type { HarnessContext, WorkflowShape } from './context';
import { instantiateWorkflow } from './context';
import { createRunResult } from './run-result';
import type { RunOptions, RunResult } from './types';

/** What a webhook handed n8n to start a run with: its node and the items it returned. */
export interface WebhookStart {
	nodeName: string;
	workflowData: INodeExecutionData[][];
}

/**
 * Runs a whole workflow through n8n-core's WorkflowExecute, as n8n's WorkflowRunner does in-process.
 * With `from`, the run starts as n8n starts one for a webhook call: the webhook node first on the
 * stack with the items its webhook() returned, so a node that also has execute() runs it then.
 */
export async function runWorkflow(
	context: HarnessContext,
	input: WorkflowShape,
	options: RunOptions = {},
	from?: WebhookStart,
): Promise<RunResult> {
	const mode: WorkflowExecuteMode = options.mode ?? (from ? 'webhook' : 'manual');
	const workflow = instantiateWorkflow(context, input);
	const executionId = context.nextExecutionId();
	const hooks = new ExecutionLifecycleHooks(mode, executionId, describeWorkflow(workflow, input));

	const timeoutMs = options.timeoutMs ?? secondsToMs(workflow.settings.executionTimeout);
	const additionalData = createAdditionalData({
		credentialsHelper: context.credentialsHelper,
		executionId,
		hooks,
		workflowSettings: workflow.settings,
	});
	if (timeoutMs !== undefined) additionalData.executionTimeoutTimestamp = Date.now() + timeoutMs;

	let execution: ReturnType<WorkflowExecute['run']>;
	let workflowExecute: WorkflowExecute;
	if (from) {
		const startNode = workflow.getNode(from.nodeName);
		if (!startNode) throw new UserError(`The workflow has no node named "${from.nodeName}".`);
		const runData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: startNode, data: { main: from.workflowData }, source: null }],
			},
		});
		workflowExecute = new WorkflowExecute(additionalData, mode, runData);
		execution = workflowExecute.processRunExecutionData(workflow);
	} else {
		workflowExecute = new WorkflowExecute(additionalData, mode);
		execution = workflowExecute.run({ workflow, startNode: startNodeOf(workflow) });
	}

	// As n8n's ActiveExecutions.stopExecution: cancel, and let the nodes see the abort signal.
	const stop = () => execution.cancel();
	options.signal?.addEventListener('abort', stop, { once: true });
	if (options.signal?.aborted) stop();
	const timer =
		timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					workflowExecute.timedOut = true;
					stop();
				}, timeoutMs);

	let run: IRun;
	try {
		run = await execution;
	} finally {
		if (timer) clearTimeout(timer);
		options.signal?.removeEventListener('abort', stop);
	}
	// n8n saves a workflow's static data after production executions only, not manual ones.
	if (mode !== 'manual') context.staticData.saveIfChanged(input, workflow);
	return createRunResult(run, context.binaryData);
}

function startNodeOf(workflow: Workflow): INode {
	const start = workflow.getStartNode();
	if (start) return start;
	// Without a trigger n8n has no start node; the first node without inputs is what a test means.
	const withInput = new Set(Object.keys(workflow.connectionsByDestinationNode));
	const root = Object.values(workflow.nodes).find(
		(node) => !withInput.has(node.name) && !node.disabled,
	);
	if (!root) throw new UserError('The workflow has no node to start from.');
	return root;
}

function secondsToMs(seconds: number | undefined): number | undefined {
	return seconds !== undefined && seconds > 0 ? seconds * 1000 : undefined;
}

function describeWorkflow(workflow: Workflow, input: WorkflowShape): IWorkflowBase {
	const now = new Date();
	return {
		id: workflow.id,
		name: workflow.name ?? '',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes: input.nodes,
		connections: input.connections,
		settings: workflow.settings,
	};
}
