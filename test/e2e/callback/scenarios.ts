// The callback steps' bodies, the same on a single n8n and in queue mode: Create with Wait Mode
// Callback on batches of 1, 5 and 50 (beside the same batch in poll mode), a burst of final
// callbacks, a failed task, the task list failing, a dropped last callback (the deadline), and a
// restart while batches wait. Each prints requests_per_image, running_s and waiting_s.
import { http } from '../../emulator/testkit';
import type { StepContext } from '../reporter';
import { sleep, waitFor } from '../wait';
import { BATCHES, POLL_OF, SCENARIOS, type BatchName, type ScenarioKey } from './fixtures';
import {
	answers,
	checkDeadlineItems,
	checkOnce,
	checkResults,
	checkWaitedWhileWorking,
	cost,
	differencesFromPoll,
	figures,
	finish,
	prepare,
	runScenario,
	start,
	withCallbackKnobs,
	type BatchRun,
	type CallbackHost,
	type Started,
} from './run';

/** The target of the design: create, upload and download per image, and a list request or two. */
const MAX_REQUESTS_PER_IMAGE_50 = 3.1;

/** The poll-mode figures of a batch, run once per host and printed beside every callback step on it. */
async function pollFigures(host: CallbackHost, batch: BatchName): Promise<string> {
	const { poll } = await prepare(host);
	const known = poll.get(batch);
	if (known) return known;
	const key = POLL_OF[batch];
	if (!key) return 'no poll-mode run of this batch';
	const run = await runScenario(host, key);
	const text = `${cost(run).perImage} req/image, running ${run.timeline.running_s.toFixed(1)} s, waiting ${run.timeline.waiting_s.toFixed(1)} s (${run.status})`;
	poll.set(batch, text);
	return text;
}

function callbackFigures(step: StepContext, run: BatchRun, host: CallbackHost): void {
	figures(step, run);
	step.figure(
		'execution',
		`${run.executionId} ${run.status}, ${run.timeline.waits} wait(s)${host.ranOn ? `, ran on ${host.ranOn(run.executionId)}` : ''}`,
	);
	step.figure('callbacks', answers(run.deliveries));
	const receivers = host.receivers?.();
	if (receivers) {
		const tally = new Map<string, number>();
		for (const delivery of run.deliveries) {
			if (delivery.dropped) continue;
			const origin = new URL(delivery.deliveredTo ?? delivery.url).origin;
			const name = receivers.find((receiver) => receiver.origin === origin)?.name ?? origin;
			const key = `${name} ${delivery.status ?? 'no answer'}`;
			tally.set(key, (tally.get(key) ?? 0) + 1);
		}
		step.figure('answered by', [...tally].map(([key, k]) => `${key} x${k}`).join(', '));
	}
	step.figure('requests', cost(run).text);
	if (run.images.size <= 5)
		step.figure(
			'sequence',
			run.requests.map((entry) => `${entry.endpoint} ${entry.status}`).join(' > '),
		);
}

/**
 * Where each done task's callback was delivered (2xx), by task id: every origin it reached, up to
 * `until` (the emulator's clock) if given.
 */
function receivedAt(run: BatchRun, until = Infinity): Map<number, Set<string>> {
	const origins = new Map<number, Set<string>>();
	for (const delivery of run.deliveries) {
		const id = delivery.body.task_id;
		if (delivery.status !== 200 || typeof id !== 'number' || delivery.at > until) continue;
		const origin = new URL(delivery.deliveredTo ?? delivery.url).origin;
		origins.set(id, (origins.get(id) ?? new Set()).add(origin));
	}
	return origins;
}

/**
 * The processes that received the deciding callback (of the batch's highest done task id): each
 * of them resumes (create.resume.ts). Celantur sends one callback a task; a repeat sent to two
 * processes makes two.
 */
function decidingReceivers(run: BatchRun): Set<string> {
	const origins = receivedAt(run);
	return origins.get(Math.max(...origins.keys())) ?? new Set();
}

/**
 * How many results the resuming process had no callback link for when it resumed (its first
 * download): their callbacks went to another process, or came later.
 */
