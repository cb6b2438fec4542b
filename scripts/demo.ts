// `npm run demo`: the main job end to end. Makes sample street images (and one file that only
// pretends to be an image), runs the importable workflow examples/folder-to-folder.json (read
// files -> Celantur -> write files, failures to a list beside them) through n8n-core, and prints
// what came out. Against the bundled emulator, or the real Celantur API when
// CELANTUR_EMAIL and CELANTUR_PASSWORD are set.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeExecutionData } from 'n8n-workflow';

import { CelanturApi } from '../credentials/CelanturApi.credentials';
import { DEFAULT_BASE_URL } from '../nodes/shared/api';
import { Celantur } from '../nodes/Celantur/Celantur.node';
import { DEFAULT_USER, startEmulator, type Emulator } from '../test/emulator';
import { makeTestImage, type PlacedObject } from '../test/emulator/images';
import { createHarness } from '../test/harness';
import { exampleNodeTypes, FOLDER_EXAMPLE, loadExample } from '../test/support/examples';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'demo-output');
const INPUT = path.join(OUT, 'input');
/** Not an image at all, named like one: the example lists it as failed and carries on. */
const NOT_AN_IMAGE = 'notes-not-a-photo.jpg';
const CREDENTIAL_ID = 'celantur-demo';

const SAMPLES: Array<{
	name: string;
	format: 'jpeg' | 'png';
	width: number;
	height: number;
	objects: PlacedObject[];
}> = [
	{
		name: 'crossing.jpg',
		format: 'jpeg',
		width: 640,
		height: 400,
		objects: [
			{ type: 'face', x: 80, y: 60, width: 60, height: 72 },
			{ type: 'face', x: 420, y: 90, width: 48, height: 56 },
			{ type: 'license_plate', x: 260, y: 300, width: 110, height: 32 },
		],
	},
	{
		name: 'parking.jpg',
		format: 'jpeg',
		width: 800,
		height: 500,
		objects: [
			{ type: 'license_plate', x: 100, y: 380, width: 120, height: 36 },
			{ type: 'license_plate', x: 520, y: 360, width: 120, height: 36 },
		],
	},
	{
		name: 'portrait.png',
		format: 'png',
		width: 400,
		height: 400,
		objects: [{ type: 'face', x: 130, y: 100, width: 140, height: 170 }],
	},
	{ name: 'empty-street.png', format: 'png', width: 480, height: 320, objects: [] },
	{
		name: 'bus-stop.jpg',
		format: 'jpeg',
		width: 720,
		height: 480,
		objects: [
			{ type: 'face', x: 200, y: 120, width: 54, height: 64 },
			{ type: 'face', x: 300, y: 130, width: 50, height: 60 },
			{ type: 'face', x: 560, y: 100, width: 58, height: 70 },
		],
	},
];

function detectionSummary(item: INodeExecutionData): string {
	const detections = (item.json.detections as Array<{ type_label?: string }> | undefined) ?? [];
	if (detections.length === 0) return 'none';
	const counts = new Map<string, number>();
	for (const d of detections)
		counts.set(d.type_label ?? '?', (counts.get(d.type_label ?? '?') ?? 0) + 1);
	return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}

function table(rows: string[][]): string {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
	return rows
		.map(
			(r, i) =>
				r.map((cell, c) => cell.padEnd(widths[c])).join('  ') +
				(i === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''),
		)
		.join('\n');
}

