#!/usr/bin/env node
// `npm run scan`: what n8n checks before it verifies a community package, run here before release.
// `npx @n8n/scan-community-package <name>` first checks npm provenance of a published version, then
// downloads the source commit the provenance names and the tarball, and lints both with its exported
// `analyzePackage`. Provenance and the downloads need a published version, so this calls the same
// `analyzePackage` with the same file patterns on what they would fetch: this checkout (the source)
// and an unpacked `npm pack` of the build (the tarball). A third leg runs `n8n-node lint` in strict
// mode (the check n8n's Cloud support rests on) on the shipped sources with n8n-node's default config.
//
//   npm run scan                        (build first: the tarball leg packs dist/)
//   node scripts/scan.mjs --package DIR (scan another checkout, e.g. a deliberately broken copy)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ensureTool } from './n8n-tools.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// What the scanner's analyzePackageByName lints in the downloaded tarball.
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function argValue(flag) {
	const at = process.argv.indexOf(flag);
	return at === -1 ? undefined : process.argv[at + 1];
}

function withoutColour(text) {
	return text.replace(/\u001b\[[0-9;]*m/g, '');
}

// eslint's stylish summary ("✖ 6 problems (6 errors, 0 warnings)") is the count the scanner reports.
function findings(text) {
	const summary = /✖ (\d+) problems? \((\d+) errors?/.exec(withoutColour(text ?? ''));
	return summary ? Number(summary[2]) : 0;
}

async function loadScanner() {
	// eslint-plugin-n8n-nodes-base reads NODE_ENV=test (as jest sets it) as "lint my own fixtures"
	// and then judges file names differently: the scan must see what n8n's scanner sees.
	if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
	const scannerModule = join(
		ensureTool('scanner'),
		'node_modules',
		'@n8n',
		'scan-community-package',
		'scanner',
		'scanner.mjs',
	);
	return await import(pathToFileURL(scannerModule).href);
}

async function analyze(analyzePackage, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	return {
		passed: result.passed,
		count: findings(result.details),
		report: result.details ?? result.message ?? '',
	};
}

function unpackedTarball(pkg, work) {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
			cwd: pkg,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	);
	const unpacked = join(work, 'package');
	mkdirSync(unpacked);
	execFileSync('tar', [
		'-xzf',
		join(work, packed[0].filename),
		'-C',
		unpacked,
		'--strip-components=1',
	]);
	return unpacked;
}

/** n8n-node lint refuses strict mode unless eslint.config.mjs is its default, so lint a copy that has it. */
function nodeCliLint(pkg) {
	const tool = ensureTool('node-cli');
	const cli = join(tool, 'node_modules', '@n8n', 'node-cli');
	// Inside the tool folder, so the default config's imports and n8n-workflow resolve from there.
	const stage = mkdtempSync(join(tool, 'stage-'));
	try {
		for (const entry of ['package.json', 'tsconfig.json', 'icons', 'nodes', 'credentials']) {
			if (existsSync(join(pkg, entry)))
				cpSync(join(pkg, entry), join(stage, entry), { recursive: true });
		}
		const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
		if (manifest.n8n?.strict !== true) {
			return {
				passed: false,
				count: 1,
				report:
					'package.json: "n8n": { "strict": true } is missing, so n8n-node would not hold the package to its default rules',
			};
		}
		cpSync(
			join(cli, 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs'),
			join(stage, 'eslint.config.mjs'),
		);
		const run = spawnSync(process.execPath, [join(cli, 'bin', 'n8n-node.mjs'), 'lint'], {
			cwd: stage,
			encoding: 'utf8',
			env: { ...process.env, CI: 'true' },
		});
		const report = withoutColour(`${run.stdout}${run.stderr}`).replaceAll(stage, '.');
		return {
			passed: run.status === 0,
			count: run.status === 0 ? 0 : Math.max(1, findings(report)),
			report,
		};
	} finally {
		rmSync(stage, { recursive: true, force: true });
	}
}

async function main() {
	const pkg = resolve(argValue('--package') ?? ROOT);
	const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
	for (const built of [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])]) {
		if (!existsSync(join(pkg, built)))
			throw new Error(`${built} is missing: run \`npm run build\` first`);
	}

	const { analyzePackage, SOURCE_FILE_PATTERNS } = await loadScanner();
	const work = mkdtempSync(join(tmpdir(), 'celantur-scan-'));
	try {
		const legs = [
			[
				'source (package.json, nodes/, credentials/)',
				() => analyze(analyzePackage, pkg, SOURCE_FILE_PATTERNS),
			],
			[
				'tarball (npm pack of the build)',
				async () => analyze(analyzePackage, unpackedTarball(pkg, work), TARBALL_FILE_PATTERNS),
			],
			['n8n-node lint, strict mode', async () => nodeCliLint(pkg)],
		];
		let failed = false;
		for (const [name, run] of legs) {
			const { passed, count, report } = await run();
			console.log(`${passed ? 'PASS' : 'FAIL'} ${name}: ${count} finding${count === 1 ? '' : 's'}`);
			if (!passed) {
				failed = true;
				console.log(
					report.trim().replaceAll(pkg, '.').replaceAll(join(work, 'package'), '<tarball>'),
				);
			}
		}
		if (failed) process.exitCode = 1;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
