// What the AI steps (agent, mcp) feed n8n: the credentials (Celantur at the emulator, OpenAI at
// the fake model server, a Bearer token for the MCP server), and workflows built with the type
// versions of n8n's AI nodes that the n8n under test ships (read from its installed sources).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_USER } from '../emulator';

export const TOOL_TYPE = 'n8n-nodes-celantur.celanturTool';
export const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
export const CHAT_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';
export const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';
export const CHAT_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.chatTrigger';

/** The Celantur tool's node name, and the tool name n8n makes of it (other characters become `_`). */
export const TOOL_NODE = 'Anonymize image';
export const TOOL_NAME = 'Anonymize_image';
export const AGENT_NODE = 'AI Agent';
export const MODEL_NODE = 'OpenAI Chat Model';

export const AI_CREDENTIALS = {
	celantur: { id: 'celantur-ai-e2e', name: 'Celantur (AI e2e)', type: 'celanturApi' },
	openAi: { id: 'openai-ai-e2e', name: 'OpenAI (fake model)', type: 'openAiApi' },
	bearer: { id: 'mcp-bearer-e2e', name: 'MCP clients', type: 'httpBearerAuth' },
} as const;

/** The MCP server's path: production URL `/mcp/<it>`. */
export const MCP_PATH = 'celantur-e2e';
export const MCP_WORKFLOW_ID = 'celanturE2eMcp01';
export const MCP_WEBHOOK_ID = '3c6f1a2b-7d8e-4f90-a1b2-c3d4e5f6a7b8';

/** Type versions of n8n's AI nodes in one n8n install: the newest each ships (the agent's default). */
export interface AiTypeVersions {
	agent: number;
	chatModel: number;
	mcpTrigger: number;
	chatTrigger: number;
	/** The Chat Model has the "Use Responses API" switch (`responsesApiEnabled`, from 1.3 on). */
	responsesSwitch: boolean;
}

function newest(file: string): number {
	const text = readFileSync(file, 'utf8');
	const list = /version:\s*\[([\d.,\s]+)\]/.exec(text);
	if (!list) throw new Error(`no version list in ${file}`);
	return Math.max(...list[1].split(',').map(Number));
}

