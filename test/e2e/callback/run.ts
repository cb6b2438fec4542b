// Running one callback-step workflow and reading what came of it: the webhook is called, the
// execution watched (watch.ts), its run data read, and the Celantur requests and callbacks that
// belong to it counted. Works the same on a single n8n and in queue mode, through CallbackHost.
import type { Emulator, RequestLogEntry, WebhookDelivery } from '../../emulator';
import { decodeImage, regionDiff } from '../../emulator/images';
import { http } from '../../emulator/testkit';
import { FAR, inner } from '../fixtures';
import { parseFlatted } from '../flatted';
import type { LogEntry, N8nInstance } from '../n8n-instance';
import type { StepContext } from '../reporter';
import type { N8nRest } from '../rest-client';
import { binaryBytes, nodeOutput, type Item } from '../run-data';
import { sleep, waitFor } from '../wait';
import {
	AFTER_NODE,
	ANONYMIZE_NODE,
	BATCHES,
	READ_NODE,
	SCENARIOS,
	webhookPath,
	workflowId,
	writeBatches,
	writeImportFiles,
	type BatchImage,
	type BatchName,
	type ScenarioKey,
} from './fixtures';
import { ExecutionWatch, type Timeline } from './watch';

/** Where the callback steps run: one n8n, or a queue-mode topology. */
export interface CallbackHost {
	work: string;
	/** A folder n8n may read (N8N_RESTRICT_FILE_ACCESS_TO). */
	inputDir: string;
	emulator: Emulator;
	/** n8n's REST API (main process), signed in. */
	rest(): N8nRest;
	/** The n8n whose CLI imports workflows. */
	importer(): N8nInstance;
	/** Where production webhooks (`/webhook/<path>`) are served. */
	webhookBase(): string;
	/** The logs of the processes that take Celantur's callbacks. */
	callbackLogs(): LogEntry[];
	/** The logs of every n8n process (queue mode: workers too). */
	n8nLogs(): LogEntry[];
	/** Queue mode: the processes a load balancer could send callbacks to, and whether each serves them. */
	receivers?(): Array<{ name: string; origin: string; serves: boolean }>;
	/** Queue mode: which worker ran an execution. */
	ranOn?(executionId: string): string;
}

export interface Prepared {
	batches: Record<BatchName, Map<string, BatchImage>>;
	/** Poll-mode figures per batch, for the PASS lines of later steps on the same batch. */
	poll: Map<BatchName, string>;
}

const prepared = new WeakMap<Emulator, Promise<Prepared>>();

/** Images, credential and workflows, imported and published once per n8n (or topology). */
export function prepare(host: CallbackHost): Promise<Prepared> {
	let ready = prepared.get(host.emulator);
	if (!ready) {
		ready = (async () => {
			const batches = writeBatches(host.inputDir);
			const files = writeImportFiles(host.work, host.inputDir, host.emulator.baseUrl);
			const n8n = host.importer();
			await n8n.mustCli(
				['import:credentials', `--input=${files.credentialFile}`],
				/Successfully imported 1 credential/,
			);
			await n8n.mustCli(
				['import:workflow', `--input=${files.workflowsFile}`],
				/Successfully imported \d+ workflows?/,
			);
			for (const scenario of Object.values(SCENARIOS)) {
				const id = workflowId(scenario.key);
				const workflow = await host.rest().workflow(id);
				const activated = await host.rest().activateWorkflow(id, workflow.versionId);
				if (activated.active !== true) throw new Error(`workflow ${id} is not active`);
			}
			return { batches, poll: new Map() };
		})();
		prepared.set(host.emulator, ready);
		ready.catch(() => prepared.delete(host.emulator));
	}
	return ready;
}

/** Real tokens live an hour: the cost figures should not count the 2 s tokens of the other steps. */
export async function withCallbackKnobs<T>(host: CallbackHost, body: () => Promise<T>): Promise<T> {
	const knobs = host.emulator.knobs;
	const saved = { tokens: knobs.tokenLifetimeSeconds, callbacks: knobs.callbacks };
	knobs.tokenLifetimeSeconds = 3600;
	knobs.callbacks = { ...saved.callbacks, drop: [], hold: false, copies: 1, delayMs: 0 };
	try {
		return await body();
	} finally {
		knobs.tokenLifetimeSeconds = saved.tokens;
		knobs.callbacks = saved.callbacks;
	}
}