function linksElsewhere(run: BatchRun): number {
	const resumers = decidingReceivers(run);
	const resumedAt = run.requests.find((entry) => entry.endpoint === 'downloadAnonymized')?.time;
	const seen = receivedAt(run, resumedAt);
	return [...receivedAt(run).keys()].filter(
		(id) => ![...(seen.get(id) ?? [])].some((origin) => resumers.has(origin)),
	).length;
}

/** Every process that received a callback but does not resume asks once who does (a status request). */
function otherReceivers(run: BatchRun): number {
	const all = new Set([...receivedAt(run).values()].flatMap((origins) => [...origins]));
	return all.size - decidingReceivers(run).size;
}

/** Batch of 1, 5 or 50: callback mode resumes once with every result; the same batch in poll mode beside it. */
export function batchStep(batch: 'b1' | 'b5' | 'b50') {
	return async (host: CallbackHost, step: StepContext): Promise<void> =>
		withCallbackKnobs(host, async () => {
			const n = BATCHES[batch];
			let run: BatchRun | undefined;
			try {
				run = await runScenario(host, `cb${n}` as ScenarioKey);
			} catch (error) {
				// The poll run beside it still runs: its figures belong on the line either way.
				step.check(false, `callback: ${error instanceof Error ? error.message : String(error)}`);
			}
			if (run) {
				callbackFigures(step, run, host);
				checkOnce(step, run, 'callback');
				checkWaitedWhileWorking(step, run, 'callback');
				const pixels = await checkResults(step, host, run, 'callback');
				step.figure(
					'pixels',
					`object diff >= ${pixels.minObjectDiff.toFixed(1)}, background diff <= ${pixels.maxFarDiff.toFixed(2)}`,
				);
				if (batch === 'b50') {
					// A result whose callback the resumer had not received costs it a status request.
					// A process that does not resume asks once who does.
					const elsewhere = linksElsewhere(run);
					const target = MAX_REQUESTS_PER_IMAGE_50 + (elsewhere + otherReceivers(run)) / n;
					step.figure('results without a callback link at the resume', elsewhere);
					step.check(
						cost(run).perImage <= target,
						`callback: ${cost(run).perImage} Celantur requests per image (target <= ${target.toFixed(2)})`,
					);
				}
			}

			const { poll } = await prepare(host);
			const pollRun = await runScenario(host, POLL_OF[batch] ?? 'pl1');
			figures(step, pollRun, 'poll_');
			checkOnce(step, pollRun, 'poll');
			await checkResults(step, host, pollRun, 'poll');
			step.check(
				pollRun.timeline.waits === 0,
				'poll: the execution waited (poll mode must run to the end)',
			);
			poll.set(
				batch,
				`${cost(pollRun).perImage} req/image, running ${pollRun.timeline.running_s.toFixed(1)} s, waiting ${pollRun.timeline.waiting_s.toFixed(1)} s (${pollRun.status})`,
			);
			if (run) step.figure('items vs poll', differencesFromPoll(run, pollRun).join('; ') || 'same');
		});
}

/** The callbacks held until every task is done, then released together, 3 copies each. */
export async function burstStep(host: CallbackHost, step: StepContext): Promise<void> {
	await withCallbackKnobs(host, async () => {
		const knobs = host.emulator.knobs.callbacks;
		knobs.hold = true;
		knobs.copies = 3;
		const started = await start(host, 'burst');
		const n = started.images.size;
		await started.watch.waiting();
		const held = await host.emulator.waitForHeldCallbacks(n);
		await probeResumeUrl(host, step, held[0]);
		knobs.hold = false;
		const released = Date.now();
		const deliveries = await host.emulator.releaseCallbacks();
		step.figure(
			'burst',
			`${deliveries.length} callbacks at once, answered in ${((Date.now() - released) / 1000).toFixed(1)} s`,
		);
		const run = await finish(host, started);
		callbackFigures(step, run, host);
		step.figure('poll (same batch)', await pollFigures(host, 'b5'));
		checkOnce(step, run, 'burst');
		const resumers = decidingReceivers(run).size;
		step.figure('processes that received the deciding callback', resumers);
		await checkResults(step, host, run, 'burst', new Set(), resumers);
		step.check(deliveries.length === n * 3, `${deliveries.length} callbacks sent, not ${n * 3}`);
		step.figure(
			'list requests in the burst',
			run.requests.filter((entry) => entry.endpoint === 'listTasks').length,
		);
	});
}

