// Step 7: the Celantur node as an AI agent's tool. Workflows Manual Trigger -> AI Agent (the type
// version this n8n ships) with n8n's OpenAI Chat Model, whose credential points at a fake
// OpenAI-compatible server (fake-openai.ts), and the Celantur tool (`celanturTool`, create, nothing
// else set). Run headless with `n8n execute --id`, once per API mode of the Chat Model (Responses
// API on and off, where the model has the switch): the fake model calls the tool with a link to a
// JPEG on loopback, then answers naming the tool result's task id. Checked: the agent's output names
// it; the tool result n8n sent back to the model (recorded by the fake server) is the short form
// with task_status done and an anonymized_url whose image is anonymized; a bad link (404) comes back
// to the model as an item with `error`, and that execution succeeds too. Then the importable
// example examples/agent-anonymize.json is imported, answers a chat message through its Chat
// Trigger (made public for the test), and its canvas is shot in Chromium (docs/screenshots/agent-canvas.png).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import {
	AGENT_NODE,
	AI_CREDENTIALS,
	TOOL_NAME,
	TOOL_NODE,
	agentWorkflow,
	aiTypeVersions,
	writeAgentExample,
	type AiTypeVersions,
} from '../ai-fixtures';
import { aiSetup, type AiSetup } from '../ai-setup';
import type { E2eContext } from '../context';
import type { ModelRequest } from '../fake-openai';
import type { StepContext } from '../reporter';
import { executionError, lastNodeExecuted, nodeOutput } from '../run-data';
import { checkErrorResult, checkGoodResult } from '../tool-result';
import { waitFor } from '../wait';
import { captureAgentCanvas } from './editor-agent';
import { parseExecuteOutput } from './execute';

export const AGENT_EXAMPLE_ID = 'celanturE2eAgEx1';
const CHAT_WEBHOOK_ID = '9d3e2f1a-6b5c-4d7e-8f90-a1b2c3d4e5f6';

interface Mode {
	label: string;
	responsesApi?: boolean;
	api: ModelRequest['api'];
}

function modes(versions: AiTypeVersions): Mode[] {
	if (!versions.responsesSwitch) return [{ label: 'chat completions', api: 'chat' }];
	return [
		{ label: 'responses API', responsesApi: true, api: 'responses' },
		{ label: 'chat completions', responsesApi: false, api: 'chat' },
	];
}

const prompt = (link: string): string =>
	`Please anonymize the faces and licence plates in the image at ${link} and tell me the Celantur task id.`;

/** What one `n8n execute` of an agent workflow did. */
interface AgentRun {
	ok: boolean;
	output: string;
	requests: ModelRequest[];
	toolItems: number;
	tasks: number;
	celanturRequests: number;
	seconds: number;
}

async function runAgent(
	ctx: E2eContext,
	step: StepContext,
	id: string,
	setup: AiSetup,
	where: string,
): Promise<AgentRun> {
	const firstRequest = setup.model.requests.length;
	const tasksBefore = ctx.emulator.tasksCreated();
	const logBefore = ctx.emulator.log.length;
	const result = await ctx.n8n.cli(['execute', `--id=${id}`], 240_000);
	const parsed = parseExecuteOutput(`${result.stdout}\n${result.stderr}`);
	const runData = (parsed.data as { data?: unknown } | undefined)?.data;
	step.check(result.code === 0, `${where}: n8n execute exited ${result.code ?? result.signal}`);
	step.check(
		parsed.ok,
		`${where}: the execution was NOT successful (at "${lastNodeExecuted(runData)}": ${executionError(runData)}; ${parsed.messages.slice(-5).join(' | ')})`,
	);
	const output = String(nodeOutput(runData, AGENT_NODE)?.[0]?.json.output ?? '');
	const toolRuns = (
		runData as
			| { resultData?: { runData?: Record<string, Array<{ data?: { ai_tool?: unknown[][] } }>> } }
			| undefined
	)?.resultData?.runData?.[TOOL_NODE];
	return {
		ok: parsed.ok,
		output,
		requests: setup.model.requests.slice(firstRequest),
		toolItems: toolRuns?.reduce((sum, run) => sum + (run.data?.ai_tool?.[0]?.length ?? 0), 0) ?? 0,
		tasks: ctx.emulator.tasksCreated() - tasksBefore,
		celanturRequests: ctx.emulator.log.length - logBefore,
		seconds: result.ms / 1000,
	};
}

