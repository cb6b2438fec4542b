#!/usr/bin/env node
// n8n's own checking tools, kept out of this package's devDependencies: eslint-plugin-n8n-nodes-base
// (which the scanner and n8n-node both use) has a `preinstall` that allows pnpm only, so under npm it
// would break `npm ci` for everyone. Each tool is installed from its committed lockfile
// (scripts/n8n-tools/<tool>/) with --ignore-scripts into the cache, once per lockfile. Installing is
// a step of its own (the npm scripts that need a tool run this first), so loading eslint.config.mjs
// (an editor, `npx eslint`, a test) never starts an `npm ci` or needs the network: it only locates.
//
//   node scripts/n8n-tools.mjs scanner|node-cli     (installs if needed, prints the folder)
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPECS = resolve(dirname(fileURLToPath(import.meta.url)), 'n8n-tools');
export const TOOLS = ['scanner', 'node-cli'];

export function cacheRoot() {
	return process.env.CELANTUR_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-celantur');
}

/** The folder `tool` is (or would be) installed in: keyed on its lockfile, so a new pin installs anew. */
function toolDir(tool) {
	if (!TOOLS.includes(tool)) throw new Error(`unknown tool "${tool}"; one of: ${TOOLS.join(', ')}`);
	const spec = join(SPECS, tool);
	const key = createHash('sha256')
		.update(readFileSync(join(spec, 'package.json')))
		.update(readFileSync(join(spec, 'package-lock.json')))
		.digest('hex')
		.slice(0, 12);
	return join(cacheRoot(), `n8n-tool-${tool}-${key}`);
}

/** The folder holding `tool`'s node_modules; installs nothing, and says how to install when absent. */
export function locateTool(tool) {
	const dir = toolDir(tool);
	if (existsSync(dir)) return dir;
	throw new Error(
		`n8n's ${tool} is not installed (expected in ${dir}): run \`node scripts/n8n-tools.mjs ${tool}\` ` +
			`once (\`npm run lint\`, \`npm run scan\` and \`npm run test:tooling\` do it first)`,
	);
}

/** Installs `tool` (once per lockfile content) and returns the folder holding its node_modules. */
export function ensureTool(tool) {
	const dir = toolDir(tool);
	if (existsSync(dir)) return dir;
	const spec = join(SPECS, tool);

	// Installed beside the final folder and renamed into place, so a lint and a scan starting
	// together (or a killed install) never leave a half-filled folder that looks installed.
	const staging = `${dir}.partial-${process.pid}`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	for (const file of ['package.json', 'package-lock.json'])
		copyFileSync(join(spec, file), join(staging, file));
	console.error(`installing n8n's ${tool} (pinned, --ignore-scripts) into ${dir}...`);
	try {
		execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: staging,
			stdio: ['ignore', process.stderr, 'inherit'],
		});
		renameSync(staging, dir);
	} catch (error) {
		rmSync(staging, { recursive: true, force: true });
		if (!existsSync(dir)) throw error;
	}
	return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const tool = process.argv[2];
	try {
		console.log(ensureTool(tool));
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	}
}