/**
 * Callbacks that are not Celantur's for this batch: the resume URL without the batch's secret, or
 * with another, is refused (403) and changes nothing; in queue mode each process a balancer could
 * send it to answers as it should (main with N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 404).
 */
async function probeResumeUrl(
	host: CallbackHost,
	step: StepContext,
	taskId: number,
): Promise<void> {
	const webhook = host.emulator.task(taskId)?.settings.webhook;
	step.require(typeof webhook === 'string', `task ${taskId} has no webhook`);
	const url = new URL(webhook);
	step.check(
		url.searchParams.has('celantur_batch'),
		`the task's webhook ${url.pathname} carries no celantur_batch`,
	);
	const body = { customer_id: 'x', task_id: taskId, task_status: 'done' };
	const post = async (target: URL) => (await http('POST', target.toString(), { body })).status;
	const without = new URL(url);
	without.searchParams.delete('celantur_batch');
	const wrong = new URL(url);
	wrong.searchParams.set('celantur_batch', 'not-the-secret');
	const answers = [`no secret ${await post(without)}`, `wrong secret ${await post(wrong)}`];
	step.check(
		answers.every((answer) => answer.endsWith(' 403')),
		`callbacks without the batch's secret answered ${answers.join(', ')} (expected 403)`,
	);
	for (const receiver of host.receivers?.() ?? []) {
		const there = new URL(without.pathname + without.search, receiver.origin);
		const status = await post(there);
		answers.push(`${receiver.name} ${status}`);
		step.check(
			receiver.serves ? status === 403 : status === 404,
			`${receiver.name} answered a callback with ${status} (expected ${receiver.serves ? 403 : 404})`,
		);
	}
	step.figure('foreign callbacks', answers.join(', '));
}

/** The first task of the batch fails at Celantur (which then calls nobody): an error item, the rest done. */
export async function failedTaskStep(host: CallbackHost, step: StepContext): Promise<void> {
	await withCallbackKnobs(host, async () => {
		await prepare(host);
		host.emulator.failNextTask('IMAGE_DEFECT');
		const run = await runScenario(host, 'fail');
		callbackFigures(step, run, host);
		step.figure('poll (same batch)', await pollFigures(host, 'b5'));
		checkOnce(step, run, 'failed task');
		const failed = run.taskIds.filter((id) => host.emulator.task(id)?.status === 'failed');
		step.check(failed.length === 1, `${failed.length} tasks failed at the emulator, not 1`);
		const errorItems = run.items.filter((item) => item.json.error !== undefined);
		step.figure(
			'error item',
			errorItems.map((item) => JSON.stringify(item.json).slice(0, 300)).join(' | ') || 'none',
		);
		step.check(
			errorItems.length === 1 &&
				errorItems[0].json.task_id === failed[0] &&
				errorItems[0].json.failure_cause === 'IMAGE_DEFECT' &&
				typeof errorItems[0].json.error === 'string',
			`the failed task is not one item with error, task_id ${failed[0]} and failure_cause IMAGE_DEFECT`,
		);
		step.check(
			errorItems.every((item) => Object.keys(item.binary ?? {}).length === 0),
			'the error item carries a binary',
		);
		await checkResults(step, host, run, 'failed task', new Set(failed));
	});
}

/**
 * Two tasks fail after the other three are done and called back: Celantur tells nobody of a
 * failure, so only a task-list check after the failures can end the batch before its deadline.
 * The two are large images (seconds of pixel work each), made to fail once the first small task
 * is done, so their failures come after the small tasks' callbacks.
 */
