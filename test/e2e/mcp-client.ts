// An MCP client, as an MCP host (Claude Desktop, an IDE) talks to n8n's MCP Server Trigger:
// @modelcontextprotocol/sdk's Client over Streamable HTTP or SSE, with a Bearer token.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export type McpTransportKind = 'streamable-http' | 'sse';

export interface McpTool {
	name: string;
	description?: string;
	inputSchema: { type?: string; properties?: Record<string, unknown>; required?: string[] };
}

export interface McpCallResult {
	/** The text parts of the result, joined. */
	text: string;
	isError: boolean;
	ms: number;
}

export interface McpSession {
	listTools(): Promise<McpTool[]>;
	callTool(name: string, args: Record<string, unknown>): Promise<McpCallResult>;
	close(): Promise<void>;
}

export async function connectMcp(
	url: string,
	token: string,
	kind: McpTransportKind,
): Promise<McpSession> {
	const requestInit = { headers: { authorization: `Bearer ${token}` } };
	const transport =
		kind === 'sse'
			? new SSEClientTransport(new URL(url), { requestInit })
			: new StreamableHTTPClientTransport(new URL(url), { requestInit });
	const client = new Client({ name: 'celantur-e2e', version: '1.0.0' });
	await client.connect(transport);
	return {
		listTools: async () => (await client.listTools()).tools as McpTool[],
		callTool: async (name, args) => {
			const started = Date.now();
			const result = await client.callTool({ name, arguments: args }, undefined, {
				timeout: 180_000,
			});
			const content = Array.isArray(result.content)
				? (result.content as Array<{ type: string; text?: string }>)
				: [];
			return {
				text: content.map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join(''),
				isError: result.isError === true,
				ms: Date.now() - started,
			};
		},
		close: () => client.close(),
	};
}

/** A bare `initialize` request, as a client without (or with a wrong) token sends it: its HTTP status. */
export async function initializeStatus(url: string, authorization?: string): Promise<number> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		accept: 'application/json, text/event-stream',
	};
	if (authorization) headers.authorization = authorization;
	const response = await fetch(url, {
		method: 'POST',
		headers,
		body: JSON.stringify({
			jsonrpc: '2.0',
			id: 1,
			method: 'initialize',
			params: {
				protocolVersion: '2025-03-26',
				capabilities: {},
				clientInfo: { name: 'celantur-e2e', version: '1.0.0' },
			},
		}),
	});
	await response.body?.cancel();
	return response.status;
}
