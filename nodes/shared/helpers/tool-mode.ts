/**
 * Whether the node runs as an AI agent's or an MCP client's tool: n8n's `celanturTool` variant of
 * the node. `isToolExecution()` would not do: it is 2.x only, and false for tools an agent runs.
 */
export function isToolMode(ctx: { getNode(): { type: string } }): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/**
 * Whether a failing item becomes an output item with `error` instead of stopping the node: with
 * "Continue On Fail", and always as a tool, whose failures must reach the agent to tell the user
 * (n8n 1.x and 2.8 stop the whole workflow when a tool throws).
 */
export function failuresAsItems(ctx: {
	getNode(): { type: string };
	continueOnFail(): boolean;
}): boolean {
	return ctx.continueOnFail() || isToolMode(ctx);
}