export async function failedLastStep(host: CallbackHost, step: StepContext): Promise<void> {
	await withCallbackKnobs(host, async () => {
		await prepare(host);
		const emulator = host.emulator;
		const big = new Set<number>();
		const seen = new Set<number>();
		let armed = false;
		const off = emulator.on('status', (task) => {
			seen.add(task.id);
			if (task.status === 'queued' && (task.upload?.bytes ?? 0) > 1_000_000) big.add(task.id);
			if (task.status === 'done' && !big.has(task.id) && !armed && big.size === 2) {
				armed = true;
				for (const id of big) emulator.failTask(id, 'INTERNAL_ERROR');
			}
		});
		/**
		 * How the failures fell: at least a second after the last small task was done (and so after
		 * its callback left), or not, when the case was not made and the step proves less.
		 */
		const arranged = (): void => {
			const tasks = [...seen].map((id) => emulator.task(id)).filter((task) => task !== undefined);
			const endOf = (task: (typeof tasks)[number]) => task.history.at(-1)?.at ?? 0;
			const failedAt = tasks.filter((task) => task.status === 'failed').map(endOf);
			const lastDone = Math.max(0, ...tasks.filter((task) => task.status === 'done').map(endOf));
			const gap = (Math.min(...failedAt) - lastDone) / 1000;
			step.figure(
				'arranged',
				failedAt.length === 2 && gap >= 1
					? `2 failed, the first ${gap.toFixed(1)} s after the last task done`
					: `not as meant (${failedAt.length} failed, ${gap.toFixed(1)} s after the last task done): the step proves less`,
			);
		};
		let run: BatchRun;
		try {
			run = await runScenario(host, 'fail2');
		} catch (error) {
			arranged();
			throw error;
		} finally {
			off();
		}
		callbackFigures(step, run, host);
		step.figure('poll (same batch)', await pollFigures(host, 'bBig'));
		arranged();
		const failed = run.taskIds.filter((id) => emulator.task(id)?.status === 'failed');
		checkOnce(step, run, 'two failed');
		const errorItems = run.items.filter((item) => item.json.error !== undefined);
		step.check(
			errorItems.length === 2 &&
				errorItems.every(
					(item) =>
						failed.includes(item.json.task_id as number) &&
						item.json.failure_cause === 'INTERNAL_ERROR',
				),
			`the failed tasks came out as ${errorItems.length} error items: ${errorItems.map((item) => JSON.stringify(item.json).slice(0, 150)).join(' | ')}`,
		);
		await checkResults(step, host, run, 'two failed', new Set(failed));
	});
}

/** Every list request fails (500): the batch keeps waiting while it does, and resumes once the list answers. */
export async function listFailureStep(host: CallbackHost, step: StepContext): Promise<void> {
	await withCallbackKnobs(host, async () => {
		const knobs = host.emulator.knobs;
		knobs.callbacks.hold = true;
		const started = await start(host, 'list');
		const n = started.images.size;
		await started.watch.waiting();
		const held = await host.emulator.waitForHeldCallbacks(n);
		const fault = { endpoint: 'listTasks' as const, count: 10_000, status: 500 as const };
		knobs.faults.serverError.push(fault);
		const warned = () =>
			host.callbackLogs().filter((entry) => entry.message.includes('could not be checked')).length;
		const warnings = warned();
		const listsBefore = host.emulator.counters().listTasks;
		await host.emulator.releaseCallbacks([held[0]]);
		try {
			await waitFor('the node to report the failed check', 120_000, async () =>
				warned() > warnings ? true : undefined,
			);
			await sleep(1000);
			step.check(
				started.watch.status === 'waiting',
				`while the list fails the execution is ${started.watch.status}, not waiting`,
			);
			step.figure('status while the list fails', started.watch.status);
			step.figure('list requests answered 500', host.emulator.counters().listTasks - listsBefore);
		} finally {
			knobs.faults.serverError.splice(knobs.faults.serverError.indexOf(fault), 1);
		}
		knobs.callbacks.hold = false;
		await host.emulator.releaseCallbacks();
		const run = await finish(host, started);
		callbackFigures(step, run, host);
		step.figure('poll (same batch)', await pollFigures(host, 'b5'));
		checkOnce(step, run, 'list failure');
		await checkResults(step, host, run, 'list failure');
	});
}