/** A workflow run under way. */
export interface Started {
	key: ScenarioKey;
	images: Map<string, BatchImage>;
	watch: ExecutionWatch;
	logStart: number;
	tasksBefore: number;
	/** The workflow's executions before this run. */
	before: Set<string>;
	/** Every task that changed status at the emulator since the start (of any run). */
	seenTasks: Set<number>;
	stopSeeing: () => void;
}

export async function start(host: CallbackHost, key: ScenarioKey): Promise<Started> {
	const { batches } = await prepare(host);
	const scenario = SCENARIOS[key];
	const id = workflowId(key);
	const before = new Set((await host.rest().executions(id)).map((execution) => execution.id));
	const logStart = host.emulator.log.length;
	const tasksBefore = host.emulator.tasksCreated();
	const seenTasks = new Set<number>();
	const stopSeeing = host.emulator.on('status', (task) => seenTasks.add(task.id));
	const url = `${host.webhookBase()}/webhook/${webhookPath(key)}`;
	const triggeredAt = Date.now();
	// n8n 2.41 registers a published workflow's webhooks shortly after /activate answers.
	const answer = await waitFor(`the webhook of ${key} to be registered`, 30_000, async () => {
		const response = await http('POST', url, { body: { scenario: key } });
		return response.status === 404 ? undefined : response;
	});
	if (answer.status !== 200)
		throw new Error(`the webhook of ${key} answered ${answer.status} ${answer.text.slice(0, 200)}`);
	const watch = new ExecutionWatch(host.rest, id, before, triggeredAt);
	return {
		key,
		images: batches[scenario.batch],
		watch,
		logStart,
		tasksBefore,
		before,
		seenTasks,
		stopSeeing,
	};
}

/** What one run came to. */
export interface BatchRun extends Started {
	status: string;
	executionId: string;
	timeline: Timeline;
	/** Anonymize's output, After's input, and Read's output (the input order). */
	items: Item[];
	after: Item[];
	read: Item[];
	/** How many runs each node has in the run data. */
	runs: Record<string, number>;
	requests: RequestLogEntry[];
	/** Tasks the emulator made between this run's start and its end (other runs' too, if any overlapped). */
	tasksCreated: number;
	/** Executions of the workflow since the start: 1 unless something ran it twice. */
	executions: number;
	taskIds: number[];
	deliveries: WebhookDelivery[];
	/** When each task of this run ended at the emulator (done or failed), by id. */
	endedAt: Map<number, number>;
	/** From the first upload the emulator accepted to the last task's end: Celantur at work. */
	work?: { from: number; to: number };
}

/** How long a batch may sit waiting after its last task ended and its last callback was answered. */
const STALL_MS = 45_000;

/**
 * Why the run is stuck, if it is: waiting, every task of its execution ended at Celantur, every
 * callback delivered (none held), and nothing happened for STALL_MS. Nothing more will come but
 * the deadline.
 */
function stalled(host: CallbackHost, started: Started): string | undefined {
	const id = started.watch.id;
	if (!id || started.watch.status !== 'waiting') return undefined;
	const tasks = [...started.seenTasks]
		.map((taskId) => host.emulator.task(taskId))
		.filter((task) => task?.settings.webhook?.includes(`/webhook-waiting/${id}`));
	if (tasks.length === 0) return undefined;
	const held = new Set(host.emulator.heldCallbacks());
	let last = 0;
	for (const task of tasks) {
		if (!task || !['done', 'failed'].includes(task.status) || held.has(task.id)) return undefined;
		if (task.status === 'done' && task.webhookDeliveries.length === 0) return undefined;
		last = Math.max(last, task.history.at(-1)?.at ?? 0, ...task.webhookDeliveries.map((d) => d.at));
	}
	last = Math.max(last, host.emulator.log.at(-1)?.time ?? 0);
	if (Date.now() - last < STALL_MS) return undefined;
	const deliveries = tasks.flatMap((task) => task?.webhookDeliveries ?? []);
	return `the execution still waits ${((Date.now() - last) / 1000).toFixed(0)} s after its ${tasks.length} tasks ended (${tasks.filter((task) => task?.status === 'failed').length} failed) and their callbacks were answered (${answers(deliveries)}): only the deadline (${SCENARIOS[started.key].timeout} s) will end it`;
}

