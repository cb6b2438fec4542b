// The end-to-end steps in one n8n version of the matrix, on that version's own Node.js, with its
// own user folder, emulator and temp files. n8n and the emulator are always stopped.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import type { E2eContext } from './context';
import { writeImages } from './fixtures';
import { ensureN8n } from './n8n-binary';
import { N8nInstance } from './n8n-instance';
import { installCommunityPackage, tarballPackageJson } from './package-install';
import { freePort } from './ports';
import type { Reporter, StepContext } from './reporter';
import { N8nRest } from './rest-client';
import { agentTool } from './steps/agent';
import { CALLBACK_STEPS } from './steps/callback';
import { testCredential } from './steps/credential-test';
import { captureEditor } from './steps/editor';
import { importAndExecute } from './steps/execute';
import { installThroughInstaller } from './steps/installer';
import { installerScreen } from './steps/installer-screen';
import { startAndCheckLoaded } from './steps/load';
import { mcpTool } from './steps/mcp';
import { triggerOnCallback } from './steps/trigger';

const ROOT = path.resolve(__dirname, '..', '..');

/** The emulator's pace in every e2e run: a little latency, and tasks that take a few seconds. */
export const E2E_LATENCY = {
	signinMs: 50,
	createMs: 30,
	requestMs: 20,
	uploadMs: 20,
	downloadMs: 20,
	queuedMs: 200,
	processingMs: 2500,
};

export interface VersionRunOptions {
	tarball: string;
	/** This version's temp folder. */
	work: string;
	screenshots: string;
	keep: boolean;
	browser: boolean;
	/** Step 6 installs and updates through the Community Nodes screen in Chromium (the default version). */
	installerBrowser?: boolean;
	/** Run only these steps (keys of STEP_KEYS; set-up and step 1 always run); all when undefined. */
	only?: string[];
}

/** The steps' keys, for `--only` (set-up and `load` always run: every other step needs n8n up). */
export const STEP_KEYS = [
	'load',
	'execute',
	'credential',
	'trigger',
	'editor',
	'installer',
	'agent',
	'mcp',
	'callback',
] as const;

/** One line of the matrix table. */
export interface VersionRun {
	version: string;
	node: string;
	install: string;
	ms: number;
	steps: number;
	passed: number;
}

type Step = [
	name: string,
	timeoutMs: number,
	body: (ctx: E2eContext, step: StepContext) => Promise<void>,
	key: (typeof STEP_KEYS)[number],
];

export async function runVersion(
	version: string,
	reporter: Reporter,
	options: VersionRunOptions,
): Promise<VersionRun> {
	const started = Date.now();
	const firstResult = reporter.results.length;
	const label = (name: string): string => `[n8n ${version}] ${name}`;
	mkdirSync(options.work, { recursive: true });
	let emulator: Emulator | undefined;
	let n8n: N8nInstance | undefined;
	const cleanups: Array<() => Promise<void>> = [];
	const stop = async (): Promise<void> => {
		await n8n?.stop();
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
		await emulator?.close();
	};
	const onSignal = (): void => {
		void stop().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const run: VersionRun = { version, node: '?', install: '?', ms: 0, steps: 0, passed: 0 };
	try {
		let ctx: E2eContext | undefined;
		await reporter.step(
			label('0. install n8n, install the package, start the emulator'),
			45 * 60_000,
			async (step) => {
				const installStarted = Date.now();
				const install = await ensureN8n(version);
				const installMs = Date.now() - installStarted;
				run.node = install.node === 'system' ? `${process.versions.node} (system)` : install.node;
				run.install = installMs > 20_000 ? `${Math.round(installMs / 1000)} s` : 'cached';
				step.figure(
					'n8n',
					`${version} on Node.js ${run.node} (${run.install === 'cached' ? 'cached' : `installed in ${run.install}`})`,
				);

				const userFolder = path.join(options.work, 'n8n-user');
				const installed = await installCommunityPackage(userFolder, options.tarball);
				step.figure(
					'installed',
					`${installed.name}@${installed.version} in .n8n/nodes/node_modules`,
				);

				emulator = await startEmulator({
					host: '127.0.0.1',
					tokenLifetimeSeconds: 2,
					latency: E2E_LATENCY,
				});
				step.figure('emulator', `${emulator.baseUrl}, tokens live 2 s`);

				const inputDir = path.join(options.work, 'in');
				const outputDir = path.join(options.work, 'out');
				mkdirSync(inputDir, { recursive: true });
				mkdirSync(outputDir, { recursive: true });
				mkdirSync(options.screenshots, { recursive: true });
				const port = await freePort();
				n8n = new N8nInstance({
					binary: install.binary,
					nodeBin: install.nodeBin,
					userFolder,
					port,
					fileAccess: [inputDir, outputDir],
					logFile: path.join(options.work, 'n8n.log'),
				});
				ctx = {
					root: ROOT,
					work: options.work,
					inputDir,
					outputDir,
					images: writeImages(inputDir),
					packageName: (await tarballPackageJson(options.tarball)).name,
					emulator,
					n8n,
					n8nVersion: version,
					rest: new N8nRest(n8n.baseUrl),
					screenshotDir: options.screenshots,
					browser: options.browser,
					cleanups,
				};
			},
		);

		const all: Step[] = [
			['1. n8n starts and loads the package', 180_000, startAndCheckLoaded, 'load'],
			['2. example workflow runs headless (n8n execute)', 300_000, importAndExecute, 'execute'],
			['3. credential test (REST), right and wrong password', 60_000, testCredential, 'credential'],
			[
				"4. Celantur Trigger runs on the emulator's callback",
				180_000,
				triggerOnCallback,
				'trigger',
			],
		];
		if (options.browser)
			all.push([
				'5. editor in headless Chromium: node panel and create parameters',
				600_000,
				captureEditor,
				'editor',
			]);
		all.push(
			[
				"6. installed through n8n's Community Nodes installer from a registry, updated, uninstalled",
				900_000,
				installThroughInstaller(
					{ tarball: options.tarball, browser: options.installerBrowser === true },
					installerScreen,
				),
				'installer',
			],
			[
				'7. AI Agent with the Celantur tool and a fake OpenAI model (each API mode), the agent example',
				480_000,
				agentTool,
				'agent',
			],
			[
				'8. MCP Server Trigger with the Celantur tool, MCP client on Streamable HTTP and SSE',
				300_000,
				mcpTool,
				'mcp',
			],
			...CALLBACK_STEPS.map(([name, timeout, body]): Step => [name, timeout, body, 'callback']),
		);
		const only = options.only;
		// Wait Mode Callback's steps (about 7 minutes a version) run when asked for: --only callback.
		const steps = all.filter(([, , , key]) =>
			only ? key === 'load' || only.includes(key) : key !== 'callback',
		);
		for (const [name, timeout, body] of steps) {
			const current = ctx;
			if (!current) reporter.skip(label(name), 'set-up failed');
			else if (name !== steps[0][0] && !current.n8n.running)
				reporter.skip(label(name), 'n8n is not running');
			else await reporter.step(label(name), timeout, (step) => body(current, step));
		}
	} finally {
		await stop();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		// n8n's copy of the editor's static files (~50 MB) is no evidence of anything.
		rmSync(path.join(options.work, 'n8n-user', '.cache'), { recursive: true, force: true });
	}
	const results = reporter.results.slice(firstResult);
	run.ms = Date.now() - started;
	run.steps = results.length;
	run.passed = results.filter((result) => result.passed).length;
	return run;
}