/** The only callback of a batch is lost: n8n resumes it at the deadline, without the node's code. */
export async function droppedLastStep(host: CallbackHost, step: StepContext): Promise<void> {
	await withCallbackKnobs(host, async () => {
		host.emulator.knobs.callbacks.drop.push({ task: 'lastOfBatch' });
		const started = await start(host, 'drop');
		const run = await finish(host, started, (SCENARIOS.drop.timeout + 150) * 1000, {
			stall: false,
		});
		callbackFigures(step, run, host);
		step.figure('poll (same batch)', await pollFigures(host, 'b1'));
		const { waitFrom, endedAt } = run.timeline;
		if (waitFrom !== undefined && endedAt !== undefined)
			step.figure(
				'deadline fired',
				`${((endedAt - waitFrom) / 1000).toFixed(1)} s after the wait began (timeout ${SCENARIOS.drop.timeout} s; n8n's wait tracker polls every 60 s)`,
			);
		step.check(
			run.deliveries.length > 0 && run.deliveries.every((delivery) => delivery.dropped === true),
			`the callback was not dropped: ${answers(run.deliveries)}`,
		);
		checkOnce(step, run, 'deadline');
		checkDeadlineItems(step, host, run, 'deadline');
		step.figure('item', JSON.stringify(run.items[0]?.json ?? {}).slice(0, 300));
		step.check(
			run.requests.filter((entry) => entry.endpoint === 'downloadAnonymized').length === 0,
			'a result was downloaded although no callback came',
		);
	});
}

/** How a host stops n8n and starts it again (the whole topology in queue mode). */
export interface Restartable {
	/** Stops n8n, runs `whileDown`, starts n8n again. */
	restart(whileDown: () => Promise<void>): Promise<{ stoppedAt: number; upAt: number }>;
	/** What the restarted n8n is (for the PASS line). */
	describe: string;
}

/**
 * Whether n8n itself marked the execution crashed as it started again: its event-log recovery
 * finds the execution's start without an end in the log and amends it, racing the wait tracker
 * that resumed it because its deadline passed during the downtime (seen in queue mode, where the
 * worker then skips a crashed execution's job; main logs it in 2.41.1, a worker in 2.8.4). A Wait
 * node's execution meets the same fate.
 */
function crashedByRecovery(host: CallbackHost, started: Started): boolean {
	const id = started.watch.id;
	return (
		started.watch.status === 'crashed' &&
		host
			.n8nLogs()
			.some(
				(entry) =>
					entry.message.startsWith('[Recovery] Logs available, amended execution') &&
					entry.metadata.executionId === id,
			)
	);
}

/**
 * Three batches wait with their callbacks held; n8n stops. During the downtime the callbacks of
 * two of them fall (and are lost: Celantur does not retry), and one batch's deadline passes; after
 * the restart the third batch's callbacks come, and the second's deadline falls. Nothing is lost:
 * the third resumes with its results, the other two at their deadlines with their task ids; no task
 * is created twice, and no execution runs its Create again.
 */
