// Queue-mode checks, each with figures: every process loads the package; 20 concurrent executions
// of the example, started at the webhook processor, run on the workers with 5 s tokens and all
// anonymize every image; the Celantur Trigger on the webhook processor starts exactly one execution
// per task under simultaneous and repeated callbacks; no binary data is left outside an execution.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_USER } from '../../emulator';
import { regionDiff } from '../../emulator/images';
import { createTask, http, signIn, upload } from '../../emulator/testkit';
import { TEST_IMAGES, TRIGGER_WEBHOOK_ID, TRIGGER_WORKFLOW_ID, inner } from '../fixtures';
import type { StepContext } from '../reporter';
import type { ExecutionSummary } from '../rest-client';
import { sleep, waitFor } from '../wait';
import { BATCH_PATH, BATCH_WORKFLOW_ID } from './batch-workflow';
import type { QueueContext } from './context';

const RUNS = 20;
const FINISHED = (execution: ExecutionSummary): boolean =>
	!['new', 'running', 'waiting', 'queued'].includes(execution.status);

export async function settled(
	ctx: QueueContext,
	workflowId: string,
	count: number,
	timeoutMs: number,
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await ctx.rest.executions(workflowId);
		if (list.length >= count && list.every(FINISHED)) return list;
		if (Date.now() > deadline) return list;
		await sleep(500);
	}
}

/** Which worker logged that it started each execution. */
export function workersOf(ctx: QueueContext): Map<string, string> {
	const ranOn = new Map<string, string>();
	ctx.topology.workers.forEach((worker, index) => {
		for (const entry of worker.logs()) {
			const match = /^Worker started execution (\S+)/.exec(entry.message);
			if (match) ranOn.set(match[1], `worker-${index + 1}`);
		}
	});
	return ranOn;
}

export async function everyProcessLoads(ctx: QueueContext, step: StepContext): Promise<void> {
	const names = ['main', 'webhook', ...ctx.topology.workers.map((_, n) => `worker-${n + 1}`)];
	ctx.topology.all.forEach((instance, index) => {
		const loaded = instance
			.logs()
			.some(
				(entry) => entry.message === `Loaded all credentials and nodes from ${ctx.packageName}`,
			);
		step.figure(names[index], loaded ? 'loaded' : 'NOT loaded');
		step.check(loaded, `${names[index]} did not load ${ctx.packageName}`);
	});
	step.figure('binary data mode', 'database');
}

export async function concurrentExecutions(ctx: QueueContext, step: StepContext): Promise<void> {
	for (let run = 1; run <= RUNS; run++)
		mkdirSync(path.join(ctx.outputDir, String(run)), { recursive: true });
	const before = ctx.emulator.counters();
	const tasksBefore = ctx.emulator.tasksCreated();
	const started = Date.now();
	const url = `${ctx.topology.webhook.baseUrl}/webhook/${BATCH_PATH}`;
	const answers = await Promise.all(
		Array.from({ length: RUNS }, (_, n) =>
			http('POST', `${url}?run=${n + 1}`, { body: { run: n + 1 } }),
		),
	);
	step.check(
		answers.every((answer) => answer.status === 200),
		`the webhook processor answered ${answers.map((a) => a.status).join(',')}`,
	);
	const executions = await settled(ctx, BATCH_WORKFLOW_ID, RUNS, 240_000);
	const seconds = (Date.now() - started) / 1000;
	const byStatus = new Map<string, number>();
	for (const execution of executions)
		byStatus.set(execution.status, (byStatus.get(execution.status) ?? 0) + 1);
	step.figure(
		'executions',
		`${executions.length} in ${seconds.toFixed(1)} s (${[...byStatus].map(([status, n]) => `${n} ${status}`).join(', ')})`,
	);
	step.check(
		executions.length === RUNS && byStatus.get('success') === RUNS,
		`expected ${RUNS} successful executions`,
	);

	const ranOn = workersOf(ctx);
	const perWorker = new Map<string, number>();
	for (const execution of executions) {
		const worker = ranOn.get(execution.id) ?? 'not on a worker';
		perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
	}
	step.figure('ran on', [...perWorker].map(([worker, n]) => `${worker} ${n}`).join(', '));
	step.check(
		!perWorker.has('not on a worker'),
		`${perWorker.get('not on a worker') ?? 0} executions ran outside the workers`,
	);
	step.figure('modes', [...new Set(executions.map((execution) => execution.mode))].join(','));

	let files = 0;
	let minDiff = Infinity;
	for (let run = 1; run <= RUNS; run++) {
		for (const image of TEST_IMAGES) {
			const extension = path.extname(image.name);
			const file = path.join(
				ctx.outputDir,
				String(run),
				`${path.basename(image.name, extension)}-anonymized${extension}`,
			);
			const original = ctx.images.get(image.name);
			if (!existsSync(file) || !original) continue;
			files++;
			const written = readFileSync(file);
			for (const object of image.objects)
				minDiff = Math.min(minDiff, regionDiff(original, written, inner(object)));
		}
	}
	step.figure(
		'files',
		`${files} anonymized of ${RUNS * TEST_IMAGES.length}, object diff >= ${minDiff.toFixed(1)}`,
	);
	step.check(
		files === RUNS * TEST_IMAGES.length && minDiff > 25,
		'not every image was written anonymized',
	);
	const after = ctx.emulator.counters();
	const tasks = ctx.emulator.tasksCreated() - tasksBefore;
	const rejected = after.createTask - before.createTask - tasks;
	step.figure(
		'emulator',
		`${tasks} tasks, ${after.signin - before.signin} sign-ins (tokens live 5 s), ${rejected} create requests refused with an expired token and resent`,
	);
	step.check(
		tasks === RUNS * TEST_IMAGES.length,
		`${tasks} tasks were created for ${RUNS * TEST_IMAGES.length} images`,
	);
}