export async function finish(
	host: CallbackHost,
	started: Started,
	timeoutMs = 300_000,
	options: { stall?: boolean } = {},
): Promise<BatchRun> {
	const ended = started.watch.ended(timeoutMs);
	let status: string | undefined;
	if (options.stall === false) status = await ended;
	else {
		ended.catch(() => undefined);
		while (status === undefined) {
			const outcome = await Promise.race([ended, sleep(2000).then(() => undefined)]);
			if (outcome !== undefined) status = outcome;
			else {
				const why = stalled(host, started);
				if (why) {
					started.watch.stop();
					started.stopSeeing();
					throw new Error(why);
				}
			}
		}
	}
	started.stopSeeing();
	const executionId = started.watch.id ?? '';
	const requests = host.emulator.log.slice(started.logStart);
	const detail = await host.rest().execution(executionId);
	const runData = parseFlatted(detail.data);
	const runs: Record<string, number> = {};
	const all =
		(runData as { resultData?: { runData?: Record<string, unknown[]> } }).resultData?.runData ?? {};
	for (const [name, list] of Object.entries(all)) runs[name] = list.length;
	const items = nodeOutput(runData, ANONYMIZE_NODE) ?? [];
	const taskIds = items
		.map((item) => item.json.task_id)
		.filter((id): id is number => typeof id === 'number');
	const deliveries = taskIds.flatMap((id) => host.emulator.task(id)?.webhookDeliveries ?? []);
	const endedAt = new Map<number, number>();
	for (const id of taskIds) {
		const end = host.emulator
			.task(id)
			?.history.find((entry) => entry.status === 'done' || entry.status === 'failed');
		if (end) endedAt.set(id, end.at);
	}
	const queuedAt = taskIds
		.map((id) => host.emulator.task(id)?.history.find((entry) => entry.status === 'queued')?.at)
		.filter((at): at is number => at !== undefined);
	const work =
		queuedAt.length && endedAt.size
			? { from: Math.min(...queuedAt), to: Math.max(...endedAt.values()) }
			: undefined;
	const executions = (await host.rest().executions(workflowId(started.key))).filter(
		(execution) => !started.before.has(execution.id),
	).length;
	return {
		...started,
		status,
		executionId,
		executions,
		timeline: started.watch.timeline(),
		items,
		after: nodeOutput(runData, AFTER_NODE) ?? [],
		read: nodeOutput(runData, READ_NODE) ?? [],
		runs,
		requests,
		tasksCreated: host.emulator.tasksCreated() - started.tasksBefore,
		taskIds,
		deliveries,
		endedAt,
		work,
	};
}

export async function runScenario(host: CallbackHost, key: ScenarioKey): Promise<BatchRun> {
	return await finish(host, await start(host, key));
}

/** The image an item stands for: its file name, or its result's name without "-anonymized". */
export function nameOf(item: Item): string {
	if (typeof item.json.file_name === 'string') return item.json.file_name;
	const result = item.binary?.anonymized?.fileName ?? '';
	return result.replace(/-anonymized(\.\w+)$/, '$1');
}

/** Celantur requests per image, and which. */
export function cost(run: BatchRun): { perImage: number; text: string } {
	const n = BATCHES[SCENARIOS[run.key].batch];
	const byEndpoint = new Map<string, number>();
	for (const entry of run.requests)
		byEndpoint.set(entry.endpoint, (byEndpoint.get(entry.endpoint) ?? 0) + 1);
	const rejected = run.requests.filter((entry) => entry.status === 401).length;
	const parts = [...byEndpoint].map(([endpoint, k]) => `${endpoint} ${k}`);
	if (rejected) parts.push(`(${rejected} x 401)`);
	return {
		perImage: Number((run.requests.length / n).toFixed(2)),
		text: `${run.requests.length} requests: ${parts.join(', ')}`,
	};
}

/** How n8n answered the batch's callbacks: `200 x5, dropped x1`, other statuses and errors. */
export function answers(deliveries: WebhookDelivery[]): string {
	const tally = new Map<string, number>();
	for (const delivery of deliveries) {
		const key = delivery.dropped
			? 'dropped'
			: delivery.status !== undefined
				? String(delivery.status)
				: `error (${(delivery.error ?? '').slice(0, 40)})`;
		tally.set(key, (tally.get(key) ?? 0) + 1);
	}
	return [...tally].map(([key, n]) => `${key} x${n}`).join(', ') || 'none';
}

