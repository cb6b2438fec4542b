import type { CelanturClient } from '../transport/client';
import { getTaskStatus } from '../transport/endpoints';
import { readHttpFailure } from '../transport/http-failure';
import { MAX_PAGE_SIZE, taskListPages } from '../transport/pagination';
import type { TaskStatus } from '../types';
import { DAY_MS, openEndDay, utcDay } from './days';

/** A list scan that has not found every task by then leaves the rest to status calls. */
const MAX_LIST_PAGES = 10;

/** When a task was created, from Celantur's `create_time` (UTC, often without a zone). */
export function createdAt(createTime: string | null | undefined): number | undefined {
	if (!createTime) return undefined;
	const parsed = Date.parse(
		/[zZ]|[+-]\d\d:?\d\d$/.test(createTime) ? createTime : `${createTime}Z`,
	);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * The statuses the task list gives for `ids`, one request per 300 tasks however many there are.
 * `keyed`: start just before the oldest task (the list is in task-id order, so the account's
 * earlier tasks do not fill the pages).
 */
export async function scanTaskList(
	client: CelanturClient,
	ids: number[],
	earliestCreated: number,
	keyed: boolean,
): Promise<Map<number, TaskStatus>> {
	const wanted = new Set(ids);
	const filters = {
		create_time_after: utcDay(earliestCreated - DAY_MS),
		create_time_before: openEndDay(),
	};
	let oldest = Infinity;
	for (const id of ids) oldest = Math.min(oldest, id);
	const statuses = new Map<number, TaskStatus>();
	let pages = 0;
	for await (const page of taskListPages(
		client,
		filters,
		() => MAX_PAGE_SIZE,
		undefined,
		keyed ? oldest - 1 : undefined,
	)) {
		for (const item of page) {
			const id = Number(item.task_id);
			if (wanted.has(id) && typeof item.task_status === 'string')
				statuses.set(id, item.task_status as TaskStatus);
		}
		if (statuses.size >= wanted.size || ++pages >= MAX_LIST_PAGES) break;
	}
	return statuses;
}

/** Whether a keyed scan failed because the API takes only page keys it handed out itself. */
export function refusesPageKey(client: CelanturClient, error: unknown): boolean {
	return !client.signal?.aborted && readHttpFailure(error).status === 400;
}

/**
 * The statuses of a batch's tasks: the task list's, and a status call of its own for a task the
 * scan does not find.
 */
export async function taskStatuses(
	client: CelanturClient,
	tasks: Array<{ task_id: number; create_time?: string | null }>,
): Promise<Map<number, TaskStatus>> {
	if (tasks.length === 0) return new Map();
	let earliest = Date.now();
	for (const task of tasks) earliest = Math.min(earliest, createdAt(task.create_time) ?? earliest);
	const ids = tasks.map((task) => task.task_id);
	const statuses = await scanTaskList(client, ids, earliest, true).catch(async (error: unknown) =>
		refusesPageKey(client, error)
			? await scanTaskList(client, ids, earliest, false)
			: await Promise.reject(error),
	);
	for (const id of ids) {
		if (statuses.has(id)) continue;
		const status = await getTaskStatus(client, id, 0);
		if (status.task_status) statuses.set(id, status.task_status);
	}
	return statuses;
}
