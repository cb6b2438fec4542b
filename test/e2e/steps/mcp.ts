// Step 8: the Celantur node as an MCP tool. A workflow with n8n's MCP Server Trigger (the type
// version this n8n ships, Bearer auth) and the Celantur tool on its ai_tool input is imported and
// published; an MCP client (@modelcontextprotocol/sdk) on Streamable HTTP and on SSE lists the
// tools (the Celantur tool with `image_url` in its input schema) and calls it with a link to a
// JPEG: the result is the short form with task_status done and an anonymized_url whose image is
// anonymized. A bad link comes back as a result with `error`; no token or a wrong one is refused.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import {
	MCP_PATH,
	MCP_WORKFLOW_ID,
	TOOL_NAME,
	aiTypeVersions,
	mcpWorkflow,
	type AiTypeVersions,
} from '../ai-fixtures';
import { aiSetup, type AiSetup } from '../ai-setup';
import type { E2eContext } from '../context';
import { connectMcp, initializeStatus, type McpTool, type McpTransportKind } from '../mcp-client';
import type { N8nInstance } from '../n8n-instance';
import type { StepContext } from '../reporter';
import type { N8nRest } from '../rest-client';
import { checkErrorResult, checkGoodResult } from '../tool-result';
import { waitFor } from '../wait';

export const mcpUrl = (baseUrl: string): string => `${baseUrl}/mcp/${MCP_PATH}`;

/** Imports the MCP workflow with `n8n import:workflow` on `n8n` and publishes it; returns its published version. */
export async function publishMcpWorkflow(
	work: string,
	n8n: N8nInstance,
	rest: N8nRest,
	versions: AiTypeVersions,
): Promise<string> {
	const file = path.join(work, 'mcp-workflow.json');
	writeFileSync(file, JSON.stringify(mcpWorkflow(versions), null, 2));
	await n8n.mustCli(['import:workflow', `--input=${file}`], /Successfully imported 1 workflow/);
	const workflow = await rest.workflow(MCP_WORKFLOW_ID);
	const activated = await rest.activateWorkflow(MCP_WORKFLOW_ID, workflow.versionId);
	if (activated.active !== true) throw new Error('the MCP workflow is not active after publishing');
	return activated.activeVersionId ?? workflow.versionId;
}

/** Waits until the MCP endpoint is served (n8n 2.41 registers webhooks shortly after /activate). */
export async function mcpServed(url: string): Promise<number> {
	const started = Date.now();
	await waitFor('the MCP endpoint to be registered', 20_000, async () =>
		(await initializeStatus(url)) === 404 ? undefined : true,
	);
	return Date.now() - started;
}

/** The Celantur tool as the server lists it: present, with `image_url` in its input schema. */
export function checkListedTool(
	step: StepContext,
	where: string,
	tools: McpTool[],
): McpTool | undefined {
	const tool = tools.find((candidate) => candidate.name === TOOL_NAME);
	step.check(
		tool !== undefined,
		`${where}: ${TOOL_NAME} is not listed (tools: ${tools.map((t) => t.name).join(', ')})`,
	);
	step.check(
		tool?.inputSchema.properties?.image_url !== undefined,
		`${where}: the input schema has no image_url: ${JSON.stringify(tool?.inputSchema)}`,
	);
	return tool;
}

interface TransportRun {
	kind: McpTransportKind;
	tools: McpTool[];
	good?: string;
	bad?: string;
}

async function overTransport(
	step: StepContext,
	url: string,
	setup: AiSetup,
	kind: McpTransportKind,
	storageOrigin: string,
	withBadLink: boolean,
): Promise<{ run: TransportRun; line: string }> {
	const session = await connectMcp(url, setup.bearerToken, kind);
	try {
		const tools = await session.listTools();
		checkListedTool(step, kind, tools);
		const good = await session.callTool(TOOL_NAME, { image_url: setup.goodLink });
		step.check(
			!good.isError,
			`${kind}: the good link's call came back as an MCP error: ${good.text.slice(0, 300)}`,
		);
		const result = await checkGoodResult(step, kind, good.text, setup, storageOrigin);
		const run: TransportRun = { kind, tools, good: good.text };
		let line = `${tools.length} tool(s), task ${result?.taskId ?? '?'} in ${(good.ms / 1000).toFixed(1)} s, object diff ${result?.objectDiffs.map((d) => d.toFixed(0)).join('/') ?? '?'}`;
		if (withBadLink) {
			const bad = await session.callTool(TOOL_NAME, { image_url: setup.badLink });
			run.bad = bad.text;
			const message = checkErrorResult(step, `${kind}, bad link`, bad.text, setup.badLink);
			line += `; bad link: "${message ?? '?'}"${bad.isError ? ' (isError)' : ''}`;
		}
		return { run, line };
	} finally {
		await session.close();
	}
}

export async function mcpTool(ctx: E2eContext, step: StepContext): Promise<void> {
	const versions = aiTypeVersions(ctx.n8n.options.binary);
	step.figure('MCP Server Trigger', versions.mcpTrigger);
	const setup = await aiSetup(ctx, ctx.n8n);
	await ctx.rest.login();
	await publishMcpWorkflow(ctx.work, ctx.n8n, ctx.rest, versions);
	const url = mcpUrl(ctx.n8n.baseUrl);
	step.figure('endpoint live after', `${await mcpServed(url)} ms`);

	const noToken = await initializeStatus(url);
	const wrongToken = await initializeStatus(url, 'Bearer not-the-token');
	step.figure('refused', `no token ${noToken}, wrong token ${wrongToken}`);
	step.check([401, 403].includes(noToken), `a client without a token got ${noToken}`);
	step.check([401, 403].includes(wrongToken), `a client with a wrong token got ${wrongToken}`);

	const tasksBefore = ctx.emulator.tasksCreated();
	const logBefore = ctx.emulator.log.length;
	const runs: TransportRun[] = [];
	for (const kind of ['streamable-http', 'sse'] as const) {
		const { run, line } = await overTransport(
			step,
			url,
			setup,
			kind,
			ctx.emulator.storageOrigin,
			kind === 'streamable-http',
		);
		runs.push(run);
		step.figure(kind, line);
	}
	const tasks = ctx.emulator.tasksCreated() - tasksBefore;
	step.figure('tool calls', 3);
	step.figure('tasks created', tasks);
	step.figure('Celantur requests', ctx.emulator.log.length - logBefore);
	step.check(tasks === 2, `${tasks} tasks were created for 2 good links and 1 bad one`);
	const executions = await ctx.rest.executions(MCP_WORKFLOW_ID);
	step.figure(
		'executions recorded',
		executions.length
			? executions.map((execution) => `${execution.mode}/${execution.status}`).join(',')
			: 'none',
	);
	writeFileSync(path.join(ctx.work, 'mcp-record.json'), JSON.stringify(runs, null, 2));
	await ctx.rest.deactivateWorkflow(MCP_WORKFLOW_ID);
}