/** The figures of a PASS line: cost and time, as `prefix` + name. */
export function figures(step: StepContext, run: BatchRun, prefix = ''): void {
	const { perImage } = cost(run);
	step.figure(`${prefix}requests_per_image`, perImage);
	step.figure(`${prefix}running_s`, run.timeline.running_s.toFixed(1));
	step.figure(`${prefix}waiting_s`, run.timeline.waiting_s.toFixed(1));
	if (run.work)
		step.figure(
			`${prefix}running_while_celantur_works_s`,
			`${runningWhileWorking(run).toFixed(1)} of ${((run.work.to - run.work.from) / 1000).toFixed(1)}`,
		);
}

function runningWhileWorking(run: BatchRun): number {
	return run.work ? run.watch.runningWithin(run.work.from, run.work.to) : 0;
}

/**
 * The execution succeeded, ran every node once, made one task per image (`alone`: no other run
 * overlapped, so the emulator's count is this run's) and kept the input order.
 */
export function checkOnce(step: StepContext, run: BatchRun, what: string, alone = true): void {
	const n = run.images.size;
	step.check(run.status === 'success', `${what}: the execution ended ${run.status}`);
	step.check(run.executions === 1, `${what}: the workflow ran ${run.executions} times`);
	step.check(
		run.runs[ANONYMIZE_NODE] === 1 && run.runs[AFTER_NODE] === 1,
		`${what}: Anonymize ran ${run.runs[ANONYMIZE_NODE] ?? 0} times, After ${run.runs[AFTER_NODE] ?? 0} times (expected once each)`,
	);
	step.check(
		run.items.length === n && run.after.length === n,
		`${what}: Anonymize put out ${run.items.length} items, After got ${run.after.length}, for ${n} images`,
	);
	if (alone)
		step.check(
			run.tasksCreated === n,
			`${what}: ${run.tasksCreated} tasks created for ${n} images`,
		);
	step.check(
		new Set(run.taskIds).size === run.taskIds.length && run.taskIds.length === n,
		`${what}: ${run.taskIds.length} task ids (${new Set(run.taskIds).size} distinct) for ${n} images`,
	);
	const inputOrder = run.read.map((item) => item.binary?.data?.fileName ?? '?');
	const outputOrder = run.items.map(nameOf);
	step.check(
		JSON.stringify(inputOrder) === JSON.stringify(outputOrder),
		`${what}: output order ${outputOrder.slice(0, 6).join(',')} is not the input order ${inputOrder.slice(0, 6).join(',')}`,
	);
}

/** Every item that is not in `failed` is done with its anonymized image, checked pixel by pixel as step 2 does. */
export async function checkResults(
	step: StepContext,
	host: CallbackHost,
	run: BatchRun,
	what: string,
	failed: Set<number> = new Set(),
	resumers = 1,
): Promise<{ minObjectDiff: number; maxFarDiff: number }> {
	let minObjectDiff = Infinity;
	let maxFarDiff = 0;
	const problems = new Map<string, string>();
	const note = (kind: string, detail: string): void => {
		if (!problems.has(kind)) problems.set(kind, detail);
	};
	for (const item of run.items) {
		const name = nameOf(item);
		const taskId = item.json.task_id as number;
		if (failed.has(taskId)) continue;
		const image = run.images.get(name);
		if (!image) {
			note('items naming no image of the batch', name);
			continue;
		}
		if (item.json.error !== undefined)
			note('items with an error', `${name}: ${JSON.stringify(item.json.error).slice(0, 200)}`);
		if (item.json.task_status !== 'done')
			note('items not done', `${name}: task_status ${String(item.json.task_status)}`);
		const binary = item.binary?.anonymized;
		if (!binary) {
			note('items without binary "anonymized"', name);
			continue;
		}
		const bytes = await binaryBytes(binary, (id) => host.rest().binaryData(id));
		const decoded = decodeImage(bytes);
		if (decoded.format !== image.format || decoded.width !== image.width) {
			note('results of another format or size', `${name}: ${decoded.format} ${decoded.width}`);
			continue;
		}
		for (const object of image.objects) {
			const diff = regionDiff(image.bytes, bytes, inner(object));
			minObjectDiff = Math.min(minObjectDiff, diff);
			if (diff <= 25) note('objects not anonymized', `${name}: ${object.type} ${diff.toFixed(1)}`);
		}
		const far = regionDiff(image.bytes, bytes, FAR);
		maxFarDiff = Math.max(maxFarDiff, far);
		if (far > (image.format === 'png' ? 0 : 4))
			note('background changed', `${name}: ${far.toFixed(2)}`);
	}
	for (const [kind, first] of problems) step.check(false, `${what}: ${kind}, e.g. ${first}`);
	// The callback that resumes downloads each result once; another that also decided to resume
	// (a race) downloads them again, for nothing. Only a process that received the deciding callback
	// resumes: when Celantur's callback is repeated to `resumers` processes, each of them may, and
	// the loser may still be downloading when the winner's execution has ended.
	const results = run.items.filter((item) => !failed.has(item.json.task_id as number)).length;
	const downloads = run.requests.filter((entry) => entry.endpoint === 'downloadAnonymized').length;
	step.check(
		downloads >= results && downloads <= results * resumers,
		`${what}: ${downloads} result downloads for ${results} results (each is downloaded once, or at most once by each of the ${resumers} process(es) that received the deciding callback)`,
	);
	return { minObjectDiff, maxFarDiff };
}