/** The model's two turns: a tool call to the Celantur tool, then (given the result) text. */
function checkConversation(
	step: StepContext,
	where: string,
	run: AgentRun,
	mode: Mode,
): string | undefined {
	step.check(
		run.requests.length === 2,
		`${where}: the model was asked ${run.requests.length} times, expected 2 (tool call, then answer)`,
	);
	step.check(
		run.requests.every((request) => request.api === mode.api),
		`${where}: n8n called ${run.requests.map((request) => request.api).join(',')}, expected ${mode.api}`,
	);
	const [first, second] = run.requests;
	const offered = first?.tools.find((tool) => tool.name === TOOL_NAME);
	step.check(
		offered !== undefined,
		`${where}: the Celantur tool ${TOOL_NAME} was not offered (tools: ${first?.tools.map((tool) => tool.name).join(', ') ?? 'none'})`,
	);
	step.check(
		first !== undefined && 'toolCall' in first.answer,
		`${where}: the fake model did not call the tool: ${JSON.stringify(first?.answer)}`,
	);
	step.check(second?.toolOutput !== undefined, `${where}: the model was not given the tool result`);
	step.check(
		run.toolItems === 1,
		`${where}: the tool node put out ${run.toolItems} items, expected 1`,
	);
	return second?.toolOutput;
}

export async function agentTool(ctx: E2eContext, step: StepContext): Promise<void> {
	const versions = aiTypeVersions(ctx.n8n.options.binary);
	step.figure(
		'types',
		`agent ${versions.agent}, chat model ${versions.chatModel}, chat trigger ${versions.chatTrigger}`,
	);
	const setup = await aiSetup(ctx, ctx.n8n);

	const runs = modes(versions).flatMap((mode, index) => [
		{ mode, good: true, id: `celanturE2eAgnt${index * 2 + 1}` },
		{ mode, good: false, id: `celanturE2eAgnt${index * 2 + 2}` },
	]);
	const workflows = runs.map((run) =>
		agentWorkflow({
			id: run.id,
			name: `Celantur agent (${run.mode.label}, ${run.good ? 'good' : 'bad'} link)`,
			prompt: prompt(run.good ? setup.goodLink : setup.badLink),
			responsesApi: run.mode.responsesApi,
			versions,
		}),
	);
	const file = path.join(ctx.work, 'agent-workflows.json');
	writeFileSync(file, JSON.stringify(workflows, null, 2));
	await ctx.n8n.mustCli(
		['import:workflow', `--input=${file}`],
		new RegExp(`Successfully imported ${workflows.length} workflows`),
	);

	// The credential dialog's test: n8n asks the fake server for its models.
	await ctx.rest.login();
	const credentialTest = await ctx.rest.testCredential({
		...AI_CREDENTIALS.openAi,
		data: { apiKey: 'sk-e2e-fake', url: setup.model.url },
	});
	step.figure(
		'OpenAI credential test',
		`${credentialTest.status} (GET /models x${setup.model.modelListCalls()})`,
	);
	step.check(
		credentialTest.status === 'OK',
		`the OpenAI credential test failed: ${credentialTest.message}`,
	);

	const record: Array<Record<string, unknown>> = [];
	let toolCalls = 0;
	let tasks = 0;
	let celanturRequests = 0;
	const perMode: string[] = [];
	for (const run of runs) {
		const where = `${run.mode.label}, ${run.good ? 'good' : 'bad'} link`;
		const result = await runAgent(ctx, step, run.id, setup, where);
		toolCalls += result.requests.filter((request) => 'toolCall' in request.answer).length;
		tasks += result.tasks;
		celanturRequests += result.celanturRequests;
		const toolOutput = checkConversation(step, where, result, run.mode);
		record.push({
			run: where,
			agentOutput: result.output,
			requests: result.requests.map((request) => ({
				api: request.api,
				stream: request.stream,
				tools: request.tools,
				toolOutput: request.toolOutput,
				answer: request.answer,
			})),
		});
		if (run.good) {
			const good = await checkGoodResult(
				step,
				where,
				toolOutput,
				setup,
				ctx.emulator.storageOrigin,
			);
			step.check(
				result.tasks === 1,
				`${where}: ${result.tasks} tasks were created at the emulator, expected 1`,
			);
			if (good) {
				step.check(
					result.output.includes(String(good.taskId)),
					`${where}: the agent's output does not name task ${good.taskId}: "${result.output}"`,
				);
				perMode.push(
					`${run.mode.label}: task ${good.taskId}, object diff ${good.objectDiffs.map((d) => d.toFixed(0)).join('/')}, far ${good.farDiff.toFixed(1)}, link valid ${good.expiresIn} s, stream ${result.requests.map((r) => r.stream).join('/')}, ${result.seconds.toFixed(1)} s`,
				);
			}
		} else {
			const message = checkErrorResult(step, where, toolOutput, setup.badLink);
			step.check(result.tasks === 0, `${where}: the bad link made ${result.tasks} tasks`);
			step.check(
				result.output.includes('could not be anonymized'),
				`${where}: the agent's output does not pass the error on: "${result.output}"`,
			);
			perMode.push(
				`${run.mode.label}, bad link: "${message ?? '?'}", ${result.celanturRequests} Celantur requests, execution ${result.ok ? 'success' : 'failed'}`,
			);
		}
	}
	writeFileSync(path.join(ctx.work, 'agent-model-requests.json'), JSON.stringify(record, null, 2));
	for (const line of perMode) step.figure('run', line);
	step.figure('tool calls', toolCalls);
	step.figure('tasks created', tasks);
	step.figure('Celantur requests', celanturRequests);
	const leaked = setup.images.requests.filter(
		(request) => request.headers.authorization !== undefined,
	);
	step.figure(
		'image link requests',
		`${setup.images.requests.length} (${leaked.length} with Authorization)`,
	);
	step.check(
		leaked.length === 0,
		'a Celantur token (an Authorization header) was sent to the image link',
	);

	await exampleAnswersChat(ctx, step, setup, versions);
	await captureAgentCanvas(ctx, step, AGENT_EXAMPLE_ID);
}

