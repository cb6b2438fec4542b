import type { CelanturClient } from '../transport/client';
import { getTaskStatus } from '../transport/endpoints';
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
 * The statuses of a batch's tasks from the task list, one request per 300 tasks however many
 * there are; a task the scan does not find gets a status call of its own.
 */
export async function taskStatuses(
	client: CelanturClient,
	tasks: Array<{ task_id: number; create_time?: string | null }>,
): Promise<Map<number, TaskStatus>> {
	const found = new Map<number, TaskStatus>();
	if (tasks.length === 0) return found;
	const wanted = new Set(tasks.map((task) => task.task_id));
	let earliest = Date.now();
	let oldest = Infinity;
	for (const task of tasks) {
		earliest = Math.min(earliest, createdAt(task.create_time) ?? earliest);
		oldest = Math.min(oldest, task.task_id);
	}
	const filters = {
		create_time_after: utcDay(earliest - DAY_MS),
		create_time_before: openEndDay(),
	};
	// The list is in task-id order: starting just before the oldest task skips the account's others.
	let pages = 0;
	for await (const page of taskListPages(
		client,
		filters,
		() => MAX_PAGE_SIZE,
		undefined,
		oldest - 1,
	)) {
		for (const item of page) {
			const id = Number(item.task_id);
			if (wanted.has(id) && typeof item.task_status === 'string')
				found.set(id, item.task_status as TaskStatus);
		}
		if (found.size >= wanted.size || ++pages >= MAX_LIST_PAGES) break;
	}
	for (const id of wanted) {
		if (found.has(id)) continue;
		const status = await getTaskStatus(client, id, 0);
		if (status.task_status) found.set(id, status.task_status);
	}
	return found;
}
