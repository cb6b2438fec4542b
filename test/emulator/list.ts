import { celanturError } from './errors';
import { jsonReply, type Reply } from './http';
import { TASK_STATUSES, type EmulatorTask, type TaskStatus } from './types';

export const LIST_MIN = 10;
export const LIST_MAX = 300;

/**
 * `GET /task/list`. Dates are UTC days: a task matches when
 * create_time_after 00:00 <= create time < create_time_before 00:00. Items are ordered by
 * task id, oldest first; next_page_key is the last id on the page, null on the last page.
 */
export function handleList(tasks: EmulatorTask[], query: URLSearchParams): Reply {
	const beforeText = query.get('create_time_before');
	const afterText = query.get('create_time_after');
	if (beforeText === null && afterText === null)
		return celanturError(400, 'No create_time_* parameters have been specified.');
	const before = parseDay(beforeText);
	if (before === undefined) return badDate('create_time_before');
	const after = parseDay(afterText);
	if (after === undefined) return badDate('create_time_after');
	if (after >= before) {
		return celanturError(
			400,
			'Please check your create_time_* parameters. create_time_after can not be later than/equal to create_time_before.',
		);
	}
	const status = query.get('task_status');
	if (status !== null && !TASK_STATUSES.includes(status as TaskStatus)) {
		return celanturError(
			400,
			"Please enter a correct task_status. Task status value can only be one of ['new', 'queued', 'processing', 'done', 'failed']",
		);
	}
	const pageKey = query.get('next_page_key');
	if (pageKey !== null && !/^\d+$/.test(pageKey))
		return celanturError(400, 'Wrong format for task_id. Please enter an integer.');
	const limitText = query.get('limit');
	if (limitText !== null && !/^-?\d+$/.test(limitText))
		return celanturError(400, 'Wrong format for limit. Please enter an integer.');
	const limit =
		limitText === null ? LIST_MIN : Math.min(LIST_MAX, Math.max(LIST_MIN, Number(limitText)));

	const matching = tasks.filter(
		(task) =>
			task.createdAt >= after &&
			task.createdAt < before &&
			(status === null || task.status === status) &&
			(pageKey === null || task.id > Number(pageKey)),
	);
	const page = matching.slice(0, limit);
	return jsonReply(200, {
		limit,
		count: page.length,
		next_page_key: matching.length > limit ? page[page.length - 1].id : null,
		items: page.map((task) => ({
			task_id: task.id,
			create_time: task.createTime,
			task_status: task.status,
		})),
	});
}

function badDate(name: string): Reply {
	return celanturError(
		400,
		`Please enter a properly formatted time for the ${name} value. Correct format: YYYY-MM-DD`,
	);
}

function parseDay(text: string | null): number | undefined {
	const match = text === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return undefined;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const millis = Date.UTC(year, month - 1, day);
	const date = new Date(millis);
	if (
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day
	)
		return undefined;
	return millis;
}
