// `npm run test:e2e`: the packed package inside a real n8n, against the Celantur emulator. Per n8n
// version of the compatibility matrix (each on its own Node.js, installed once into a cache):
//   0. n8n installed (cached), package built, packed and installed as a community package,
//      emulator started (2 s tokens, a little latency)
//   1. n8n starts and loads both nodes and the credential
//   2. the example workflow runs headless (`n8n execute`) and writes anonymized images
//   3. the credential test passes with the right password and fails with a wrong one
//   4. the Celantur Trigger runs a workflow when the emulator calls back
//   5. the editor, in headless Chromium, finds the node and shows the create operation (screenshots)
//   6. installed through n8n's Community Nodes installer from a local registry (verdaccio), listed,
//      the example runs, updated to a newer version (the saved workflow still runs), uninstalled;
//      in the default version through the Settings -> Community nodes screen in Chromium
//   7. an AI Agent with the Celantur tool and a fake OpenAI-compatible model (each API mode): the
//      tool result reaches the model, a bad link comes back as an error item; the agent example
//   8. the Celantur tool behind n8n's MCP Server Trigger, called by an MCP client (SDK) on
//      Streamable HTTP and SSE
//   9-17. Create with Wait Mode Callback: batches of 1, 5 and 50 beside poll mode, a burst of
//      callbacks, a failed task, a failing task list, a lost last callback (the deadline), two late
//      failures, a restart
// Prints PASS/FAIL per step, a table per version and `N passed, N failed`; exits 1 if any failed.
//
// Options: --n8n VERSION (one version of the matrix; default: the matrix's default), --matrix
// (every version, one after the other), --queue (queue mode instead: PostgreSQL, Redis, main,
// webhook processor, 2 workers; in the default and the newest version unless --n8n is given), --tarball FILE (install this package tarball instead of
// building and packing the working tree), --keep (keep the temp folders), --no-browser (skip step 5; step 6 uses REST only;
// step 7 takes no screenshot), --only KEY,... (only these steps, by key: load execute credential trigger editor installer
// agent mcp callback; in queue mode load batch trigger binary mcp callback; set-up and n8n's start always run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildAndPack } from './package-install';
import { readMatrix } from './n8n-binary';
import { Reporter } from './reporter';
import { QUEUE_STEP_KEYS, runQueueMode } from './queue/run-queue';
import { STEP_KEYS, runVersion, type VersionRun, type VersionRunOptions } from './run-version';

const ROOT = path.resolve(__dirname, '..', '..');

interface Options extends Omit<VersionRunOptions, 'tarball' | 'work' | 'screenshots'> {
	versions: string[];
	matrix: boolean;
	queue: boolean;
	tarball?: string;
}

function parseArgs(argv: string[]): Options {
	const options: Options = {
		versions: [],
		matrix: false,
		queue: false,
		keep: false,
		browser: true,
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--n8n') options.versions.push(argv[++i] ?? '');
		else if (arg === '--matrix') options.matrix = true;
		else if (arg === '--queue') options.queue = true;
		else if (arg === '--tarball') options.tarball = path.resolve(argv[++i] ?? '');
		else if (arg === '--keep') options.keep = true;
		else if (arg === '--no-browser') options.browser = false;
		else if (arg === '--only') options.only = parseOnly(argv[++i] ?? '');
		else
			throw new Error(
				`unknown option ${arg} (use --n8n VERSION, --matrix, --queue, --tarball FILE, --keep, --no-browser, --only STEP,...)`,
			);
	}
	return options;
}

/** `--only agent,mcp`: step keys of either mode (set-up and the steps that start n8n always run). */
function parseOnly(value: string): string[] {
	const keys = value
		.split(',')
		.map((key) => key.trim())
		.filter(Boolean);
	const known = new Set<string>([...STEP_KEYS, ...QUEUE_STEP_KEYS]);
	const unknown = keys.filter((key) => !known.has(key));
	if (keys.length === 0 || unknown.length)
		throw new Error(
			`--only takes step keys: ${STEP_KEYS.join(', ')} (queue mode: ${QUEUE_STEP_KEYS.join(', ')})${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
		);
	return keys;
}

function table(runs: VersionRun[]): string {
	const rows = runs.map(
		(run) =>
			`| ${run.version} | ${run.node} | ${run.install} | ${(run.ms / 1000).toFixed(0)} s | ${run.passed}/${run.steps} |`,
	);
	return [
		'| n8n | Node.js | install | e2e | steps passed |',
		'|---|---|---|---|---|',
		...rows,
	].join('\n');
}

async function main(): Promise<number> {
	const options = parseArgs(process.argv.slice(2));
	const matrix = await readMatrix();
	const all = Object.keys(matrix.matrix);
	// Queue mode by default in the default version and the newest (1.x is not part of it).
	const queueDefault = [matrix.default, all[all.length - 1]].filter(
		(version, index, list) => list.indexOf(version) === index,
	);
	const versions = options.matrix
		? all
		: options.versions.length
			? options.versions
			: options.queue
				? queueDefault
				: [matrix.default];
	for (const version of versions) {
		if (!matrix.matrix[version])
			throw new Error(
				`n8n ${version} is not in the matrix (${Object.keys(matrix.matrix).join(', ')})`,
			);
	}

	const reporter = new Reporter();
	const work = mkdtempSync(path.join(tmpdir(), 'celantur-e2e-'));
	console.log(`e2e work folder: ${work}`);
	let tarball = options.tarball;
	if (!tarball) {
		const started = Date.now();
		const packed = await buildAndPack(ROOT, path.join(work, 'pack'));
		tarball = packed.tarball;
		console.log(
			`built and packed ${path.basename(tarball)} in ${((Date.now() - started) / 1000).toFixed(1)} s (${packed.files.length} files)`,
		);
	}

	const runs: VersionRun[] = [];
	for (const version of versions) {
		if (options.queue) {
			runs.push(
				await runQueueMode(version, reporter, {
					...options,
					tarball,
					work: path.join(work, `queue-${version}`),
					screenshots: '',
				}),
			);
			continue;
		}
		runs.push(
			await runVersion(version, reporter, {
				...options,
				tarball,
				work: path.join(work, `n8n-${version}`),
				installerBrowser: options.browser && version === matrix.default,
				// The README's screenshots come from the default version; the others' stay with their run.
				screenshots:
					version === matrix.default
						? path.join(ROOT, 'docs', 'screenshots')
						: path.join(work, `n8n-${version}`, 'screenshots'),
			}),
		);
	}
	console.log(`\n${table(runs)}\n`);
	if (!options.keep && reporter.failed === 0) rmSync(work, { recursive: true, force: true });
	else console.log(`n8n logs and files kept in ${work}`);
	console.log(reporter.summary());
	return reporter.failed > 0 ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