async function doneTasks(ctx: QueueContext, count: number): Promise<number[]> {
	const token = await signIn(ctx.emulator, DEFAULT_USER);
	const image = TEST_IMAGES[0];
	const bytes = ctx.images.get(image.name);
	if (!bytes) throw new Error('no test image');
	const ids: number[] = [];
	for (let n = 0; n < count; n++) {
		const created = await createTask(ctx.emulator, token, {
			anonymization_method: 'blur',
			face: true,
			'license-plate': true,
		});
		await upload(String(created.upload_url), bytes, 'image/jpeg');
		ids.push(Number(created.task_id));
	}
	await waitFor('the tasks to finish at the emulator', 60_000, async () =>
		ids.every((id) => ctx.emulator.task(id)?.status === 'done') ? true : undefined,
	);
	return ids;
}

export async function triggerOnWebhookProcess(ctx: QueueContext, step: StepContext): Promise<void> {
	const url = `${ctx.topology.webhook.baseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
	// n8n 2.41 registers a published workflow's webhook shortly after /activate answers.
	await waitFor('the webhook to be registered', 20_000, async () =>
		(await http('POST', url, { body: {} })).status === 404 ? undefined : true,
	);
	const [single, ...batch] = await doneTasks(ctx, 7);
	const call = (id: number) =>
		http('POST', url, { body: { customer_id: 'c-1', task_id: id, task_status: 'done' } });
	const count = async (): Promise<number> =>
		(await settled(ctx, TRIGGER_WORKFLOW_ID, 0, 60_000)).length;

	const copies = await Promise.all(Array.from({ length: 5 }, () => call(single)));
	const afterCopies = (await settled(ctx, TRIGGER_WORKFLOW_ID, 1, 60_000)).length;
	step.figure(
		'5 copies at once',
		`answers ${copies.map((a) => a.status).join(',')}, ${afterCopies} execution(s)`,
	);
	step.check(
		afterCopies === 1,
		`5 simultaneous copies of one callback started ${afterCopies} executions`,
	);

	const together = await Promise.all(batch.map(call));
	const afterBatch =
		(await settled(ctx, TRIGGER_WORKFLOW_ID, 1 + batch.length, 90_000)).length - afterCopies;
	step.figure(
		'6 tasks at once',
		`answers ${together.map((a) => a.status).join(',')}, ${afterBatch} execution(s)`,
	);
	step.check(
		afterBatch === batch.length,
		`6 different tasks called back together started ${afterBatch} executions`,
	);

	await Promise.all([single, ...batch].map(call));
	await sleep(3000);
	const replayed = (await count()) - afterCopies - afterBatch;
	step.figure('replay of all 7', `${replayed} execution(s)`);
	step.check(replayed === 0, `replaying the callbacks started ${replayed} executions`);

	const executions = await settled(ctx, TRIGGER_WORKFLOW_ID, 1 + batch.length, 60_000);
	const failed = executions.filter((execution) => execution.status !== 'success');
	step.check(failed.length === 0, `${failed.length} trigger executions did not succeed`);
	const ranOn = workersOf(ctx);
	step.figure(
		'trigger executions on workers',
		`${executions.filter((execution) => ranOn.has(execution.id)).length} of ${executions.length}`,
	);
}

export async function noOrphanedBinaryData(ctx: QueueContext, step: StepContext): Promise<void> {
	const rows = await ctx.topology.postgres.query(
		`select "sourceType", case when "sourceId" = 'temp' then 'temp' else 'execution id' end, count(*) from binary_data group by 1, 2 order by 1, 2`,
	);
	step.figure('binary_data', rows.split('\n').filter(Boolean).join('; ') || 'no rows');
	const unlinked = Number(
		await ctx.topology.postgres.query(
			`select count(*) from binary_data b where b."sourceType" <> 'execution' or not exists (select 1 from execution_entity e where e.id::text = b."sourceId")`,
		),
	);
	step.figure('rows not linked to an execution', unlinked);
	step.check(unlinked === 0, `${unlinked} binary_data rows belong to no execution`);
}
