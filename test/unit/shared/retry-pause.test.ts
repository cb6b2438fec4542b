import { getEventListeners } from 'node:events';

import { pause, sleepUntil } from '../../../nodes/shared/retry';

describe('pause', () => {
	it('leaves no listener on the execution’s signal, however many pauses a long wait makes', async () => {
		const controller = new AbortController();
		for (let n = 0; n < 30; n++) await pause(1, controller.signal);
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	describe('with timers that never fire by themselves', () => {
		// Jest's fake timers stand still: a pause ends only by its signal, so "at once" needs no stopwatch.
		beforeEach(() =>
			jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }),
		);
		afterEach(() => jest.useRealTimers());

		const state = async (promise: Promise<unknown>): Promise<string> => {
			const settled = promise.then(
				() => 'resolved',
				(error: Error) => `rejected: ${error.message}`,
			);
			return await Promise.race([
				settled,
				new Promise<string>((resolve) => setImmediate(() => resolve('pending'))),
			]);
		};

		it('rejects at once when the execution is stopped, without its timer running out', async () => {
			const controller = new AbortController();
			const waiting = pause(10_000, controller.signal);
			expect(await state(waiting)).toBe('pending');
			controller.abort();
			expect(await state(waiting)).toMatch(/^rejected: .*cancelled/);
		});

		it('lasts until its timer runs out when nobody stops it', async () => {
			const waiting = pause(10_000, new AbortController().signal);
			await jest.advanceTimersByTimeAsync(9_999);
			expect(await state(waiting)).toBe('pending');
			await jest.advanceTimersByTimeAsync(1);
			expect(await state(waiting)).toBe('resolved');
		});
	});
});

describe('sleepUntil', () => {
	it('wakes within a slice once its condition holds, and says so', async () => {
		let done = false;
		const started = Date.now();
		const woke = sleepUntil(60_000, () => done);
		setTimeout(() => (done = true), 20);
		await expect(woke).resolves.toBe(true);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('sleeps its whole time when the condition never holds, and says so', async () => {
		await expect(sleepUntil(300, () => false)).resolves.toBe(false);
	});
});
