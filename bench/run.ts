// `npm run bench [-- --images 100 --image-mb 1 --latency-s 2 --concurrency 10 --sequential-sample 10]`
// Drives the Celantur node through n8n-core against the emulator (in a child process) and prints a
// table and, last, one JSON line with the figures.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';

import { CelanturApi } from '../credentials/CelanturApi.credentials';
import { Celantur } from '../nodes/Celantur/Celantur.node';
import { DEFAULT_USER } from '../test/emulator';
import { createHarness, MANUAL_START_TYPE, node, READ_FIXTURE_TYPE, workflow, type Harness } from '../test/harness';
import type { ChildReply, ChildRequest } from './emulator-child';

interface Args {
	images: number;
	imageMb: number;
	latencyS: number;
	concurrency: number;
	sequentialSample: number;
}

function parseArgs(argv: string[]): Args {
	const args: Args = { images: 100, imageMb: 1, latencyS: 2, concurrency: 10, sequentialSample: 10 };
	const names: Record<string, keyof Args> = {
		'--images': 'images',
		'--image-mb': 'imageMb',
		'--latency-s': 'latencyS',
		'--concurrency': 'concurrency',
		'--sequential-sample': 'sequentialSample',
	};
	for (let i = 0; i < argv.length; i += 2) {
		const key = names[argv[i]];
		const value = Number(argv[i + 1]);
		if (!key || !Number.isFinite(value) || value < 0) throw new Error(`bad argument ${argv[i]} ${argv[i + 1] ?? ''}`);
		args[key] = value;
	}
	return args;
}

class EmulatorChild {
	private constructor(
		private readonly child: ChildProcess,
		readonly baseUrl: string,
	) {}

