#!/usr/bin/env node
// Installs the real n8n used by the end-to-end tests, once, into a cache folder outside this
// package's node_modules (it is about 2.3 GB). Later runs reuse it. Prints the n8n binary's path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const N8N_VERSION = '2.8.4';

export function n8nCacheDir() {
	return process.env.CELANTUR_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-celantur', `n8n-${N8N_VERSION}`);
}

export function n8nBinary() {
	return join(n8nCacheDir(), 'node_modules', '.bin', 'n8n');
}

function installed(dir) {
	const pkg = join(dir, 'node_modules', 'n8n', 'package.json');
	return existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === N8N_VERSION && existsSync(n8nBinary());
}

export function ensureN8n() {
	const dir = n8nCacheDir();
	if (installed(dir)) return n8nBinary();
	mkdirSync(dir, { recursive: true });
	// n8n's default xlsx comes from outside the npm registry, which these machines cannot reach.
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify(
			{ name: 'celantur-e2e-n8n', private: true, dependencies: { n8n: N8N_VERSION }, overrides: { xlsx: '0.18.5' } },
			null,
			2,
		),
	);
	console.error(`Installing n8n ${N8N_VERSION} into ${dir} (once; several minutes)...`);
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
	if (!installed(dir)) throw new Error(`n8n ${N8N_VERSION} did not install into ${dir}`);
	return n8nBinary();
}

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(ensureN8n());
}