export function restartStep(restartable: (host: CallbackHost) => Restartable) {
	return async (host: CallbackHost, step: StepContext): Promise<void> =>
		withCallbackKnobs(host, async () => {
			const emulator = host.emulator;
			emulator.knobs.callbacks.hold = true;
			const tasksBefore = emulator.tasksCreated();
			const order = ['rsDown', 'rsLate', 'rsBack'] as const;
			const runs = new Map<(typeof order)[number], { started: Started; ids: number[] }>();
			for (const key of order) {
				const started = await start(host, key);
				started.watch.crashedEnds = false;
				await started.watch.waiting();
				const before = emulator.heldCallbacks().length;
				const held = await emulator.waitForHeldCallbacks(before + started.images.size);
				runs.set(key, { started, ids: held.slice(before) });
			}
			const get = (key: (typeof order)[number]) => {
				const entry = runs.get(key);
				if (!entry) throw new Error(`no run ${key}`);
				return entry;
			};
			const deadlineOf = (key: 'rsDown' | 'rsLate') =>
				(get(key).started.watch.timeline().waitFrom ?? Date.now()) + SCENARIOS[key].timeout * 1000;
			const downDeadline = deadlineOf('rsDown');
			const lateDeadline = deadlineOf('rsLate');
			const r = restartable(host);
			const { stoppedAt, upAt } = await r.restart(async () => {
				const lost = await emulator.releaseCallbacks([...get('rsDown').ids, ...get('rsLate').ids]);
				step.figure('callbacks while down', answers(lost));
				step.check(
					lost.every((delivery) => delivery.status === undefined),
					`callbacks reached an n8n that should be down: ${answers(lost)}`,
				);
				const wait = downDeadline + 1000 - Date.now();
				if (wait > 0) await sleep(wait);
			});
			step.figure(
				'restart',
				`${r.describe}; down ${((upAt - stoppedAt) / 1000).toFixed(1)} s; rsDown's deadline ${downDeadline < upAt ? 'during' : 'after'} the downtime, rsLate's ${lateDeadline < upAt ? 'during' : 'after'} it`,
			);
			// A token from before the downtime is long expired when a batch's callbacks come back.
			emulator.expireAllTokens();
			emulator.knobs.callbacks.hold = false;
			const back = await emulator.releaseCallbacks(get('rsBack').ids);
			step.figure('callbacks after the restart', answers(back));

			// Each batch is checked on its own: one that never ends does not hide the others.
			const settle = async (
				key: (typeof order)[number],
				timeoutMs: number,
				stall: boolean,
			): Promise<BatchRun | undefined> => {
				const { started } = get(key);
				try {
					return await finish(host, started, timeoutMs, { stall });
				} catch (error) {
					if (key === 'rsDown' && crashedByRecovery(host, started)) {
						// n8n's doing, not the node's: see crashedByRecovery. The tasks are not lost.
						const ids = get(key).ids;
						const ended = ids.filter((id) =>
							['done', 'failed'].includes(emulator.task(id)?.status ?? ''),
						);
						step.figure(
							key,
							`execution ${started.watch.id} marked crashed by n8n's event-log recovery at the restart ([Recovery] Logs available, amended execution), so n8n's worker skipped its resume; its ${ended.length} of ${ids.length} tasks ended in Celantur, to pick up by task id`,
						);
						step.check(ended.length === ids.length, `${key}: tasks not ended in Celantur`);
						return undefined;
					}
					step.check(
						false,
						`${key}: ${error instanceof Error ? error.message : String(error)} (statuses seen: ${started.watch.history()})`,
					);
					return undefined;
				}
			};
			const backRun = await settle('rsBack', 120_000, true);
			const down = await settle('rsDown', 180_000, false);
			const late = await settle('rsLate', (SCENARIOS.rsLate.timeout + 150) * 1000, false);
			const created = emulator.tasksCreated() - tasksBefore;
			if (backRun) {
				callbackFigures(step, backRun, host);
				step.figure('rsBack statuses', backRun.watch.history());
				checkOnce(step, backRun, 'callbacks after the restart', false);
				await checkResults(step, host, backRun, 'callbacks after the restart');
			}
			step.figure('poll (same batch)', await pollFigures(host, 'b3'));
			for (const [name, run, deadline] of [
				['rsDown', down, downDeadline],
				['rsLate', late, lateDeadline],
			] as const) {
				if (!run) continue;
				const what =
					name === 'rsDown' ? 'deadline during the downtime' : 'deadline after the restart';
				checkOnce(step, run, what, false);
				checkDeadlineItems(step, host, run, what);
				step.figure(
					name,
					`${run.executionId} ${run.status} ${(((run.timeline.endedAt ?? 0) - deadline) / 1000).toFixed(0)} s after its deadline (statuses ${run.watch.history()}), items ${run.items.map((item) => `${String(item.json.task_status)}#${String(item.json.task_id)}`).join(',')}`,
				);
			}
			const all = [backRun, down, late].flatMap((run) => run?.taskIds ?? []);
			step.figure('tasks', `${created} created, ${new Set(all).size} distinct in the outputs`);
			step.check(created === 7, `${created} tasks created for 7 images`);
			step.check(all.length === new Set(all).size, `a task id came out twice: ${all.join(',')}`);
		});
}
