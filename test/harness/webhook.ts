import { WebhookContext, getAdditionalKeys } from 'n8n-core';
import type {
	INode,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
	IHttpRequestMethods,
	Workflow,
	IWorkflowDataProxyAdditionalKeys,
} from 'n8n-workflow';
import { Node, UserError } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import type { HarnessContext, WorkflowShape } from './context';
import { instantiateWorkflow } from './context';
import type { WebhookCallResult, WebhookRequest } from './types';
import { encodeBody, parseBody } from './webhook-body';
import { RecordingResponse, createRequest } from './webhook-http';

const MODE = 'webhook';

/**
 * Calls a node's webhook() through n8n-core's WebhookContext, as n8n's webhook server does for a
 * production URL, and answers as n8n would (the node's own response, or n8n's default one). The
 * workflow itself is not run: `workflowData` is what n8n would start it with.
 */
export async function callWebhook(
	context: HarnessContext,
	input: WorkflowShape,
	nodeName: string,
	request: WebhookRequest,
): Promise<WebhookCallResult> {
	const workflow = instantiateWorkflow(context, input);
	const node = workflow.getNode(nodeName);
	if (!node) throw new UserError(`The workflow has no node named "${nodeName}".`);
	const nodeType = context.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType.description.webhooks?.find((webhook) => webhook.name === 'default');
	if (!nodeType.webhook || !description) {
		throw new UserError(`Node "${nodeName}" (${node.type}) has no default webhook.`);
	}

	const additionalData = createAdditionalData({
		credentialsHelper: context.credentialsHelper,
		executionId: request.waiting?.executionId ?? context.nextExecutionId(),
		workflowSettings: workflow.settings,
	});
	const keys = getAdditionalKeys(additionalData, MODE, null);
	const resolve = <T extends string | number>(value: unknown, fallback: T): T =>
		resolveDescriptionValue(workflow, node, keys, value, fallback);

	const httpMethod = (request.method ?? resolve(description.httpMethod, 'POST')).toUpperCase();
	const path = resolve(description.path, '');
	const { rawBody, headers } = encodeBody(request);
	const req = createRequest({
		method: httpMethod,
		path: `/webhook/${node.webhookId ?? workflow.id}/${path}`,
		headers,
		query: request.query ?? {},
		rawBody,
	});
	// A body given as a value is what n8n's parser would have produced; raw bytes are parsed here.
	let parseError: string | undefined;
	if (request.body === undefined || Buffer.isBuffer(request.body)) parseError = parseBody(req);
	else req.body = request.body;
	if (parseError) {
		// n8n's body parser refuses the request before the node sees it.
		return {
			statusCode: 422,
			responseBody: { code: 422, message: 'Failed to parse request body', hint: parseError },
			responseHeaders: JSON_HEADERS,
			staticData: context.staticData.saveIfChanged(input, workflow),
		};
	}

	const res = new RecordingResponse();
	const called = Date.now();
	let answeredAt: number | undefined;
	res.once('finish', () => (answeredAt = Date.now()));
	additionalData.httpRequest = req;
	additionalData.httpResponse = res;
	const webhookData: IWebhookData = {
		httpMethod: httpMethod as IHttpRequestMethods,
		node: node.name,
		path,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest: false,
	};
	const webhookContext = new WebhookContext(
		workflow,
		node,
		additionalData,
		MODE,
		webhookData,
		[],
		request.waiting?.data ?? null,
	);

	let result: IWebhookResponseData | undefined;
	let error: Error | undefined;
	try {
		result = await invokeWebhook(nodeType, webhookContext);
	} catch (thrown) {
		error = thrown instanceof Error ? thrown : new Error(String(thrown));
	}
	if (res.writableEnded && !res.writableFinished) {
		await new Promise<void>((done) => res.once('finish', () => done()));
	}
	const staticData = context.staticData.saveIfChanged(input, workflow);

	const answer = answerFor(result, error, res, resolve(description.responseCode, 200));
	return {
		...answer,
		answeredInMs: answeredAt === undefined ? undefined : answeredAt - called,
		returnedInMs: Date.now() - called,
		workflowData: result?.workflowData,
		webhookResponse: result?.webhookResponse as unknown,
		noWebhookResponse: result?.noWebhookResponse,
		staticData,
		error,
	};
}

type Answer = Pick<WebhookCallResult, 'statusCode' | 'responseBody' | 'responseHeaders'>;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** What the caller receives: the node's own response, or n8n's (response mode "On Received"). */
function answerFor(
	result: IWebhookResponseData | undefined,
	error: Error | undefined,
	res: RecordingResponse,
	responseCode: number,
): Answer {
	if (error) {
		const message = 'Workflow Webhook Error: Workflow could not be started!';
		return { statusCode: 500, responseBody: { code: 500, message }, responseHeaders: JSON_HEADERS };
	}
	if (result?.noWebhookResponse || res.wasSent) {
		return {
			statusCode: res.statusCode,
			responseBody: res.body,
			responseHeaders: res.getHeaders(),
		};
	}
	let responseBody: unknown = { message: 'Workflow was started' };
	if (result?.webhookResponse !== undefined) responseBody = result.webhookResponse as unknown;
	else if (result?.workflowData === undefined) responseBody = { message: 'Webhook call received' };
	return { statusCode: responseCode, responseBody, responseHeaders: JSON_HEADERS };
}

async function invokeWebhook(
	nodeType: INodeType,
	context: WebhookContext,
): Promise<IWebhookResponseData> {
	// As n8n-core calls execute(): new-style Node classes take the context as an argument.
	if (nodeType instanceof Node && nodeType.webhook) return await nodeType.webhook(context);
	if (!nodeType.webhook) throw new UserError('The node has no webhook method.');
	return await nodeType.webhook.call(context);
}

function resolveDescriptionValue<T extends string | number>(
	workflow: Workflow,
	node: INode,
	keys: IWorkflowDataProxyAdditionalKeys,
	value: unknown,
	fallback: T,
): T {
	if (value === undefined || value === null || value === '') return fallback;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value as string,
		MODE,
		keys,
		undefined,
		fallback,
	);
	return (
		typeof fallback === 'number' ? Number(resolved ?? fallback) : String(resolved ?? fallback)
	) as T;
}
