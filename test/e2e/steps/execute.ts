// Step 2: the example workflow (Read files -> Celantur create -> Anonymized? -> Write files, and
// the failures into a list), imported with a credential pointing at the emulator and run headless
// with `n8n execute --id`, with a text file named like an image among the images: the run must stay
// green, and that file must come out on the failure branch and in failed-images.json. The written files
// must be anonymized (changed in every object, unchanged far from them), and the emulator must have
// seen n8n sign in again when the short-lived token expired.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { decodeImage, regionDiff } from '../../emulator/images';
import type { E2eContext } from '../context';
import {
	FAR,
	FOLDER_WORKFLOW_ID,
	NOT_AN_IMAGE,
	TEST_IMAGES,
	inner,
	writeCredentialFile,
	writeFolderWorkflow,
	writeNotAnImage,
} from '../fixtures';
import { parseLogs } from '../n8n-instance';
import type { StepContext } from '../reporter';
import {
	executionError,
	lastNodeExecuted,
	nodeError,
	nodeOutput,
	ranNodes,
	type Item,
} from '../run-data';

/** What `n8n execute` logged after "Execution was successful:" (or NOT): the run's JSON. */
export function parseExecuteOutput(output: string): {
	ok: boolean;
	data?: unknown;
	messages: string[];
} {
	const entries = parseLogs(output);
	const messages = entries.map((entry) => entry.message || entry.raw);
	const marker = messages.findIndex((message) => /^Execution was (NOT )?successful/.test(message));
	if (marker < 0) return { ok: false, messages };
	const ok = !messages[marker].includes('NOT');
	for (const message of messages.slice(marker + 1)) {
		if (!message.trimStart().startsWith('{')) continue;
		try {
			return { ok, data: JSON.parse(message) as unknown, messages };
		} catch {
			// not the run data
		}
	}
	return { ok, messages };
}

/** Items of one output of a node's first run (nodeOutput reads only the first output). */
function branchOutput(runData: unknown, nodeName: string, outputIndex: number): Item[] {
	const runs = (
		runData as {
			resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Item[] | null> } }>> };
		}
	).resultData?.runData?.[nodeName];
	return runs?.[0]?.data?.main?.[outputIndex] ?? [];
}

export async function importAndExecute(ctx: E2eContext, step: StepContext): Promise<void> {
	await importExample(ctx);
	await executeExample(ctx, step);
}

/** A text file among the images, the credential (pointing at the emulator) and the example workflow, imported with n8n's CLI. */
export async function importExample(ctx: E2eContext): Promise<void> {
	writeNotAnImage(ctx.inputDir);
	const credentialFile = path.join(ctx.work, 'credential.json');
	const workflowFile = path.join(ctx.work, 'folder-to-folder.json');
	writeCredentialFile(credentialFile, ctx.emulator.baseUrl);
	writeFolderWorkflow(
		workflowFile,
		path.join(ctx.root, 'examples', 'folder-to-folder.json'),
		ctx.inputDir,
		ctx.outputDir,
	);
	await ctx.n8n.mustCli(
		['import:credentials', `--input=${credentialFile}`],
		/Successfully imported 1 credential/,
	);
	await ctx.n8n.mustCli(
		['import:workflow', `--input=${workflowFile}`],
		/Successfully imported 1 workflow/,
	);
}

