// Queue-mode step 5: the MCP workflow (MCP Server Trigger + the Celantur tool) published on the
// main process; an MCP client at the webhook processor's /mcp/<path> lists the tools and calls the
// Celantur tool with a link to a JPEG. n8n hands the call to a worker: the call's execution is
// named in a worker's log ("Worker started execution N"), the tool runs there (2.41: as a node of
// that execution, its output the client's task; 2.8: invoked by the worker's job processor after
// the execution, so the task is created after the worker finished it), and the answer comes back
// to the client through the webhook processor.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { MCP_WORKFLOW_ID, TOOL_NAME, TOOL_NODE, aiTypeVersions } from '../ai-fixtures';
import { aiSetup } from '../ai-setup';
import { parseFlatted } from '../flatted';
import { connectMcp, type McpTransportKind } from '../mcp-client';
import type { StepContext } from '../reporter';
import type { ExecutionSummary } from '../rest-client';
import { checkListedTool, mcpServed, mcpUrl, publishMcpWorkflow } from '../steps/mcp';
import { checkGoodResult } from '../tool-result';
import { sleep } from '../wait';
import type { QueueContext } from './context';
import { workersOf } from './steps';

interface Call {
	kind: McpTransportKind;
	start: number;
	end: number;
	taskId?: number;
}

const FINISHED = (execution: ExecutionSummary): boolean =>
	!['new', 'running', 'waiting', 'queued'].includes(execution.status);

export async function mcpToolOnWorker(ctx: QueueContext, step: StepContext): Promise<void> {
	const { main, webhook } = ctx.topology;
	const versions = aiTypeVersions(main.options.binary);
	step.figure('MCP Server Trigger', versions.mcpTrigger);
	const setup = await aiSetup(ctx, main);
	await publishMcpWorkflow(ctx.work, main, ctx.rest, versions);
	const url = mcpUrl(webhook.baseUrl);
	step.figure('endpoint', `webhook processor, live after ${await mcpServed(url)} ms`);

	const record: Array<Record<string, unknown>> = [];
	const before = new Set(
		(await ctx.rest.executions(MCP_WORKFLOW_ID)).map((execution) => execution.id),
	);
	const tasksBefore = ctx.emulator.tasksCreated();
	const calls: Call[] = [];
	for (const kind of ['streamable-http', 'sse'] as McpTransportKind[]) {
		const session = await connectMcp(url, setup.bearerToken, kind);
		try {
			checkListedTool(step, kind, await session.listTools());
			const start = Date.now();
			const result = await session.callTool(TOOL_NAME, { image_url: setup.goodLink });
			const call: Call = { kind, start, end: Date.now() };
			calls.push(call);
			record.push({ kind, result });
			step.check(
				!result.isError,
				`${kind}: the call came back as an MCP error: ${result.text.slice(0, 300)}`,
			);
			const good = await checkGoodResult(
				step,
				kind,
				result.text,
				setup,
				ctx.emulator.storageOrigin,
			);
			call.taskId = good?.taskId;
			step.figure(kind, `task ${good?.taskId ?? '?'} in ${(result.ms / 1000).toFixed(1)} s`);
		} finally {
			await session.close();
		}
	}
	const tasks = ctx.emulator.tasksCreated() - tasksBefore;
	step.figure('tasks created', tasks);
	step.check(tasks === calls.length, `${tasks} tasks were created for ${calls.length} tool calls`);

	// The calls' executions: finished, each started by a worker.
	let executions: ExecutionSummary[] = [];
	for (let attempt = 0; attempt < 40; attempt++) {
		executions = (await ctx.rest.executions(MCP_WORKFLOW_ID)).filter(
			(execution) => !before.has(execution.id),
		);
		if (executions.length >= calls.length && executions.every(FINISHED)) break;
		await sleep(500);
	}
	step.check(
		executions.length === calls.length,
		`${executions.length} executions were recorded for ${calls.length} tool calls`,
	);
	step.check(
		executions.every((execution) => execution.status === 'success'),
		`executions ended ${executions.map((execution) => execution.status).join(',')}`,
	);
	const ranOn = workersOf(ctx);
	for (const call of calls) {
		const execution = executions.find((candidate) => {
			const started = Date.parse(candidate.startedAt ?? '');
			return started >= call.start && started <= call.end;
		});
		const worker = execution && ranOn.get(execution.id);
		if (
			!step.check(
				execution !== undefined && worker !== undefined,
				`${call.kind}: the call's execution ${execution?.id ?? '(none)'} was not started by a worker`,
			) ||
			!execution ||
			!worker
		)
			continue;
		const runData = parseFlatted((await ctx.rest.execution(execution.id)).data) as {
			resultData?: { runData?: Record<string, Array<{ data?: Record<string, unknown[][]> }>> };
		};
		const toolRuns = runData.resultData?.runData?.[TOOL_NODE] ?? [];
		record.push({ execution: execution.id, worker, toolRuns });
		const nodes = Object.keys(runData.resultData?.runData ?? {}).join(' + ');
		if (toolRuns.length > 0) {
			// 2.41: the worker runs the tool as a node of the execution; its output item is { response: [<items>] }.
			const taskIds = toolRuns
				.flatMap((run) => Object.values(run.data ?? {}).flatMap((outputs) => outputs?.[0] ?? []))
				.flatMap((item) => {
					const json = (item as { json?: { response?: unknown; task_id?: unknown } }).json;
					return Array.isArray(json?.response)
						? (json.response as Array<{ task_id?: unknown }>)
						: [json];
				})
				.map((result) => Number(result?.task_id));
			step.figure(
				`${call.kind} execution`,
				`#${execution.id} on ${worker}: ${nodes}, tool output task ${taskIds.join(',')}`,
			);
			step.check(
				call.taskId !== undefined && taskIds.includes(call.taskId),
				`${call.kind}: the tool's output on ${worker} (${taskIds.join(', ')}) is not the task the client got (${call.taskId})`,
			);
			continue;
		}
		// 2.8: the worker runs the trigger's execution, then invokes the tool outside it (job
		// processor's invokeTool): the task is created after that worker finished the execution.
		const finished = ctx.topology.workers
			.flatMap((instance) => instance.logs())
			.find((entry) => entry.message.startsWith(`Worker finished execution ${execution.id} `));
		const finishedAt = Date.parse(String(finished?.metadata.timestamp ?? ''));
		const created = ctx.emulator.log.find(
			(entry) =>
				entry.endpoint === 'createTask' && entry.time >= call.start && entry.time <= call.end,
		);
		step.figure(
			`${call.kind} execution`,
			`#${execution.id} on ${worker}: ${nodes} (the tool is not recorded in it); Celantur task created ${created && finished ? `${created.time - finishedAt} ms after ${worker} finished it` : '?'}`,
		);
		step.check(
			created !== undefined && Number.isFinite(finishedAt) && created.time >= finishedAt,
			`${call.kind}: the task was not created after ${worker} finished execution ${execution.id} (the tool did not run there)`,
		);
	}
	writeFileSync(path.join(ctx.work, 'mcp-queue-record.json'), JSON.stringify(record, null, 2));
	await ctx.rest.deactivateWorkflow(MCP_WORKFLOW_ID);
}
