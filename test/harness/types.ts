import type {
	IRunExecutionData,
	ExecutionBaseError,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import type { CredentialStore } from './credential-store';

export interface HarnessCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

export type BinaryMode = 'filesystem' | 'default';

export interface HarnessOptions {
	/** Type name -> instance, e.g. `{ 'CUSTOM.celantur': new Celantur() }`. The test nodes are added. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Credential name -> instance, e.g. `{ celanturApi: new CelanturApi() }`. The test credential is added. */
	credentialTypes?: Record<string, ICredentialType>;
	credentials?: HarnessCredential[];
	/** 'filesystem' (the default) keeps binary data on disk in a temp dir, as n8n does by default. */
	binaryMode?: BinaryMode;
}

export interface WorkflowInput {
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

export interface RunOptions {
	/** Stops the execution as n8n's execution timeout does (nodes see the cancel signal). */
	timeoutMs?: number;
	/** Cancels the execution, as a user pressing Stop. */
	signal?: AbortSignal;
	/** Defaults to 'manual' (the editor's "Execute workflow"); 'trigger' runs as a production execution. */
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	runData: IRunData;
	/** The execution's error, if it failed. WorkflowExecute stores it as a plain copy: read name/message/description. */
	error?: ExecutionBaseError | Error;
	status: ExecutionStatus;
	/** Everything WorkflowExecute returned. */
	run: IRun;
	/** The node's last run output items; throws if the node never ran. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Reads the bytes whatever the binary mode. */
	binary(item: INodeExecutionData, property: string): Promise<Buffer>;
}

export interface WebhookRequest {
	method?: string;
	headers?: Record<string, string>;
	body?: unknown;
	rawBody?: Buffer;
	query?: Record<string, string>;
	/**
	 * A waiting execution to deliver to, as n8n's `/webhook-waiting/<id>` route does: the node's
	 * webhook() then sees the execution's data (its stack entry's input) and its id.
	 */
	waiting?: { executionId: string; data: IRunExecutionData };
}

export interface WebhookCallResult {
	statusCode: number;
	responseBody: unknown;
	responseHeaders: Record<string, string>;
	workflowData?: INodeExecutionData[][];
	webhookResponse?: unknown;
	noWebhookResponse?: boolean;
	/** The workflow's static data after the call (also kept for the next call with the same workflow object). */
	staticData: IDataObject;
	/** What the node's webhook() threw; n8n answers such a call with 500. */
	error?: Error;
	/** When the node's own response was sent, from the call's start; undefined if it sent none. */
	answeredInMs?: number;
	/** When the node's webhook() returned, from the call's start. */
	returnedInMs?: number;
}

export interface TriggeredRun {
	call: WebhookCallResult;
	/** The execution the call started; undefined when the call returned no items. */
	run?: RunResult;
}

export interface Harness {
	/** Static data is kept per workflow object here too, as n8n saves it after an execution. */
	run(workflow: WorkflowInput, options?: RunOptions): Promise<RunResult>;
	/** Pass the same workflow object again to see the static data the previous call saved. */
	callWebhook(
		workflow: WorkflowInput,
		nodeName: string,
		request: WebhookRequest,
	): Promise<WebhookCallResult>;
	/**
	 * As n8n serves a production webhook: the call, then (if it returned items) the execution it
	 * starts, with the webhook node first and its items as input.
	 */
	triggerWebhook(
		workflow: WorkflowInput,
		nodeName: string,
		request: WebhookRequest,
	): Promise<TriggeredRun>;
	credentials: CredentialStore;
	binaryMode: BinaryMode;
	/** Reads a binary property's bytes whatever the binary mode. */
	readBinary(item: INodeExecutionData, property: string): Promise<Buffer>;
	close(): Promise<void>;
}