async function main(): Promise<void> {
	const real = Boolean(process.env.CELANTUR_EMAIL && process.env.CELANTUR_PASSWORD);
	let emulator: Emulator | undefined;
	if (!real) emulator = await startEmulator({ latency: { queuedMs: 300, processingMs: 900 } });
	const baseUrl = real ? (process.env.CELANTUR_BASE_URL ?? DEFAULT_BASE_URL) : emulator!.baseUrl;
	console.log(
		real
			? `Using the real Celantur API at ${baseUrl} as ${process.env.CELANTUR_EMAIL}`
			: `Using the bundled Celantur emulator at ${baseUrl}`,
	);

	rmSync(OUT, { recursive: true, force: true });
	mkdirSync(INPUT, { recursive: true });
	SAMPLES.forEach((sample, seed) =>
		writeFileSync(path.join(INPUT, sample.name), makeTestImage({ ...sample, seed: seed + 1 })),
	);
	writeFileSync(path.join(INPUT, NOT_AN_IMAGE), 'meeting notes, saved under the wrong name\n');
	console.log(
		`Made ${SAMPLES.length} sample images and ${NOT_AN_IMAGE} (not an image) in ${path.relative(ROOT, INPUT)}/`,
	);

	const harness = await createHarness({
		nodeTypes: { ...exampleNodeTypes(), 'n8n-nodes-celantur.celantur': new Celantur() },
		credentialTypes: { celanturApi: new CelanturApi() },
		credentials: [
			{
				id: CREDENTIAL_ID,
				name: 'Celantur account',
				type: 'celanturApi',
				data: real
					? {
							email: process.env.CELANTUR_EMAIL!,
							password: process.env.CELANTUR_PASSWORD!,
							baseUrl,
						}
					: { email: DEFAULT_USER.username, password: DEFAULT_USER.password, baseUrl },
			},
		],
	});
	const started = Date.now();
	let unexpected = 0;
	try {
		const result = await harness.run(loadExample(FOLDER_EXAMPLE, INPUT, OUT));
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		if (result.error) throw new Error(`The workflow failed: ${result.error.message}`);
		const anonymized = result.output('Anonymized?', 0);
		const failed = result.output('Anonymized?', 1);
		// A branch no item took did not run: every image failing (a wrong login, say) leaves it empty.
		const written = result.runData['Write anonymized images']
			? result.output('Write anonymized images')
			: [];
		const rows = [['file', 'task id', 'status', 'detections', 'seconds', 'written to']];
		for (const item of anonymized) {
			const task = emulator?.task(item.json.task_id as number);
			const taskSeconds = task
				? ((task.history.at(-1)!.at - task.createdAt) / 1000).toFixed(1)
				: seconds;
			const target = written.find((w) => w.json.task_id === item.json.task_id);
			rows.push([
				String(item.binary?.data?.fileName ?? '?'),
				String(item.json.task_id),
				String(item.json.task_status),
				detectionSummary(item),
				taskSeconds,
				target ? path.relative(ROOT, String(target.json.fileName)) : '-',
			]);
		}
		for (const item of failed) {
			if (item.json.file_name !== NOT_AN_IMAGE) unexpected++;
			rows.push([
				String(item.json.file_name ?? '?'),
				String(item.json.task_id ?? '-'),
				`failed: ${String(item.json.error)}`,
				'-',
				'-',
				'-',
			]);
		}
		console.log(`\n${table(rows)}\n`);
		console.log(
			`${anonymized.length} of ${anonymized.length + failed.length} files anonymized in ${seconds} s; results in ${path.relative(ROOT, OUT)}/`,
		);
		if (failed.length) {
			const list = path.join(OUT, 'failed-images.json');
			const listed = JSON.parse(readFileSync(list, 'utf8')) as unknown[];
			console.log(
				`${failed.length} failed (their own branch, the run stays green): listed in ${path.relative(ROOT, list)} (${listed.length} entries)`,
			);
		}
		if (anonymized.length !== SAMPLES.length) unexpected++;
		if (emulator) {
			const counts = emulator.counters();
			console.log(
				`Requests to Celantur: ${Object.entries(counts)
					.filter(([, n]) => n > 0)
					.map(([k, n]) => `${k} ${n}`)
					.join(', ')}`,
			);
		}
	} finally {
		await harness.close();
		await emulator?.close();
	}
	if (unexpected > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
