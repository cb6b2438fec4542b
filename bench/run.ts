// `npm run bench [-- --preset default|1k|10k-small] [--images N --image-mb MB --latency-s S
//  --concurrency C --sequential-sample N] [--node passthrough|store-copy|reference]
//  [--heap-snapshots DIR] [--cpu-profile DIR]`
// Drives the Celantur node through n8n-core against the emulator (in a child process) and prints a
// table and, last, one JSON line with the figures. `--node passthrough` gives the same items to a
// node that returns them unchanged: the memory n8n-core itself keeps per item. `--node store-copy`
// gives them to one that copies each image through n8n's binary store: what moving the bytes
// through n8n costs, with no API at all. `--node reference` runs the bare pipeline any node must
// run (reference.node.ts), measured against the same ideal as the Celantur node.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CelanturApi } from '../credentials/CelanturApi.credentials';
import { Celantur } from '../nodes/Celantur/Celantur.node';
import { DEFAULT_USER } from '../test/emulator';
import {
	createHarness,
	MANUAL_START_TYPE,
	node,
	PASS_THROUGH_TYPE,
	READ_FIXTURE_TYPE,
	workflow,
	type Harness,
	type RunResult,
} from '../test/harness';
import { parseArgs, type BenchArgs, type BenchNode } from './args';
import { EmulatorProcess } from './emulator-process';
import { API_PROBE_TYPE, ApiProbe } from './api-probe.node';
import { STORE_COPY_TYPE, StoreCopy } from './store-copy.node';
import { REFERENCE_TYPE, Reference } from './reference.node';
import {
	cpuSeconds,
	idealSeconds,
	measureTransferCosts,
	n8nIdealSeconds,
	singleStreamIdealSeconds,
	storeIdealSeconds,
	type TransferCosts,
} from './ideal';
import { phaseFigures, type Phases } from './phases';
import { cpuProfiler } from './cpu-profile';
import {
	heapSnapshot,
	memorySampler,
	settledMemory,
	type MemoryFigures,
	type Peaks,
} from './memory';

const MB = 1024 * 1024;

/** Where the nodes that call the API find it, and how long the emulator takes per task. */
interface ApiSetup {
	baseUrl: string;
	processingMs: number;
}

function handlerNode(handler: BenchNode, concurrency: number, api: ApiSetup) {
	const credentials = { credentials: { celanturApi: 'bench' } };
	switch (handler) {
		case 'passthrough':
			return node('Anonymize', PASS_THROUGH_TYPE);
		case 'store-copy':
			return node('Anonymize', STORE_COPY_TYPE, { concurrency });
		case 'reference':
			return node('Anonymize', REFERENCE_TYPE, { ...api, concurrency }, credentials);
		case 'celantur':
			return node(
				'Anonymize',
				'n8n-nodes-celantur.celantur',
				{
					resource: 'task',
					operation: 'create',
					anonymizationMethod: 'blur',
					objects: ['face', 'licensePlate'],
					options: { concurrency },
				},
				credentials,
			);
	}
}

function batchWorkflow(files: string[], concurrency: number, handler: BenchNode, api: ApiSetup) {
	const read = node('Read', READ_FIXTURE_TYPE, {
		files: JSON.stringify(files.map((file) => ({ path: file, mimeType: 'image/jpeg' }))),
	});
	return workflow([node('Start', MANUAL_START_TYPE), read, handlerNode(handler, concurrency, api)]);
}

interface BatchRun {
	/** Seconds the node under test ran, as n8n records it: the work the ideal is about. */
	wall: number;
	/** When n8n started the node under test (ms since the epoch), to place the emulator's timeline. */
	startedAt: number;
	/** Seconds of the whole workflow, reading the files into n8n included. */
	workflowWall: number;
	/** CPU seconds of this process during the workflow, reading the files included. */
	workflowCpu: number;
	result: RunResult;
}

async function runBatch(
	harness: Harness,
	files: string[],
	concurrency: number,
	handler: BenchNode,
	api: ApiSetup,
): Promise<BatchRun> {
	const started = Date.now();
	const cpuBefore = process.cpuUsage();
	const result = await harness.run(batchWorkflow(files, concurrency, handler, api));
	const workflowCpu = cpuSeconds(cpuBefore);
	const workflowWall = (Date.now() - started) / 1000;
	if (result.error) throw new Error(`workflow failed: ${result.error.message}`);
	const items = result.output('Anonymize');
	const failed = items.filter(
		(item) => item.json.error || (handler !== 'passthrough' && !item.binary?.anonymized),
	);
	if (items.length !== files.length || failed.length)
		throw new Error(`${failed.length} of ${files.length} images failed`);
	const { executionTime, startTime } = result.runData.Anonymize[0];
	return { wall: executionTime / 1000, startedAt: startTime, workflowWall, workflowCpu, result };
}

