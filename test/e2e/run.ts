// `npm run test:e2e`: the packed package inside a real n8n 2.8.4, against the Celantur emulator.
//   0. n8n installed (cached), package built, packed and installed as a community package,
//      emulator started (2 s tokens, a little latency)
//   1. n8n starts and loads both nodes and the credential
//   2. the example workflow runs headless (`n8n execute`) and writes anonymized images
//   3. the credential test passes with the right password and fails with a wrong one
//   4. the Celantur Trigger runs a workflow when the emulator calls back
//   5. the editor, in headless Chromium, finds the node and shows the create operation (screenshots)
// Prints PASS/FAIL per step and `N passed, N failed`; exits 1 if any step failed.
// Options: --tarball FILE (install this package tarball instead of building and packing the
// working tree), --keep (keep the temp folder), --no-browser (skip step 5).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import type { E2eContext } from './context';
import { writeImages } from './fixtures';
import { N8N_VERSION, ensureN8nBinary } from './n8n-binary';
import { N8nInstance } from './n8n-instance';
import { buildAndPack, installCommunityPackage, tarballPackageJson } from './package-install';
import { freePort } from './ports';
import { Reporter, type StepContext } from './reporter';
import { N8nRest } from './rest-client';
import { testCredential } from './steps/credential-test';
import { captureEditor } from './steps/editor';
import { importAndExecute } from './steps/execute';
import { startAndCheckLoaded } from './steps/load';
import { triggerOnCallback } from './steps/trigger';

const ROOT = path.resolve(__dirname, '..', '..');

interface Options {
	tarball?: string;
	keep: boolean;
	browser: boolean;
}

function parseArgs(argv: string[]): Options {
	const options: Options = { keep: false, browser: true };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--tarball') options.tarball = path.resolve(argv[++i] ?? '');
		else if (argv[i] === '--keep') options.keep = true;
		else if (argv[i] === '--no-browser') options.browser = false;
		else throw new Error(`unknown option ${argv[i]} (use --tarball FILE, --keep, --no-browser)`);
	}
	return options;
}

async function main(): Promise<number> {
	const options = parseArgs(process.argv.slice(2));
	const reporter = new Reporter();
	const work = mkdtempSync(path.join(tmpdir(), 'celantur-e2e-'));
	console.log(`e2e work folder: ${work}`);
	let emulator: Emulator | undefined;
	let n8n: N8nInstance | undefined;
	const stop = async (): Promise<void> => {
		await n8n?.stop();
		await emulator?.close();
	};
	const onSignal = (): void => {
		void stop().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		let ctx: E2eContext | undefined;
		await reporter.step('0. install n8n, build, pack and install the package, start the emulator', 30 * 60_000, async (step) => {
			const installStarted = Date.now();
			const binary = await ensureN8nBinary();
			const installMs = Date.now() - installStarted;
			step.figure('n8n', `${N8N_VERSION} (${installMs > 20_000 ? `installed in ${Math.round(installMs / 1000)} s` : 'cached'})`);
			let tarball = options.tarball;
			if (tarball) {
				step.figure('tarball', `${path.basename(tarball)} (given)`);
			} else {
				const started = Date.now();
				const packed = await buildAndPack(ROOT, path.join(work, 'pack'));
				tarball = packed.tarball;
				step.figure('build+pack', `${((Date.now() - started) / 1000).toFixed(1)} s, ${packed.files.length} files`);
			}
			const userFolder = path.join(work, 'n8n-user');
			const installed = await installCommunityPackage(userFolder, tarball);
			step.figure('installed', `${installed.name}@${installed.version} in .n8n/nodes/node_modules`);

			emulator = await startEmulator({
				host: '127.0.0.1',
				tokenLifetimeSeconds: 2,
				latency: { signinMs: 50, createMs: 30, requestMs: 20, uploadMs: 20, downloadMs: 20, queuedMs: 200, processingMs: 2500 },
			});
			step.figure('emulator', `${emulator.baseUrl}, tokens live 2 s`);

			const inputDir = path.join(work, 'in');
			const outputDir = path.join(work, 'out');
			mkdirSync(inputDir, { recursive: true });
			mkdirSync(outputDir, { recursive: true });
			const port = await freePort();
			n8n = new N8nInstance({ binary, userFolder, port, fileAccess: [inputDir, outputDir], logFile: path.join(work, 'n8n.log') });
			ctx = {
				root: ROOT,
				work,
				inputDir,
				outputDir,
				images: writeImages(inputDir),
				packageName: (await tarballPackageJson(tarball)).name,
				emulator,
				n8n,
				rest: new N8nRest(n8n.baseUrl),
				screenshotDir: path.join(ROOT, 'docs', 'screenshots'),
			};
		});

		const steps: Array<[string, number, (c: E2eContext, s: StepContext) => Promise<void>]> = [
			['1. n8n starts and loads the package', 180_000, startAndCheckLoaded],
			['2. example workflow runs headless (n8n execute)', 300_000, importAndExecute],
			['3. credential test (REST), right and wrong password', 60_000, testCredential],
			['4. Celantur Trigger runs on the emulator\'s callback', 180_000, triggerOnCallback],
		];
		if (options.browser) steps.push(['5. editor in headless Chromium: node panel and create parameters', 600_000, captureEditor]);
		for (const [name, timeout, body] of steps) {
			const current = ctx;
			if (!current) reporter.skip(name, 'set-up failed');
			else if (name !== steps[0][0] && !current.n8n.running) reporter.skip(name, 'n8n is not running');
			else await reporter.step(name, timeout, (step) => body(current, step));
		}
	} finally {
		await stop();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	if (options.keep || reporter.failed > 0) {
		// n8n's copy of the editor's static files (~50 MB) is no evidence of anything.
		rmSync(path.join(work, 'n8n-user', '.cache'), { recursive: true, force: true });
		console.log(`n8n log and files kept in ${work}`);
	} else {
		rmSync(work, { recursive: true, force: true });
	}
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
