// The real n8n the e2e run drives: one version of the compatibility matrix, installed once
// (install-n8n.mjs) into a cache folder outside the package's node_modules with the Node.js it
// runs on, then reused.
import path from 'node:path';

import { mustRun } from './processes';

export interface N8nInstall {
	version: string;
	/** The Node.js version it runs on, or 'system'. */
	node: string;
	/** n8n's bin/n8n script. */
	binary: string;
	/** The folder of the `node` executable to run it with. */
	nodeBin: string;
}

export interface Matrix {
	default: string;
	matrix: Record<string, { node: string }>;
}

const SCRIPT = path.join(__dirname, 'install-n8n.mjs');

/** The versions the package is tested in, as install-n8n.mjs pins them. */
export async function readMatrix(): Promise<Matrix> {
	// A subprocess, because this file is CommonJS and install-n8n.mjs an ES module.
	const result = await mustRun(process.execPath, [SCRIPT, '--list']);
	return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Matrix;
}

/** Installs n8n `version` and its Node.js if needed (several minutes, once). */
export async function ensureN8n(version: string): Promise<N8nInstall> {
	const result = await mustRun(process.execPath, [SCRIPT, version], {
		timeoutMs: 40 * 60_000,
		echo: true,
	});
	const line = result.stdout.trim().split('\n').pop() ?? '';
	if (!line.startsWith('{'))
		throw new Error(`install-n8n.mjs printed no install record: ${result.stdout.slice(-500)}`);
	return JSON.parse(line) as N8nInstall;
}
