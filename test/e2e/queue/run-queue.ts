// `npm run test:e2e -- --queue`: the package in n8n's queue mode (see topology.ts), per n8n version.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { startEmulator, type Emulator } from '../../emulator';
import {
	TRIGGER_WORKFLOW_ID,
	writeCredentialFile,
	writeImages,
	writeTriggerWorkflow,
} from '../fixtures';
import { ensureN8n } from '../n8n-binary';
import { installCommunityPackage, tarballPackageJson } from '../package-install';
import type { Reporter, StepContext } from '../reporter';
import { N8nRest } from '../rest-client';
import { E2E_LATENCY, type VersionRun, type VersionRunOptions } from '../run-version';
import { BATCH_WORKFLOW_ID, writeBatchWorkflow } from './batch-workflow';
import { queueCallbackSteps } from './callback';
import type { QueueContext } from './context';
import { mcpToolOnWorker } from './mcp';
import {
	concurrentExecutions,
	everyProcessLoads,
	noOrphanedBinaryData,
	triggerOnWebhookProcess,
} from './steps';
import { WORKERS, WORKER_CONCURRENCY, startQueueTopology, type QueueTopology } from './topology';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The queue-mode steps' keys, for `--only` (set-up always runs; `load` too). */
export const QUEUE_STEP_KEYS = ['load', 'batch', 'trigger', 'binary', 'mcp', 'callback'] as const;

type Step = [
	name: string,
	timeoutMs: number,
	body: (ctx: QueueContext, step: StepContext) => Promise<void>,
	key: (typeof QUEUE_STEP_KEYS)[number],
];

export async function runQueueMode(
	version: string,
	reporter: Reporter,
	options: VersionRunOptions,
): Promise<VersionRun> {
	const started = Date.now();
	const firstResult = reporter.results.length;
	const label = (name: string): string => `[n8n ${version} queue mode] ${name}`;
	mkdirSync(options.work, { recursive: true });
	let emulator: Emulator | undefined;
	let topology: QueueTopology | undefined;
	const cleanups: Array<() => Promise<void>> = [];
	const run: VersionRun = {
		version: `${version} (queue)`,
		node: '?',
		install: '?',
		ms: 0,
		steps: 0,
		passed: 0,
	};
	try {
		let ctx: QueueContext | undefined;
		await reporter.step(
			label(
				`0. PostgreSQL, Redis, main + webhook processor + ${WORKERS} workers (concurrency ${WORKER_CONCURRENCY}), workflows published`,
			),
			45 * 60_000,
			async (step: StepContext) => {
				const installStarted = Date.now();
				const install = await ensureN8n(version);
				const installMs = Date.now() - installStarted;
				run.node = install.node === 'system' ? `${process.versions.node} (system)` : install.node;
				run.install = installMs > 20_000 ? `${Math.round(installMs / 1000)} s` : 'cached';
				const userFolder = path.join(options.work, 'n8n-user');
				await installCommunityPackage(userFolder, options.tarball);
				emulator = await startEmulator({
					host: '127.0.0.1',
					tokenLifetimeSeconds: 5,
					latency: E2E_LATENCY,
				});
				const inputDir = path.join(options.work, 'in');
				const outputDir = path.join(options.work, 'out');
				for (const dir of [inputDir, outputDir]) mkdirSync(dir, { recursive: true });
				const images = writeImages(inputDir);
				const topologyStarted = Date.now();
				topology = await startQueueTopology(install, options.work, userFolder, [
					inputDir,
					outputDir,
				]);
				step.figure(
					'services',
					`PostgreSQL :${topology.postgres.port}, Redis :${topology.redis.port}${topology.installed.length ? ` (apt-get installed ${topology.installed.join(', ')})` : ''}`,
				);
				step.figure(
					'n8n processes up',
					`${topology.all.length} in ${((Date.now() - topologyStarted) / 1000).toFixed(1)} s`,
				);
				const rest = new N8nRest(topology.main.baseUrl);
				await rest.setupOwner();
				await rest.login();

				const credentialFile = path.join(options.work, 'credential.json');
				const batchFile = path.join(options.work, 'batch.json');
				const triggerFile = path.join(options.work, 'trigger.json');
				writeCredentialFile(credentialFile, emulator.baseUrl);
				writeBatchWorkflow(
					batchFile,
					path.join(ROOT, 'examples', 'folder-to-folder.json'),
					inputDir,
					outputDir,
				);
				writeTriggerWorkflow(triggerFile);
				await topology.main.mustCli(
					['import:credentials', `--input=${credentialFile}`],
					/Successfully imported 1 credential/,
				);
				for (const file of [batchFile, triggerFile])
					await topology.main.mustCli(
						['import:workflow', `--input=${file}`],
						/Successfully imported 1 workflow/,
					);
				for (const id of [BATCH_WORKFLOW_ID, TRIGGER_WORKFLOW_ID]) {
					const workflow = await rest.workflow(id);
					const activated = await rest.activateWorkflow(id, workflow.versionId);
					step.require(activated.active === true, `workflow ${id} is not active after publishing`);
				}
				ctx = {
					work: options.work,
					inputDir,
					outputDir,
					images,
					packageName: (await tarballPackageJson(options.tarball)).name,
					emulator,
					topology,
					rest,
					cleanups,
				};
			},
		);
		const all: Step[] = [
			[
				'1. every process (main, webhook, workers) loads the package',
				30_000,
				everyProcessLoads,
				'load',
			],
			[
				`2. ${20} concurrent executions of the example, started at the webhook processor, 5 s tokens`,
				360_000,
				concurrentExecutions,
				'batch',
			],
			[
				'3. Celantur Trigger on the webhook processor: simultaneous and repeated callbacks',
				300_000,
				triggerOnWebhookProcess,
				'trigger',
			],
			['4. no binary data outside an execution', 60_000, noOrphanedBinaryData, 'binary'],
			[
				'5. MCP tool call at the webhook processor runs on a worker',
				240_000,
				mcpToolOnWorker,
				'mcp',
			],
		];
		all.push(
			...queueCallbackSteps(all.length + 1).map(([name, timeout, body]): Step => [
				name,
				timeout,
				body,
				'callback',
			]),
		);
		const only = options.only;
		// Wait Mode Callback's steps (about 7 minutes a version) run when asked for: --only callback.
		const steps = all.filter(([, , , key]) =>
			only ? key === 'load' || only.includes(key) : key !== 'callback',
		);
		for (const [name, timeout, body] of steps) {
			const current = ctx;
			if (!current) reporter.skip(label(name), 'set-up failed');
			else await reporter.step(label(name), timeout, (step) => body(current, step));
		}
	} finally {
		await topology?.stop();
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
		await emulator?.close();
	}
	const results = reporter.results.slice(firstResult);
	run.ms = Date.now() - started;
	run.steps = results.length;
	run.passed = results.filter((result) => result.passed).length;
	return run;
}