	static async start(processingMs: number): Promise<EmulatorChild> {
		const child = fork(path.join(__dirname, 'emulator-child.ts'), [], {
			execArgv: ['-r', 'ts-node/register'],
			env: { ...process.env, BENCH_PROCESSING_MS: String(processingMs), TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.test.json') },
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const ready = await new Promise<ChildReply>((resolve, reject) => {
			child.once('message', (message: ChildReply) => resolve(message));
			child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
		});
		if (ready.kind !== 'ready') throw new Error('emulator did not start');
		return new EmulatorChild(child, ready.baseUrl);
	}

	async ask<K extends ChildReply['kind']>(message: ChildRequest, kind: K): Promise<Extract<ChildReply, { kind: K }>> {
		const answer = new Promise<ChildReply>((resolve) => this.child.once('message', resolve));
		this.child.send(message);
		const reply = await answer;
		if (reply.kind !== kind) throw new Error(`unexpected reply ${reply.kind}`);
		return reply as Extract<ChildReply, { kind: K }>;
	}

	close(): void {
		this.child.send({ kind: 'close' } satisfies ChildRequest);
	}
}

/** Samples this process's RSS until stopped; the peak is what the run cost in memory. */
function rssSampler(): { stop(): number } {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	return {
		stop: () => {
			clearInterval(timer);
			return Math.max(peak, process.memoryUsage().rss);
		},
	};
}

function anonymizeWorkflow(files: string[], concurrency: number) {
	return workflow([
		node('Start', MANUAL_START_TYPE),
		node('Read', READ_FIXTURE_TYPE, { files: JSON.stringify(files.map((file) => ({ path: file, mimeType: 'image/jpeg' }))) }),
		node(
			'Anonymize',
			'n8n-nodes-celantur.celantur',
			{ resource: 'task', operation: 'create', anonymizationMethod: 'blur', objects: ['face', 'licensePlate'], options: { concurrency } },
			{ credentials: { celanturApi: 'bench' } },
		),
	]);
}

async function runBatch(harness: Harness, files: string[], concurrency: number): Promise<number> {
	const started = Date.now();
	const result = await harness.run(anonymizeWorkflow(files, concurrency));
	if (result.error) throw new Error(`workflow failed: ${result.error.message}`);
	const items = result.output('Anonymize');
	const failed = items.filter((item) => item.json.error || !item.binary?.anonymized);
	if (items.length !== files.length || failed.length) throw new Error(`${failed.length} of ${files.length} images failed`);
	return (Date.now() - started) / 1000;
}

/** Single-stream throughput of the emulator's storage, to size the ideal transfer time. */
async function measureTransferRate(baseUrl: string, file: string): Promise<number> {
	const { readFileSync } = await import('node:fs');
	const bytes = readFileSync(file);
	const token = JSON.parse(
		await (await request(`${baseUrl}/signin`, { method: 'POST', body: JSON.stringify(DEFAULT_USER), headers: { 'content-type': 'application/json' } })).body.text(),
	) as { AccessToken: string };
	let best = 0;
	for (let n = 0; n < 3; n++) {
		const created = JSON.parse(
			await (
				await request(`${baseUrl}/task`, {
					method: 'POST',
					headers: { authorization: token.AccessToken, 'content-type': 'application/json' },
					body: JSON.stringify({ anonymization_method: 'blur', face: true, start_on: 'start_request' }),
				})
			).body.text(),
		) as { upload_url: string };
		const started = process.hrtime.bigint();
		const put = await request(created.upload_url, { method: 'PUT', body: bytes, headers: { 'content-type': 'image/jpeg' } });
		await put.body.dump();
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		best = Math.max(best, bytes.length / seconds);
	}
	return best;
}

function table(rows: Array<[string, string]>): string {
	const width = Math.max(...rows.map(([k]) => k.length));
	return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const emulator = await EmulatorChild.start(args.latencyS * 1000);
	const dir = mkdtempSync(path.join(tmpdir(), 'celantur-bench-'));
	const harness = await createHarness({
		nodeTypes: { 'n8n-nodes-celantur.celantur': new Celantur() },
		credentialTypes: { celanturApi: new CelanturApi() },
		credentials: [{ id: 'bench', name: 'bench', type: 'celanturApi', data: { email: DEFAULT_USER.username, password: DEFAULT_USER.password, baseUrl: emulator.baseUrl } }],
	});
	try {
		const { files, bytes } = await emulator.ask({ kind: 'makeImages', dir, count: args.images, bytes: Math.round(args.imageMb * 1024 * 1024) }, 'images');
		const rate = await measureTransferRate(emulator.baseUrl, files[0]);
		// Warm up code paths and the token, so the runs measure steady work.
		await runBatch(harness, files.slice(0, 1), 1);
		global.gc?.();

		await emulator.ask({ kind: 'resetLog' }, 'done');
		const baseline = process.memoryUsage().rss;
		const sampler = rssSampler();
		const wall = await runBatch(harness, files, args.concurrency);
		const peak = sampler.stop();
		const counters = (await emulator.ask({ kind: 'counters' }, 'counters')).counters;
		const requests = Object.values(counters).reduce((sum, n) => sum + n, 0);

		const sample = Math.max(1, Math.min(args.sequentialSample, args.images));
		let sequentialSample = 0;
		for (const file of files.slice(0, sample)) sequentialSample += await runBatch(harness, [file], 1);
		const sequential = (sequentialSample * args.images) / sample;

		const transfer = (2 * bytes * args.images) / rate;
		const ideal = args.latencyS + transfer;
		const inFlight = Math.min(args.images, args.concurrency) * bytes;
		const figures = {
			images: args.images,
			latency_s: args.latencyS,
			image_mb: Number((bytes / 1024 / 1024).toFixed(2)),
			concurrency: args.concurrency,
			wall_s: Number(wall.toFixed(2)),
			ideal_s: Number(ideal.toFixed(2)),
			ratio_to_ideal: Number((wall / ideal).toFixed(2)),
			sequential_wall_s: Number(sequential.toFixed(2)),
			sequential_measured_images: sample,
			speedup_vs_sequential: Number((sequential / wall).toFixed(1)),
			requests_per_image: Number((requests / args.images).toFixed(2)),
			requests_by_endpoint: counters,
			peak_rss_mb: Number((peak / 1024 / 1024).toFixed(1)),
			rss_growth_mb: Number(((peak - baseline) / 1024 / 1024).toFixed(1)),
			rss_growth_per_inflight_image: Number((Math.max(0, peak - baseline) / inFlight).toFixed(3)),
			transfer_mb_per_s: Number((rate / 1024 / 1024).toFixed(0)),
		};
		console.log(
			table([
				['images', `${figures.images} x ${figures.image_mb} MB, emulator latency ${figures.latency_s} s, concurrency ${figures.concurrency}`],
				['wall time', `${figures.wall_s} s`],
				['ideal', `${figures.ideal_s} s (latency + ${transfer.toFixed(2)} s transfer at ${figures.transfer_mb_per_s} MB/s)`],
				['ratio to ideal', String(figures.ratio_to_ideal)],
				['sequential', `${figures.sequential_wall_s} s (one image at a time; ${sample} measured, scaled to ${args.images})`],
				['speedup', `${figures.speedup_vs_sequential}x`],
				['requests per image', `${figures.requests_per_image} (${Object.entries(counters).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ')})`],
				['peak RSS', `${figures.peak_rss_mb} MB (+${figures.rss_growth_mb} MB during the run)`],
				['RSS growth / in-flight bytes', `${figures.rss_growth_per_inflight_image} (in flight: ${Math.min(args.images, args.concurrency)} images)`],
			]),
		);
		console.log(JSON.stringify(figures));
	} finally {
		await harness.close();
		emulator.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