/** CPU seconds of reading the files into n8n alone, to take from a workflow's. */
async function readingCpu(harness: Harness, files: string[]): Promise<number> {
	const read = node('Read', READ_FIXTURE_TYPE, {
		files: JSON.stringify(files.map((file) => ({ path: file, mimeType: 'image/jpeg' }))),
	});
	const cpuBefore = process.cpuUsage();
	const result = await harness.run(workflow([node('Start', MANUAL_START_TYPE), read]));
	if (result.error) throw new Error(`reading failed: ${result.error.message}`);
	return cpuSeconds(cpuBefore);
}

async function authenticatedCreates(
	harness: Harness,
	baseUrl: string,
	jobs: number,
	concurrency: number,
): Promise<{ seconds: number; cpuSeconds: number }> {
	const probe = node(
		'Probe',
		API_PROBE_TYPE,
		{ baseUrl, jobs, concurrency },
		{ credentials: { celanturApi: 'bench' } },
	);
	const result = await harness.run(workflow([node('Start', MANUAL_START_TYPE), probe]));
	if (result.error) throw new Error(`API probe failed: ${result.error.message}`);
	const { seconds, cpuSeconds: cpu } = result.output('Probe')[0].json;
	return { seconds: Number(seconds), cpuSeconds: Number(cpu) };
}

