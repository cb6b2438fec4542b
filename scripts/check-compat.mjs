#!/usr/bin/env node
// `npm run check:compat`: n8n supplies n8n-workflow at run time, so the built package meets
// whatever version the user's n8n has. For each supported n8n-workflow version this checks that
// every value the built dist/ takes from n8n-workflow exists there (types vanish in the build, so
// only values count), then typechecks the shipped sources against the newest version, so a removal
// shows at compile time too. Fails naming the version and the missing export.
//
//   npm run check:compat                   (build first: it reads dist/)
//   node scripts/check-compat.mjs --dist DIR   (check another build, e.g. a deliberately broken one)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The n8n-workflow versions behind the n8n releases users run: the newest 1.x (n8n 1.123.x), the
 * one n8n 2.8.x ships, the last before and the first after a removal of exports (2.33/2.34), and
 * the newest the registry serves (n8n 2.41.x). Exact versions, so the check is repeatable.
 */
export const WORKFLOW_VERSIONS = ['1.120.31', '2.8.0', '2.33.2', '2.34.0', '2.41.0'];
const NEWEST = WORKFLOW_VERSIONS[WORKFLOW_VERSIONS.length - 1];

function cacheDir(version) {
	const root = process.env.CELANTUR_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-celantur');
	return join(root, `n8n-workflow-${version}`);
}

/** Installs n8n-workflow `version` (once) into the cache and returns its folder. */
function ensureWorkflow(version) {
	const dir = cacheDir(version);
	const pkg = join(dir, 'node_modules', 'n8n-workflow');
	const current = existsSync(join(pkg, 'package.json'))
		? JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version
		: undefined;
	if (current !== version) {
		mkdirSync(dir, { recursive: true });
		const manifest = {
			name: 'celantur-compat-check',
			private: true,
			dependencies: { 'n8n-workflow': version },
		};
		writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
		console.error(`installing n8n-workflow ${version} into ${dir}...`);
		execFileSync(
			'npm',
			['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
			{
				cwd: dir,
				stdio: ['ignore', process.stderr, 'inherit'],
			},
		);
	}
	return pkg;
}

function jsFiles(dir) {
	const found = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) found.push(...jsFiles(full));
		else if (entry.name.endsWith('.js')) found.push(full);
	}
	return found;
}

/**
 * The values each built file takes from n8n-workflow: tsc's CommonJS output binds
 * `const alias = require("n8n-workflow")` and reads `alias.Name`; a destructured require is read too.
 */
export function importedValues(distDir) {
	const uses = new Map();
	const note = (name, file) => {
		if (!uses.has(name)) uses.set(name, new Set());
		uses.get(name).add(relative(distDir, file));
	};
	for (const file of jsFiles(distDir)) {
		const source = readFileSync(file, 'utf8');
		for (const match of source.matchAll(
			/(?:const|let|var)\s+(\w+)\s*=\s*(?:__importStar\()?require\(["']n8n-workflow["']\)/g,
		)) {
			for (const use of source.matchAll(new RegExp(`\\b${match[1]}\\.(\\w+)`, 'g')))
				note(use[1], file);
		}
		for (const match of source.matchAll(
			/(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(["']n8n-workflow["']\)/g,
		)) {
			for (const part of match[1].split(',')) {
				const name = part.split(':')[0].trim();
				if (name) note(name, file);
			}
		}
		if (/require\(["']n8n-workflow\/[^"']+["']\)/.test(source))
			note('(a deep import of n8n-workflow/…)', file);
	}
	return uses;
}

/** The names n8n-workflow `version` exports at run time, read by loading it in a child process. */
function exportedValues(pkgDir) {
	const script = `const m = require(${JSON.stringify(pkgDir)}); process.stdout.write(JSON.stringify(Object.keys(m).filter((k) => m[k] !== undefined)));`;
	return new Set(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
}

/** Typechecks nodes/ and credentials/ with `n8n-workflow` resolved to the newest version. */
function typecheckAgainst(version, pkgDir) {
	const config = {
		extends: join(ROOT, 'tsconfig.json'),
		compilerOptions: {
			noEmit: true,
			baseUrl: ROOT,
			paths: { 'n8n-workflow': [pkgDir] },
			typeRoots: [join(ROOT, 'node_modules', '@types')],
		},
		include: [join(ROOT, 'credentials/**/*.ts'), join(ROOT, 'nodes/**/*.ts')],
	};
	const file = join(cacheDir(version), 'tsconfig.compat.json');
	writeFileSync(file, JSON.stringify(config, null, 2));
	try {
		execFileSync(
			process.execPath,
			[join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', file],
			{ encoding: 'utf8', stdio: 'pipe' },
		);
		return '';
	} catch (error) {
		return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || String(error);
	}
}

function main() {
	const args = process.argv.slice(2);
	const distIndex = args.indexOf('--dist');
	const distDir = resolve(distIndex >= 0 ? args[distIndex + 1] : join(ROOT, 'dist'));
	const typecheck = !args.includes('--no-typecheck');
	if (!existsSync(distDir))
		throw new Error(`${distDir} does not exist: run \`npm run build\` first`);

	const uses = importedValues(distDir);
	const names = [...uses.keys()].sort();
	if (names.length === 0)
		throw new Error(`no use of n8n-workflow found in ${distDir}: is it a build of this package?`);
	console.log(`dist/ takes ${names.length} values from n8n-workflow: ${names.join(', ')}`);

	let failures = 0;
	for (const version of WORKFLOW_VERSIONS) {
		const exported = exportedValues(ensureWorkflow(version));
		const missing = names.filter((name) => !exported.has(name));
		if (missing.length === 0) {
			console.log(`PASS n8n-workflow ${version}: all ${names.length} present`);
			continue;
		}
		failures++;
		for (const name of missing) {
			console.log(
				`FAIL n8n-workflow ${version} does not export ${name} (used in ${[...uses.get(name)].join(', ')})`,
			);
		}
	}
	if (typecheck) {
		const errors = typecheckAgainst(NEWEST, ensureWorkflow(NEWEST));
		if (errors) {
			failures++;
			console.log(
				`FAIL typecheck of nodes/ and credentials/ against n8n-workflow ${NEWEST}:\n${errors}`,
			);
		} else {
			console.log(`PASS typecheck of nodes/ and credentials/ against n8n-workflow ${NEWEST}`);
		}
	}
	const checks = WORKFLOW_VERSIONS.length + (typecheck ? 1 : 0);
	console.log(`${checks - failures} passed, ${failures} failed`);
	return failures ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	try {
		process.exitCode = main();
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		process.exitCode = 1;
	}
}
