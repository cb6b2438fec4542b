// A fake OpenAI-compatible model server on loopback, for n8n's OpenAI Chat Model (its `openAiApi`
// credential's `url` is the base URL). It serves what that node and its credential test call:
//   GET  /models             the credential test and the model list
//   POST /responses          the Responses API (the Chat Model 1.3's default), streamed or not
//   POST /chat/completions   Chat Completions (the Chat Model with "Use Responses API" off), streamed or not
// It plays one scripted model, stateless per request: asked without a tool result in the
// conversation, it calls the tool that takes `image_url` with the first http(s) link of the user's
// message; asked with a tool result, it answers in text that names the result's task_id (or its
// error). Every request is recorded, with the tools n8n offered and the tool output n8n sent back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ModelApi = 'responses' | 'chat';

/** A function tool as n8n offered it, in either API's shape, reduced to one form. */
export interface OfferedTool {
	name: string;
	description: string;
	parameters: Record<string, unknown>;
}

export interface ModelRequest {
	api: ModelApi;
	stream: boolean;
	model: string;
	tools: OfferedTool[];
	/** The last user message's text. */
	userText: string;
	/** The tool output in the conversation (n8n's JSON text), if any. */
	toolOutput?: string;
	/** What the fake model answered: a tool call or text. */
	answer: { toolCall: { name: string; arguments: Record<string, unknown> } } | { text: string };
	/** The request's body as n8n sent it. */
	body: Record<string, unknown>;
}

export interface FakeOpenAi {
	/** The credential's `url`: the server's root (n8n appends /responses, /chat/completions, /models). */
	readonly url: string;
	readonly requests: ModelRequest[];
	/** GET /models calls. */
	modelListCalls(): number;
	close(): Promise<void>;
}

export const FAKE_MODEL = 'gpt-e2e-fake';
const LINK = /https?:\/\/[^\s"'<>)]+/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a message's content: a string, or parts with `text`. */
function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
			.join('');
	return '';
}

function offeredTools(api: ModelApi, body: Json): OfferedTool[] {
	const tools = Array.isArray(body.tools) ? body.tools : [];
	const offered: OfferedTool[] = [];
	for (const tool of tools) {
		if (!isObject(tool) || tool.type !== 'function') continue;
		const fn = api === 'chat' ? tool.function : tool;
		if (!isObject(fn) || typeof fn.name !== 'string') continue;
		offered.push({
			name: fn.name,
			description: typeof fn.description === 'string' ? fn.description : '',
			parameters: isObject(fn.parameters) ? fn.parameters : {},
		});
	}
	return offered;
}

/** The conversation's last user text and its tool output, whichever API shaped it. */
function conversation(api: ModelApi, body: Json): { userText: string; toolOutput?: string } {
	let userText = '';
	let toolOutput: string | undefined;
	if (api === 'chat') {
		for (const message of Array.isArray(body.messages) ? body.messages : []) {
			if (!isObject(message)) continue;
			if (message.role === 'user') userText = contentText(message.content);
			if (message.role === 'tool') toolOutput = contentText(message.content);
		}
	} else {
		const input =
			typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
		for (const item of Array.isArray(input) ? input : []) {
			if (!isObject(item)) continue;
			if (item.role === 'user') userText = contentText(item.content);
			if (item.type === 'function_call_output')
				toolOutput = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
		}
	}
	return { userText, toolOutput };
}

/** What the scripted model says about a tool output: the task id it names, or the error. */
export function describeToolOutput(toolOutput: string): string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(toolOutput);
	} catch {
		return `The tool answered something that is not JSON: ${toolOutput.slice(0, 200)}`;
	}
	const first = Array.isArray(parsed) ? parsed[0] : parsed;
	if (!isObject(first)) return `The tool answered ${toolOutput.slice(0, 200)}`;
	if (typeof first.error === 'string' || isObject(first.error))
		return `The image could not be anonymized: ${typeof first.error === 'string' ? first.error : JSON.stringify(first.error)}`;
	return `The image is anonymized: Celantur task ${String(first.task_id)} is ${String(first.task_status)}; the result is at ${String(first.anonymized_url)}`;
}

function decide(
	tools: OfferedTool[],
	userText: string,
	toolOutput?: string,
): ModelRequest['answer'] {
	if (toolOutput !== undefined) return { text: describeToolOutput(toolOutput) };
	const tool =
		tools.find(
			(candidate) =>
				isObject(candidate.parameters.properties) && 'image_url' in candidate.parameters.properties,
		) ?? tools[0];
	const link = LINK.exec(userText)?.[0]?.replace(/[.,;:!?]+$/, '');
	if (!tool || !link)
		return {
			text: `No tool to call (${tools.length} offered) or no link in "${userText.slice(0, 200)}"`,
		};
	return { toolCall: { name: tool.name, arguments: { image_url: link } } };
}

const usage = { input_tokens: 42, output_tokens: 7, total_tokens: 49 };