function table(rows: Array<[string, string]>): string {
	const width = Math.max(...rows.map(([k]) => k.length));
	return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const emulator = await EmulatorProcess.start(args.latencyS * 1000);
	const api: ApiSetup = { baseUrl: emulator.baseUrl, processingMs: args.latencyS * 1000 };
	// The nodes that anonymize (the Celantur node, the bare reference) are measured against the ideal.
	const callsApi = args.node === 'celantur' || args.node === 'reference';
	const dir = mkdtempSync(path.join(tmpdir(), 'celantur-bench-'));
	const harness = await createHarness({
		nodeTypes: {
			'n8n-nodes-celantur.celantur': new Celantur(),
			[API_PROBE_TYPE]: new ApiProbe(),
			[STORE_COPY_TYPE]: new StoreCopy(),
			[REFERENCE_TYPE]: new Reference(),
		},
		credentialTypes: { celanturApi: new CelanturApi() },
		credentials: [
			{
				id: 'bench',
				name: 'bench',
				type: 'celanturApi',
				data: {
					email: DEFAULT_USER.username,
					password: DEFAULT_USER.password,
					baseUrl: emulator.baseUrl,
				},
			},
		],
	});
	try {
		const { files, bytes } = await emulator.ask(
			{ kind: 'makeImages', dir, count: args.images, bytes: Math.round(args.imageMb * MB) },
			'images',
		);
		// Warm up code paths and the token, so the runs measure steady work.
		const warm = await runBatch(harness, files.slice(0, 1), 1, 'celantur', api);
		const doneTaskId = Number(warm.result.output('Anonymize')[0].json.task_id);

		await emulator.ask({ kind: 'resetLog' }, 'done');
		heapSnapshot(args.heapSnapshots, `${args.preset}-${args.node}-before`);
		const before = settledMemory();
		const sampler = memorySampler();
		const profiler = await cpuProfiler(args.cpuProfile);
		const emulatorCpuBefore = (await emulator.ask({ kind: 'cpu' }, 'cpu')).seconds;
		let run: BatchRun | undefined = await runBatch(
			harness,
			files,
			args.concurrency,
			args.node,
			api,
		);
		const emulatorCpu = (await emulator.ask({ kind: 'cpu' }, 'cpu')).seconds - emulatorCpuBefore;
		await profiler.stop(`${args.preset}-${args.node}`);
		const peak = sampler.stop();
		// Measured while the execution's result is still held, as n8n holds it at the end of a run.
		const after = settledMemory();
		heapSnapshot(args.heapSnapshots, `${args.preset}-${args.node}-after`);
		const { wall, workflowWall, startedAt, workflowCpu } = run;
		run = undefined;
		const counters = (await emulator.ask({ kind: 'counters' }, 'counters')).counters;
		const phases = phaseFigures(
			(await emulator.ask({ kind: 'timeline' }, 'timeline')).timeline,
			startedAt,
		);
		const requests = Object.values(counters).reduce((sum, n) => sum + n, 0);
		// After the run, so that its buffers do not count in the memory the run started with.
		const creates = async (jobs: number, concurrency: number) =>
			await authenticatedCreates(harness, emulator.baseUrl, jobs, concurrency);
		const costs = callsApi
			? await measureTransferCosts(
					emulator.baseUrl,
					files[0],
					doneTaskId,
					args.concurrency,
					Math.max(4, wall / 10),
					creates,
				)
			: undefined;

		const memory = memoryFigures(args, bytes, before, after, peak);
		const batch = {
			preset: args.preset,
			node: args.node,
			images: args.images,
			latency_s: args.latencyS,
			image_mb: round(bytes / MB, 2),
			concurrency: args.concurrency,
		};
		if (!costs) {
			const figures = {
				...batch,
				wall_s: round(wall, 2),
				workflow_wall_s: round(workflowWall, 2),
				emulator_cpu_s: round(emulatorCpu, 2),
				...memory,
			};
			console.log(
				table([
					[
						'images',
						`${args.images} x ${batch.image_mb} MB through a node that ${args.node === 'passthrough' ? 'passes them on' : 'copies each through the binary store'}`,
					],
					['wall time', `${figures.wall_s} s`],
					[
						'retained per image',
						`${memory.retained_kb_per_image} kB RSS, ${memory.retained_heap_kb_per_image} kB heap`,
					],
				]),
			);
			console.log(JSON.stringify(figures));
			return;
		}

		const nodeCpu = workflowCpu - (await readingCpu(harness, files));
		const sample = Math.max(1, Math.min(args.sequentialSample, args.images));
		let sequentialSample = 0;
		for (const file of files.slice(0, sample))
			sequentialSample += (await runBatch(harness, [file], 1, args.node, api)).wall;
		const sequential = (sequentialSample * args.images) / sample;
		console.log(
			report(args, batch, memory, {
				wall,
				workflowWall,
				nodeCpu,
				emulatorCpu,
				sequential,
				sample,
				requests,
				counters,
				costs,
				bytes,
				phases,
			}),
		);
	} finally {
		await harness.close();
		emulator.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

function memoryFigures(
	args: BenchArgs,
	bytes: number,
	before: MemoryFigures,
	after: MemoryFigures,
	peaks: Peaks,
) {
	const peak = peaks.rss;
	const inFlight = Math.min(args.images, args.concurrency) * bytes;
	return {
		peak_rss_mb: round(peak / MB, 1),
		rss_growth_mb: round((peak - before.rss) / MB, 1),
		rss_growth_per_inflight_image: round(Math.max(0, peak - before.rss) / inFlight, 3),
		peak_heap_growth_mb: {
			used: round((peaks.heapUsed - before.heapUsed) / MB, 1),
			reserved: round((peaks.heapTotal - before.heapTotal) / MB, 1),
		},
		retained_kb_per_image: round((after.rss - before.rss - inFlight) / args.images / 1024, 1),
		retained_heap_kb_per_image: round((after.heapUsed - before.heapUsed) / args.images / 1024, 2),
		// Where the RSS that stays is: V8's heap reservation, buffers held, and the rest (the allocator's).
		retained_split_kb_per_image: {
			heap_total: round((after.heapTotal - before.heapTotal) / args.images / 1024, 1),
			external: round((after.external - before.external) / args.images / 1024, 1),
			other: round(
				(after.rss -
					before.rss -
					(after.heapTotal - before.heapTotal) -
					(after.external - before.external)) /
					args.images /
					1024,
				1,
			),
		},
	};
}

interface BatchFigures {
	preset: string;
	node: string;
	images: number;
	latency_s: number;
	image_mb: number;
	concurrency: number;
}

interface RunFigures {
	wall: number;
	workflowWall: number;
	/** CPU seconds of this process for the node under test: the workflow's less reading the files. */
	nodeCpu: number;
	/** CPU seconds of the emulator (Celantur's side, on the same machine) during the run. */
	emulatorCpu: number;
	sequential: number;
	sample: number;
	requests: number;
	counters: Record<string, number>;
	costs: TransferCosts;
	bytes: number;
	phases: Phases | undefined;
}

function report(
	args: BenchArgs,
	batch: BatchFigures,
	memory: ReturnType<typeof memoryFigures>,
	run: RunFigures,
): string {
	const { costs } = run;
	const ideal = idealSeconds(costs, args.images, args.latencyS);
	const singleStreamIdeal = singleStreamIdealSeconds(costs, args.images, run.bytes, args.latencyS);
	const storeIdeal = storeIdealSeconds(costs, args.images, args.latencyS);
	const n8nIdeal = n8nIdealSeconds(costs, args.images, args.latencyS);
	const figures = {
		...batch,
		wall_s: round(run.wall, 2),
		workflow_wall_s: round(run.workflowWall, 2),
		ideal_s: round(ideal, 2),
		ratio_to_ideal: round(run.wall / ideal, 2),
		ideal_with_store_s: round(storeIdeal, 2),
		ratio_to_ideal_with_store: round(run.wall / storeIdeal, 2),
		ideal_in_n8n_s: round(n8nIdeal, 2),
		ratio_to_ideal_in_n8n: round(run.wall / n8nIdeal, 2),
		// CPU seconds of this process hardly depend on what else the machine runs; wall seconds do.
		node_cpu_s: round(run.nodeCpu, 2),
		cpu_ratio_to_ideal: round(run.nodeCpu / (args.images * costs.cpuPerImageS), 2),
		cpu_ratio_to_ideal_in_n8n: round(run.nodeCpu / (args.images * costs.cpuPerImageInN8nS), 2),
		emulator_cpu_s: round(run.emulatorCpu, 2),
		single_stream_ideal_s: round(singleStreamIdeal, 2),
		ratio_to_single_stream_ideal: round(run.wall / singleStreamIdeal, 2),
		sequential_wall_s: round(run.sequential, 2),
		sequential_measured_images: run.sample,
		speedup_vs_sequential: round(run.sequential / run.wall, 1),
		requests_per_image: round(run.requests / args.images, 2),
		requests_by_endpoint: run.counters,
		phases_s: run.phases,
		...memory,
		transfer_mb_per_s: round(costs.singleStreamRate / MB, 0),
		aggregate_transfer_mb_per_s: round(costs.aggregateRate / MB, 0),
		api_request_ms: round(costs.apiRequestS * 1000, 2),
		authenticated_api_request_ms: round(costs.apiRequestWithAuthS * 1000, 2),
		store_ms_per_image: round(
			(costs.uploadFromStoreS + costs.downloadToStoreS - costs.uploadS - costs.downloadS) * 1000,
			2,
		),
		ideal_measured_s: round(costs.measuredS, 1),
	};
	const perImage = (2 * costs.apiRequestS + costs.uploadS + costs.downloadS) * 1000;
	const lines = table([
		[
			'images',
			`${args.images} x ${figures.image_mb} MB, emulator latency ${args.latencyS} s, concurrency ${args.concurrency}`,
		],
		[
			'wall time',
			`${figures.wall_s} s in the node (${figures.workflow_wall_s} s with reading the files into n8n)`,
		],
		[
			'ideal',
			`${figures.ideal_s} s (latency + ${args.images} x ${perImage.toFixed(2)} ms: 2 API requests at ${figures.api_request_ms} ms, up and down at ${figures.aggregate_transfer_mb_per_s} MB/s, ${args.concurrency} at a time)`,
		],
		[
			'ratio to ideal',
			`${figures.ratio_to_ideal} (costs measured over ${figures.ideal_measured_s} s after the run)`,
		],
		[
			'ideal with the store',
			`${figures.ideal_with_store_s} s (each upload read from and each download written into n8n's binary store: +${figures.store_ms_per_image} ms per image); ratio ${figures.ratio_to_ideal_with_store}`,
		],
		[
			'ideal in n8n',
			`${figures.ideal_in_n8n_s} s (as with the store, API requests through the credential at ${figures.authenticated_api_request_ms} ms); ratio ${figures.ratio_to_ideal_in_n8n}`,
		],
		[
			'CPU',
			`${figures.node_cpu_s} s in this process for the node; ratio ${figures.cpu_ratio_to_ideal} to the ideal's work, ${figures.cpu_ratio_to_ideal_in_n8n} to the ideal in n8n's; ${figures.emulator_cpu_s} s in the emulator (Celantur's side, on the same cores)`,
		],
		[
			'single-stream ideal',
			`${figures.single_stream_ideal_s} s (latency + transfers one at a time at ${figures.transfer_mb_per_s} MB/s); ratio ${figures.ratio_to_single_stream_ideal}`,
		],
		[
			'sequential',
			`${figures.sequential_wall_s} s (one image at a time; ${run.sample} measured, scaled to ${args.images})`,
		],
		['speedup', `${figures.speedup_vs_sequential}x`],
		[
			'requests per image',
			`${figures.requests_per_image} (${Object.entries(run.counters)
				.filter(([, n]) => n)
				.map(([k, n]) => `${k} ${n}`)
				.join(', ')})`,
		],
		['peak RSS', `${figures.peak_rss_mb} MB (+${figures.rss_growth_mb} MB during the run)`],
		[
			'retained per image',
			`${figures.retained_kb_per_image} kB RSS (after the run, less in-flight bytes), ${figures.retained_heap_kb_per_image} kB heap`,
		],
	]);
	return `${lines}\n${JSON.stringify(figures)}`;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