/** examples/agent-anonymize.json, imported and published with its Chat Trigger public: one chat message. */
async function exampleAnswersChat(
	ctx: E2eContext,
	step: StepContext,
	setup: AiSetup,
	versions: AiTypeVersions,
): Promise<void> {
	const file = path.join(ctx.work, 'agent-example.json');
	writeAgentExample(
		file,
		path.join(ctx.root, 'examples', 'agent-anonymize.json'),
		AGENT_EXAMPLE_ID,
		{
			public: true,
			webhookId: CHAT_WEBHOOK_ID,
		},
	);
	await ctx.n8n.mustCli(['import:workflow', `--input=${file}`], /Successfully imported 1 workflow/);
	const workflow = await ctx.rest.workflow(AGENT_EXAMPLE_ID);
	const known = new Set((await ctx.rest.nodeTypes()).map((type) => type.name));
	const unknown = workflow.nodes.filter((node) => !known.has(node.type)).map((node) => node.type);
	step.check(
		unknown.length === 0,
		`the example uses node types this n8n lacks: ${unknown.join(', ')}`,
	);
	const activated = await ctx.rest.activateWorkflow(AGENT_EXAMPLE_ID, workflow.versionId);
	step.check(activated.active === true, 'the example is not active after publishing');
	const url = `${ctx.n8n.baseUrl}/webhook/${CHAT_WEBHOOK_ID}/chat`;
	const firstRequest = setup.model.requests.length;
	// n8n 2.41 registers a published workflow's webhooks shortly after /activate answers.
	const answer = await waitFor('the chat webhook to be registered', 15_000, async () => {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				action: 'sendMessage',
				sessionId: 'e2e-session',
				chatInput: prompt(setup.goodLink),
			}),
		});
		return response.status === 404
			? undefined
			: { status: response.status, text: await response.text() };
	});
	const requests = setup.model.requests.slice(firstRequest);
	const toolOutput = requests.find((request) => request.toolOutput !== undefined)?.toolOutput;
	const good = await checkGoodResult(
		step,
		'example',
		toolOutput,
		setup,
		ctx.emulator.storageOrigin,
	);
	step.check(
		answer.status === 200,
		`the example's chat answered ${answer.status}: ${answer.text.slice(0, 300)}`,
	);
	step.check(
		good !== undefined && answer.text.includes(String(good.taskId)),
		`the example's chat answer does not name the task: ${answer.text.slice(0, 300)}`,
	);
	step.figure(
		'example chat',
		`${answer.status}, ${requests.length} model calls (${requests[0]?.api ?? '?'}), agent ${versions.agent === 3 ? 3 : `3 (this n8n ships ${versions.agent})`}, task ${good?.taskId ?? '?'}`,
	);
	await ctx.rest.deactivateWorkflow(AGENT_EXAMPLE_ID);
}