/** Reads the versions from the install's @n8n/n8n-nodes-langchain (binary: its node_modules/n8n/bin/n8n). */
export function aiTypeVersions(n8nBinary: string): AiTypeVersions {
	const nodes = path.resolve(
		n8nBinary,
		'..',
		'..',
		'..',
		'@n8n',
		'n8n-nodes-langchain',
		'dist',
		'nodes',
	);
	const agentFile = readFileSync(path.join(nodes, 'agents', 'Agent', 'Agent.node.js'), 'utf8');
	const agentDefault = /defaultVersion:\s*([\d.]+)/.exec(agentFile);
	if (!agentDefault) throw new Error('no defaultVersion in the AI Agent node');
	const chatModelFile = path.join(nodes, 'llms', 'LMChatOpenAi', 'LmChatOpenAi.node.js');
	const chatModel = newest(chatModelFile);
	return {
		agent: Number(agentDefault[1]),
		chatModel,
		mcpTrigger: newest(path.join(nodes, 'mcp', 'McpTrigger', 'McpTrigger.node.js')),
		chatTrigger: newest(path.join(nodes, 'trigger', 'ChatTrigger', 'ChatTrigger.node.js')),
		responsesSwitch:
			chatModel >= 1.3 &&
			/name:\s*["']responsesApiEnabled["']/.test(readFileSync(chatModelFile, 'utf8')),
	};
}

/** The three credentials as `n8n import:credentials` takes them (data decrypted; n8n encrypts it). */
export function writeAiCredentials(
	file: string,
	urls: { celantur: string; openAi: string },
	bearerToken: string,
): void {
	const credentials = [
		{
			...AI_CREDENTIALS.celantur,
			data: {
				email: DEFAULT_USER.username,
				password: DEFAULT_USER.password,
				baseUrl: urls.celantur,
			},
		},
		{ ...AI_CREDENTIALS.openAi, data: { apiKey: 'sk-e2e-fake', url: urls.openAi } },
		{ ...AI_CREDENTIALS.bearer, data: { token: bearerToken } },
	];
	writeFileSync(file, JSON.stringify(credentials, null, 2));
}

const ref = (credential: { id: string; name: string }) => ({
	id: credential.id,
	name: credential.name,
});

/** The Celantur tool node: only resource and operation; its $fromAI defaults do the rest. */
function toolNode(id: string, position: [number, number]) {
	return {
		parameters: { resource: 'task', operation: 'create' },
		id,
		name: TOOL_NODE,
		type: TOOL_TYPE,
		typeVersion: 1,
		position,
		credentials: { celanturApi: ref(AI_CREDENTIALS.celantur) },
	};
}

export interface AgentWorkflowOptions {
	id: string;
	name: string;
	prompt: string;
	/** Chat Model's "Use Responses API"; undefined leaves the parameter out (versions without it). */
	responsesApi?: boolean;
	versions: AiTypeVersions;
}

/** Manual Trigger -> AI Agent (prompt defined, no streaming), with the OpenAI Chat Model and the Celantur tool. */
export function agentWorkflow(options: AgentWorkflowOptions): Record<string, unknown> {
	const uuid = (): string => randomUUID();
	const modelParameters: Record<string, unknown> = {
		model:
			options.versions.chatModel >= 1.2
				? { __rl: true, mode: 'id', value: 'gpt-e2e-fake' }
				: 'gpt-e2e-fake',
		options: {},
	};
	if (options.responsesApi !== undefined)
		modelParameters.responsesApiEnabled = options.responsesApi;
	return {
		id: options.id,
		name: options.name,
		active: false,
		nodes: [
			{
				parameters: {},
				id: uuid(),
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: {
					promptType: 'define',
					text: options.prompt,
					options: { enableStreaming: false, maxIterations: 4 },
				},
				id: uuid(),
				name: AGENT_NODE,
				type: AGENT_TYPE,
				typeVersion: options.versions.agent,
				position: [220, 0],
			},
			{
				parameters: modelParameters,
				id: uuid(),
				name: MODEL_NODE,
				type: CHAT_MODEL_TYPE,
				typeVersion: options.versions.chatModel,
				position: [160, 220],
				credentials: { openAiApi: ref(AI_CREDENTIALS.openAi) },
			},
			toolNode(uuid(), [380, 220]),
		],
		connections: {
			Start: { main: [[{ node: AGENT_NODE, type: 'main', index: 0 }]] },
			[MODEL_NODE]: {
				ai_languageModel: [[{ node: AGENT_NODE, type: 'ai_languageModel', index: 0 }]],
			},
			[TOOL_NODE]: { ai_tool: [[{ node: AGENT_NODE, type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** MCP Server Trigger (Bearer auth, path MCP_PATH) with the Celantur tool on its ai_tool input. */
export function mcpWorkflow(versions: AiTypeVersions): Record<string, unknown> {
	return {
		id: MCP_WORKFLOW_ID,
		name: 'Celantur as an MCP tool',
		active: false,
		nodes: [
			{
				parameters: { authentication: 'bearerAuth', path: MCP_PATH },
				id: '3c6f1a2b-0000-4f90-a1b2-c3d4e5f6a701',
				name: 'MCP Server Trigger',
				type: MCP_TRIGGER_TYPE,
				typeVersion: versions.mcpTrigger,
				position: [0, 0],
				webhookId: MCP_WEBHOOK_ID,
				credentials: { httpBearerAuth: ref(AI_CREDENTIALS.bearer) },
			},
			toolNode('3c6f1a2b-0000-4f90-a1b2-c3d4e5f6a702', [0, 220]),
		],
		connections: {
			[TOOL_NODE]: { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** examples/agent-anonymize.json with its placeholder credentials replaced by the e2e's (and its Chat Trigger changed as asked). */
export function writeAgentExample(
	file: string,
	example: string,
	id: string,
	chatTrigger: { public?: boolean; webhookId?: string } = {},
): void {
	const workflow = JSON.parse(readFileSync(example, 'utf8')) as {
		nodes: Array<{
			type: string;
			webhookId?: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, { id: string; name: string }>;
		}>;
	};
	for (const node of workflow.nodes) {
		if (node.credentials?.celanturApi) node.credentials.celanturApi = ref(AI_CREDENTIALS.celantur);
		if (node.credentials?.openAiApi) node.credentials.openAiApi = ref(AI_CREDENTIALS.openAi);
		if (node.type === CHAT_TRIGGER_TYPE) {
			if (chatTrigger.public !== undefined) node.parameters.public = chatTrigger.public;
			if (chatTrigger.webhookId) node.webhookId = chatTrigger.webhookId;
		}
	}
	writeFileSync(file, JSON.stringify({ ...workflow, id, active: false }, null, 2));
}
