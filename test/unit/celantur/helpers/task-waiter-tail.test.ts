import { TaskWaiter } from '../../../../nodes/Celantur/helpers/task-waiter';
import type { CelanturClient } from '../../../../nodes/shared/transport';

/** A task list on which the first `early` tasks are done from the first call on, the rest from the second. */
function endingClient(
	ids: number[],
	early: number,
): { client: CelanturClient; listedAt: number[] } {
	const listedAt: number[] = [];
	const api = async (_method: string, path: string): Promise<unknown> => {
		if (path === '/task/list') {
			listedAt.push(Date.now());
			const doneUpTo = listedAt.length === 1 ? early : ids.length;
			return {
				items: ids.map((task_id, n) => ({
					task_id,
					task_status: n < doneUpTo ? 'done' : 'processing',
				})),
				next_page_key: null,
			};
		}
		const id = Number(/\/task\/(\d+)\/status/.exec(path)?.[1]);
		return { task_id: id, task_status: 'done', anonymized_url: `https://storage.test/${id}` };
	};
	return {
		client: { root: 'https://api.test/v2', signal: undefined, api } as unknown as CelanturClient,
		listedAt,
	};
}

describe('TaskWaiter at the end of a batch', () => {
	const createTime = new Date().toISOString().slice(0, 19);
	const wait = async (waiter: TaskWaiter, ids: number[]) =>
		await Promise.all(
			ids.map(
				async (task_id, n) =>
					await waiter.wait({ task_id, task_status: 'queued', create_time: createTime }, n, 60),
			),
		);

	it('polls again at half the delay after a round in which many tasks ended', async () => {
		const ids = Array.from({ length: 80 }, (_, n) => 1_700_000_000_000_001 + n);
		const { client, listedAt } = endingClient(ids, 60);
		await wait(new TaskWaiter(client, 5000, 10), ids);
		expect(listedAt).toHaveLength(2);
		expect(listedAt[1] - listedAt[0]).toBeLessThan(800);
	});

	it('keeps the usual delay when only a few ended', async () => {
		const ids = Array.from({ length: 20 }, (_, n) => 1_700_000_000_000_101 + n);
		const { client, listedAt } = endingClient(ids, 10);
		await wait(new TaskWaiter(client, 5000, 10), ids);
		expect(listedAt).toHaveLength(2);
		expect(listedAt[1] - listedAt[0]).toBeGreaterThanOrEqual(950);
	});
});
