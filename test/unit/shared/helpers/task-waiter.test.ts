import type { IDataObject } from 'n8n-workflow';

import { TaskWaiter } from '../../../../nodes/shared/helpers/task-waiter';
import type { CelanturClient } from '../../../../nodes/shared/transport/client';

interface Call {
	path: string;
	qs?: IDataObject;
}

/** A client whose task list refuses page keys it did not hand out, as an API might. */
function clientRefusingOwnKeys(taskIds: number[]): { client: CelanturClient; calls: Call[] } {
	const calls: Call[] = [];
	const api = async (
		_method: string,
		path: string,
		options: { qs?: IDataObject } = {},
	): Promise<unknown> => {
		calls.push({ path, qs: options.qs });
		if (path === '/task/list') {
			if (options.qs?.next_page_key !== undefined)
				throw Object.assign(new Error('Wrong format for task_id.'), { httpCode: '400' });
			return {
				items: taskIds.map((task_id) => ({ task_id, task_status: 'done' })),
				next_page_key: null,
			};
		}
		const id = Number(/\/task\/(\d+)\/status/.exec(path)?.[1]);
		return { task_id: id, task_status: 'done', anonymized_url: `https://storage.test/${id}` };
	};
	return {
		client: { root: 'https://api.test/v2', signal: undefined, api } as unknown as CelanturClient,
		calls,
	};
}

describe('TaskWaiter', () => {
	it('scans from the start of the day when the API refuses a page key of its own, and keeps doing so', async () => {
		const ids = [1_700_000_000_000_001, 1_700_000_000_000_002, 1_700_000_000_000_003];
		const { client, calls } = clientRefusingOwnKeys(ids);
		const waiter = new TaskWaiter(client, 100, 10);
		const createTime = new Date().toISOString().slice(0, 19);

		const first = await Promise.all(
			ids.map(
				async (task_id, n) =>
					await waiter.wait({ task_id, task_status: 'queued', create_time: createTime }, n, 60),
			),
		);
		expect(first.map((task) => task.anonymized_url)).toEqual(
			ids.map((id) => `https://storage.test/${id}`),
		);
		const lists = calls.filter((call) => call.path === '/task/list');
		expect(lists.map((call) => call.qs?.next_page_key)).toEqual([String(ids[0] - 1), undefined]);
		// The list answered for every task: one status call each, for the result's link.
		expect(calls.filter((call) => call.path.endsWith('/status'))).toHaveLength(ids.length);

		calls.length = 0;
		await Promise.all(
			ids.map(
				async (task_id, n) =>
					await waiter.wait({ task_id, task_status: 'queued', create_time: createTime }, n, 60),
			),
		);
		expect(
			calls.filter((call) => call.path === '/task/list').map((call) => call.qs?.next_page_key),
		).toEqual([undefined]);
	});
});
