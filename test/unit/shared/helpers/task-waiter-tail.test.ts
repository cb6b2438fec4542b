import { TaskWaiter } from '../../../../nodes/shared/helpers/task-waiter';
import type { CelanturClient } from '../../../../nodes/shared/transport/client';

/**
 * A task list on which the first `early` tasks are done from the first call on, the rest from the
 * second; `duringFirstList` runs while the first call is answered.
 */
function endingClient(
	ids: number[],
	early: number,
	duringFirstList?: () => void,
): { client: CelanturClient; listedAt: number[] } {
	const listedAt: number[] = [];
	const api = async (_method: string, path: string): Promise<unknown> => {
		if (path === '/task/list') {
			listedAt.push(Date.now());
			if (listedAt.length === 1) duringFirstList?.();
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

	it('counts the tasks that ended, not fewer for the tasks handed over during the round', async () => {
		const ids = Array.from({ length: 80 }, (_, n) => 1_700_000_000_000_201 + n);
		const late = Array.from({ length: 20 }, (_, n) => 1_700_000_000_000_301 + n);
		let lateWaits: Promise<unknown> | undefined;
		// Called during the first round, once the waiter exists.
		const { client, listedAt } = endingClient(ids, 60, () => (lateWaits = wait(waiter, late)));
		const waiter = new TaskWaiter(client, 5000, 10);
		await wait(waiter, ids);
		await lateWaits;
		// 60 ended while 20 came: counted as 40 ended, the next round would wait 1 s.
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

/** Tasks that each end `durationMs` after they are handed to the waiter, as the emulator's do. */
function timedClient(durationMs: number) {
	const endsAt = new Map<number, number>();
	const listedAt: number[] = [];
	const api = async (_method: string, path: string): Promise<unknown> => {
		const now = Date.now();
		const status = (id: number) => (now >= endsAt.get(id)! ? 'done' : 'processing');
		if (path === '/task/list') {
			listedAt.push(now);
			const items = [...endsAt.keys()].map((task_id) => ({
				task_id,
				task_status: status(task_id),
			}));
			return { items, next_page_key: null };
		}
		const id = Number(/\/task\/(\d+)\/status/.exec(path)?.[1]);
		return { task_id: id, task_status: status(id), anonymized_url: `https://storage.test/${id}` };
	};
	return {
		client: { root: 'https://api.test/v2', signal: undefined, api } as unknown as CelanturClient,
		endsAt,
		listedAt,
		start: (id: number) => endsAt.set(id, Date.now() + durationMs),
	};
}

describe('TaskWaiter on tasks that take as long as each other', () => {
	it('finds the first ended tasks less than half their duration late, and the last soon after it ends', async () => {
		const createTime = new Date().toISOString().slice(0, 19);
		const timed = timedClient(1200);
		const waiter = new TaskWaiter(timed.client, 5000, 10);
		const found = new Map<number, number>();
		const waits: Array<Promise<unknown>> = [];
		// 30 uploads ending 20 ms apart, as a batch's do.
		for (let n = 0; n < 30; n++) {
			const task_id = 1_700_000_000_001_001 + n;
			timed.start(task_id);
			waits.push(
				waiter
					.wait({ task_id, task_status: 'queued', create_time: createTime }, n, 60)
					.then(() => found.set(task_id, Date.now())),
			);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await Promise.all(waits);
		const lateness = [...found].map(([id, at]) => at - timed.endsAt.get(id)!);
		// Polling at 1 s and then 2.5 s would find the first task 1.3 s late and the last 0.7 s late.
		expect(Math.max(...lateness)).toBeLessThan(450);
		expect(
			found.get(1_700_000_000_001_030)! - timed.endsAt.get(1_700_000_000_001_030)!,
		).toBeLessThan(300);
		// One list request per round: the first at 1 s found nothing, then two or three more.
		expect(timed.listedAt.length).toBeLessThanOrEqual(4);
	});
});