/** Ended at the deadline, without the node: every item names its task and carries no image. */
export function checkDeadlineItems(
	step: StepContext,
	host: CallbackHost,
	run: BatchRun,
	what: string,
): void {
	step.check(run.status === 'success', `${what}: the execution ended ${run.status}`);
	step.check(
		run.items.length === run.images.size,
		`${what}: ${run.items.length} items for ${run.images.size} images`,
	);
	for (const item of run.items) {
		const name = nameOf(item);
		const taskId = item.json.task_id;
		step.check(
			item.json.task_status === 'waiting' && typeof taskId === 'number',
			`${what}: ${name} came out ${JSON.stringify(item.json).slice(0, 200)}, not task_status waiting with a task_id`,
		);
		step.check(
			Object.keys(item.binary ?? {}).length === 0,
			`${what}: ${name} carries binaries ${Object.keys(item.binary ?? {}).join(',')} (the original image must never come out)`,
		);
		step.check(run.images.has(name), `${what}: the item names ${name}, not an image of the batch`);
		if (typeof taskId === 'number')
			step.check(
				host.emulator.task(taskId)?.status === 'done',
				`${what}: task ${taskId} is ${host.emulator.task(taskId)?.status} at Celantur, so Get Status could not pick it up`,
			);
	}
}

/** The execution waited while Celantur worked: it was seen waiting, and the last task ended during the wait. */
export function checkWaitedWhileWorking(step: StepContext, run: BatchRun, what: string): void {
	const { waitFrom, waitTo, waits } = run.timeline;
	step.check(waits >= 1, `${what}: the execution was never seen waiting`);
	const lastEnd = Math.max(...run.endedAt.values());
	if (waitFrom !== undefined && waitTo !== undefined && Number.isFinite(lastEnd))
		step.check(
			lastEnd >= waitFrom,
			`${what}: the last task ended ${((waitFrom - lastEnd) / 1000).toFixed(1)} s before the execution began to wait`,
		);
	step.check(waits <= 1, `${what}: the execution went to wait ${waits} times`);
}

/**
 * Where callback items differ from poll items of the same images: a field one mode fills and the
 * other leaves null or out, a field with another value (task ids and creation times aside, which
 * differ per task anyway), and the binaries each carries.
 */
export function differencesFromPoll(callback: BatchRun, poll: BatchRun): string[] {
	const byName = new Map(poll.items.map((item) => [nameOf(item), item]));
	const differences = new Map<string, string>();
	const show = (value: unknown): string =>
		value === undefined ? 'absent' : JSON.stringify(value).slice(0, 60);
	for (const item of callback.items) {
		const other = byName.get(nameOf(item));
		if (!other) continue;
		const keys = new Set([...Object.keys(item.json), ...Object.keys(other.json)]);
		for (const key of keys) {
			const a = item.json[key];
			const b = other.json[key];
			const empty = (value: unknown) => value === null || value === undefined;
			if (
				empty(a) !== empty(b) ||
				(key !== 'task_id' &&
					key !== 'create_time' &&
					!empty(a) &&
					JSON.stringify(a) !== JSON.stringify(b))
			)
				if (!differences.has(key)) differences.set(key, `${key} ${show(a)} vs ${show(b)}`);
		}
		const binaries = (i: Item) =>
			Object.keys(i.binary ?? {})
				.sort()
				.join('+') || 'none';
		if (binaries(item) !== binaries(other) && !differences.has('binary'))
			differences.set('binary', `binaries ${binaries(item)} vs ${binaries(other)}`);
	}
	return [...differences.values()];
}
