import { testCredentialTypes, testNodeTypes } from '../nodes';
import { acquireBinaryData } from './binary-data';
import type { BinaryDataHandle } from './binary-data';
import type { HarnessContext } from './context';
import { CredentialStore } from './credential-store';
import { HarnessCredentialTypes } from './credential-types';
import { HarnessCredentialsHelper } from './credentials-helper';
import { acquireN8nProcess, releaseN8nProcess } from './n8n-process';
import { HarnessNodeTypes } from './node-types';
import { readBinary } from './run-result';
import { runWorkflow } from './run-workflow';
import { StaticDataStore } from './static-data';
import type { Harness, HarnessOptions } from './types';
import { callWebhook } from './webhook';

export type {
	BinaryMode,
	Harness,
	HarnessCredential,
	HarnessOptions,
	RunOptions,
	RunResult,
	TriggeredRun,
	WebhookCallResult,
	WebhookRequest,
	WorkflowInput,
} from './types';
export { CredentialStore } from './credential-store';
export { connect, node, workflow } from './workflow-builders';
export type { NodeOptions, WorkflowExtras } from './workflow-builders';
export * from '../nodes';

let harnessCount = 0;

/**
 * Real n8n-core executions in-process. Close it in afterAll/afterEach: it owns temp dirs and
 * shuts n8n-core's background managers down when the last harness of the test file closes.
 */
export async function createHarness(options: HarnessOptions): Promise<Harness> {
	acquireN8nProcess();
	let binaryData: BinaryDataHandle;
	try {
		binaryData = await acquireBinaryData(options.binaryMode ?? 'filesystem');
	} catch (error) {
		releaseN8nProcess();
		throw error;
	}

	const harnessId = ++harnessCount;
	const nodeTypes = new HarnessNodeTypes({ ...testNodeTypes(), ...options.nodeTypes });
	const credentialTypes = new HarnessCredentialTypes({
		...testCredentialTypes(),
		...options.credentialTypes,
	});
	const credentials = new CredentialStore(options.credentials);
	const workflowIds = new WeakMap<object, string>();
	let executions = 0;
	let workflows = 0;
	const context: HarnessContext = {
		nodeTypes,
		credentialsHelper: new HarnessCredentialsHelper(credentials, credentialTypes, nodeTypes),
		staticData: new StaticDataStore(),
		binaryData,
		nextExecutionId: () => `${harnessId}-${++executions}`,
		workflowId: (input) => {
			let id = workflowIds.get(input);
			if (id === undefined) {
				id = `harness-${harnessId}-workflow-${++workflows}`;
				workflowIds.set(input, id);
			}
			return id;
		},
	};

	let closed = false;
	return {
		credentials,
		binaryMode: binaryData.mode,
		run: async (input, runOptions) => await runWorkflow(context, input, runOptions),
		callWebhook: async (input, nodeName, request) =>
			await callWebhook(context, input, nodeName, request),
		triggerWebhook: async (input, nodeName, request) => {
			const call = await callWebhook(context, input, nodeName, request);
			if (!call.workflowData) return { call };
			const run = await runWorkflow(
				context,
				input,
				{},
				{ nodeName, workflowData: call.workflowData },
			);
			return { call, run };
		},
		readBinary: async (item, property) => await readBinary(binaryData, item, property),
		close: async () => {
			if (closed) return;
			closed = true;
			binaryData.release();
			releaseN8nProcess();
		},
	};
}