function responsesBody(id: number, answer: ModelRequest['answer']): Json {
	const output =
		'toolCall' in answer
			? [
					{
						type: 'function_call',
						id: `fc_${id}`,
						call_id: `call_${id}`,
						name: answer.toolCall.name,
						arguments: JSON.stringify(answer.toolCall.arguments),
						status: 'completed',
					},
				]
			: [
					{
						type: 'message',
						id: `msg_${id}`,
						role: 'assistant',
						status: 'completed',
						content: [{ type: 'output_text', text: answer.text, annotations: [] }],
					},
				];
	return {
		id: `resp_${id}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model: FAKE_MODEL,
		output,
		output_text: 'text' in answer ? answer.text : '',
		parallel_tool_calls: true,
		tool_choice: 'auto',
		tools: [],
		usage,
		error: null,
		incomplete_details: null,
		metadata: {},
	};
}

/** The Responses API's stream events for one answer (those LangChain's converter reads). */
function responsesEvents(id: number, answer: ModelRequest['answer']): Json[] {
	const full = responsesBody(id, answer);
	const item = (full.output as Json[])[0];
	const inProgress = { ...full, status: 'in_progress', output: [] };
	const events: Json[] = [{ type: 'response.created', response: inProgress }];
	if ('toolCall' in answer) {
		events.push(
			{
				type: 'response.output_item.added',
				output_index: 0,
				item: { ...item, arguments: '', status: 'in_progress' },
			},
			{
				type: 'response.function_call_arguments.delta',
				output_index: 0,
				item_id: item.id,
				delta: item.arguments,
			},
			{
				type: 'response.function_call_arguments.done',
				output_index: 0,
				item_id: item.id,
				arguments: item.arguments,
			},
		);
	} else {
		events.push(
			{
				type: 'response.output_item.added',
				output_index: 0,
				item: { ...item, content: [], status: 'in_progress' },
			},
			{
				type: 'response.content_part.added',
				output_index: 0,
				item_id: item.id,
				content_index: 0,
				part: { type: 'output_text', text: '', annotations: [] },
			},
			{
				type: 'response.output_text.delta',
				output_index: 0,
				item_id: item.id,
				content_index: 0,
				delta: answer.text,
			},
			{
				type: 'response.output_text.done',
				output_index: 0,
				item_id: item.id,
				content_index: 0,
				text: answer.text,
			},
		);
	}
	events.push(
		{ type: 'response.output_item.done', output_index: 0, item },
		{ type: 'response.completed', response: full },
	);
	return events.map((event, n) => ({ ...event, sequence_number: n }));
}

function chatMessage(id: number, answer: ModelRequest['answer']): Json {
	return 'toolCall' in answer
		? {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: `call_${id}`,
						type: 'function',
						function: {
							name: answer.toolCall.name,
							arguments: JSON.stringify(answer.toolCall.arguments),
						},
					},
				],
			}
		: { role: 'assistant', content: answer.text };
}

function chatBody(id: number, answer: ModelRequest['answer']): Json {
	return {
		id: `chatcmpl-${id}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: FAKE_MODEL,
		choices: [
			{
				index: 0,
				message: chatMessage(id, answer),
				finish_reason: 'toolCall' in answer ? 'tool_calls' : 'stop',
				logprobs: null,
			},
		],
		usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
	};
}

function chatChunks(id: number, answer: ModelRequest['answer'], withUsage: boolean): Json[] {
	const base = {
		id: `chatcmpl-${id}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: FAKE_MODEL,
	};
	const delta =
		'toolCall' in answer
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							index: 0,
							id: `call_${id}`,
							type: 'function',
							function: {
								name: answer.toolCall.name,
								arguments: JSON.stringify(answer.toolCall.arguments),
							},
						},
					],
				}
			: { role: 'assistant', content: answer.text };
	const chunks: Json[] = [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{
			...base,
			choices: [
				{ index: 0, delta: {}, finish_reason: 'toolCall' in answer ? 'tool_calls' : 'stop' },
			],
		},
	];
	if (withUsage)
		chunks.push({
			...base,
			choices: [],
			usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
		});
	return chunks;
}

async function readJson(request: IncomingMessage): Promise<Json> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
	return isObject(parsed) ? parsed : {};
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

function sendEvents(response: ServerResponse, events: Json[], named: boolean, done: boolean): void {
	response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	for (const event of events)
		response.write(
			`${named ? `event: ${String(event.type)}\n` : ''}data: ${JSON.stringify(event)}\n\n`,
		);
	if (done) response.write('data: [DONE]\n\n');
	response.end();
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
	const requests: ModelRequest[] = [];
	let modelLists = 0;
	let counter = 0;
	const server: Server = createServer((request, response) => {
		void (async () => {
			const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.replace(
				/^\/v1(?=\/)/,
				'',
			);
			if (request.method === 'GET' && path === '/models') {
				modelLists++;
				sendJson(response, 200, {
					object: 'list',
					data: [
						{ id: FAKE_MODEL, object: 'model', created: 1_700_000_000, owned_by: 'celantur-e2e' },
					],
				});
				return;
			}
			const api: ModelApi | undefined =
				request.method === 'POST' && path === '/responses'
					? 'responses'
					: request.method === 'POST' && path === '/chat/completions'
						? 'chat'
						: undefined;
			if (!api) {
				sendJson(response, 404, {
					error: { message: `no route ${request.method} ${path}`, type: 'invalid_request_error' },
				});
				return;
			}
			const body = await readJson(request);
			const id = ++counter;
			const tools = offeredTools(api, body);
			const { userText, toolOutput } = conversation(api, body);
			const answer = decide(tools, userText, toolOutput);
			const stream = body.stream === true;
			requests.push({
				api,
				stream,
				model: String(body.model),
				tools,
				userText,
				toolOutput,
				answer,
				body,
			});
			if (api === 'responses') {
				if (stream) sendEvents(response, responsesEvents(id, answer), true, false);
				else sendJson(response, 200, responsesBody(id, answer));
			} else if (stream) {
				const options = isObject(body.stream_options) ? body.stream_options : {};
				sendEvents(response, chatChunks(id, answer, options.include_usage === true), false, true);
			} else sendJson(response, 200, chatBody(id, answer));
		})().catch((error: unknown) => {
			if (!response.headersSent)
				sendJson(response, 500, { error: { message: String(error), type: 'server_error' } });
			else response.end();
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		modelListCalls: () => modelLists,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
