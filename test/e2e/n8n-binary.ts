// The real n8n the e2e run drives: installed once (install-n8n.mjs) into a cache folder outside
// the package's node_modules, then reused.
import path from 'node:path';

import { mustRun } from './processes';

export const N8N_VERSION = '2.8.4';

/** Installs n8n if needed (several minutes, once) and returns the path of its `n8n` binary. */
export async function ensureN8nBinary(): Promise<string> {
	const script = path.join(__dirname, 'install-n8n.mjs');
	// A subprocess, because this file is CommonJS and install-n8n.mjs an ES module.
	const result = await mustRun(process.execPath, [script], { timeoutMs: 30 * 60_000, echo: true });
	const binary = result.stdout.trim().split('\n').pop() ?? '';
	if (!binary) throw new Error('install-n8n.mjs printed no binary path');
	return binary;
}