/** Runs the imported example with `n8n execute --id` and checks the files it wrote, pixel by pixel. */
export async function executeExample(ctx: E2eContext, step: StepContext): Promise<void> {
	const before = ctx.emulator.counters();
	const tasksBefore = ctx.emulator.tasksCreated();
	const logStart = ctx.emulator.log.length;
	const result = await ctx.n8n.cli(['execute', `--id=${FOLDER_WORKFLOW_ID}`], 300_000);
	step.figure('n8n execute', `${(result.ms / 1000).toFixed(1)} s, exit ${result.code}`);
	const parsed = parseExecuteOutput(`${result.stdout}\n${result.stderr}`);
	step.check(result.code === 0, `n8n execute exited ${result.code ?? result.signal}`);
	step.require(
		parsed.data !== undefined,
		`n8n execute printed no run data: ${parsed.messages.slice(-8).join(' | ')}`,
	);
	const runData = (parsed.data as { data?: unknown }).data;
	const failedAt = lastNodeExecuted(runData);
	step.check(
		parsed.ok,
		`n8n execute reported the run NOT successful (at node "${failedAt}": ${executionError(runData)})`,
	);
	step.figure('nodes run', ranNodes(runData).length);

	step.check(
		nodeError(runData, 'Anonymize') === undefined,
		`Anonymize failed: ${nodeError(runData, 'Anonymize')}`,
	);
	const all = nodeOutput(runData, 'Anonymize') ?? [];
	step.check(
		all.length === TEST_IMAGES.length + 1,
		`Anonymize put out ${all.length} items for ${TEST_IMAGES.length} images and 1 text file`,
	);
	const anonymized = branchOutput(runData, 'Anonymized?', 0);
	step.check(
		anonymized.length === TEST_IMAGES.length,
		`Anonymized? passed ${anonymized.length} items on for ${TEST_IMAGES.length} images`,
	);

	// The text file: on the failure branch, in the failed list, with its name and the reason.
	const failed = branchOutput(runData, 'Anonymized?', 1);
	step.figure(
		'failure branch',
		failed
			.map((item) => `${String(item.json.file_name)}: ${String(item.json.error)}`)
			.join(' | ') || 'empty',
	);
	step.check(
		failed.length === 1 && failed[0].json.file_name === NOT_AN_IMAGE.name,
		`the failure branch holds ${failed.length} items, expected ${NOT_AN_IMAGE.name}`,
	);
	step.check(
		failed.length === 1 &&
			/^Item \d+ \(meeting-notes\.jpg\): the file's content is not a JPEG or PNG image/.test(
				String(failed[0].json.error),
			),
		`the failed item's reason is ${JSON.stringify(failed[0]?.json.error)}`,
	);
	const failedList = path.join(ctx.outputDir, 'failed-images.json');
	const listed = existsSync(failedList)
		? (JSON.parse(readFileSync(failedList, 'utf8')) as Array<Record<string, unknown>>)
		: [];
	step.check(
		listed.length === 1 &&
			listed[0].file_name === NOT_AN_IMAGE.name &&
			typeof listed[0].error === 'string',
		`failed-images.json lists ${JSON.stringify(listed).slice(0, 200)}`,
	);
	// One line per kind of problem, naming the first item that has it.
	const problems = new Map<string, string>();
	const note = (kind: string, detail: string): void => {
		if (!problems.has(kind)) problems.set(kind, detail);
	};
	for (const item of anonymized) {
		const name = item.binary?.data?.fileName ?? '?';
		if (item.json.error !== undefined)
			note('items with an error', `${name}: ${JSON.stringify(item.json.error).slice(0, 200)}`);
		else if (item.json.task_status !== 'done')
			note('items not done', `${name}: task_status ${String(item.json.task_status)}`);
		if (item.json.error === undefined && typeof item.json.task_id !== 'number')
			note('task_id not a number', `${name}: ${JSON.stringify(item.json.task_id)}`);
		if (item.json.error === undefined && !Array.isArray(item.json.detections))
			note('no detections (includeMetadata is on)', name);
		if (item.binary?.anonymized === undefined || item.binary?.data === undefined)
			note(
				'binaries not data + anonymized',
				`${name}: ${Object.keys(item.binary ?? {}).join(',')}`,
			);
	}
	for (const [kind, first] of problems) step.check(false, `Anonymize: ${kind}, e.g. ${first}`);
	const written = nodeOutput(runData, 'Write anonymized images') ?? [];
	step.check(
		written.length === TEST_IMAGES.length,
		`Write anonymized images wrote ${written.length} files`,
	);

	// The files on disk, pixel by pixel.
	let minObjectDiff = Infinity;
	let maxFarDiff = 0;
	const missing: string[] = [];
	for (const image of TEST_IMAGES) {
		const extension = path.extname(image.name);
		const outFile = path.join(
			ctx.outputDir,
			`${path.basename(image.name, extension)}-anonymized${extension}`,
		);
		if (!existsSync(outFile)) {
			missing.push(path.basename(outFile));
			continue;
		}
		const original = ctx.images.get(image.name);
		const output = readFileSync(outFile);
		if (!original) continue;
		const decoded = decodeImage(output);
		step.check(decoded.format === image.format, `${image.name}: written as ${decoded.format}`);
		step.check(
			decoded.width === image.width && decoded.height === image.height,
			`${image.name}: written ${decoded.width}x${decoded.height}`,
		);
		if (decoded.width !== image.width || decoded.height !== image.height) continue;
		for (const object of image.objects) {
			const diff = regionDiff(original, output, inner(object));
			minObjectDiff = Math.min(minObjectDiff, diff);
			step.check(
				diff > 25,
				`${image.name}: ${object.type} at ${object.x},${object.y} changed by only ${diff.toFixed(1)} (not anonymized)`,
			);
		}
		const far = regionDiff(original, output, FAR);
		maxFarDiff = Math.max(maxFarDiff, far);
		const allowed = image.format === 'png' ? 0 : 4;
		step.check(
			far <= allowed,
			`${image.name}: background changed by ${far.toFixed(2)} (allowed ${allowed})`,
		);
	}
	step.check(missing.length === 0, `not written: ${missing.join(', ')}`);
	if (missing.length < TEST_IMAGES.length) {
		step.figure(
			'files',
			`${TEST_IMAGES.length - missing.length} anonymized, object diff >= ${minObjectDiff.toFixed(1)}, background diff <= ${maxFarDiff.toFixed(2)}`,
		);
	}

	const after = ctx.emulator.counters();
	const signIns = after.signin - before.signin;
	const rejected = ctx.emulator.log
		.slice(logStart)
		.filter((entry) => entry.server === 'api' && entry.status === 401).length;
	// Tasks made, not create requests: a create refused with 401 (expired token) is sent again and makes none.
	const tasks = ctx.emulator.tasksCreated() - tasksBefore;
	step.figure(
		'emulator',
		`${tasks} tasks (${after.createTask - before.createTask} create requests), ${signIns} sign-ins, ${rejected} x 401`,
	);
	step.check(
		tasks === TEST_IMAGES.length,
		`emulator made ${tasks} tasks for ${TEST_IMAGES.length} images (the text file must cost none)`,
	);
	step.check(
		signIns > 1,
		`emulator saw ${signIns} sign-in(s): the expired token was not renewed by n8n's CredentialsHelper`,
	);
}
