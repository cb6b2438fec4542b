import { createLimiter } from '../../../../nodes/Celantur/helpers/concurrency';

const tick = async () => await new Promise<void>((resolve) => setImmediate(resolve));

describe('createLimiter', () => {
	it('never runs more than its limit, whether jobs queue or arrive later', async () => {
		const limit = createLimiter(2);
		let running = 0;
		let most = 0;
		const job = async () => {
			running++;
			most = Math.max(most, running);
			await tick();
			running--;
		};
		const first = [limit(job), limit(job), limit(job)];
		// Asks while the third job still waits for a slot.
		await tick();
		const late = limit(job);
		await Promise.all([...first, late]);
		expect(most).toBe(2);
	});

	it('says a slot is free only when nothing queues for it', async () => {
		const limit = createLimiter(1);
		let release = () => {};
		const held = limit(async () => await new Promise<void>((resolve) => (release = resolve)));
		const queued = limit(async () => await tick());
		let free = false;
		const freeing = limit.free().then(() => (free = true));
		await tick();
		expect(free).toBe(false);
		release();
		await held;
		await tick();
		// The queued job took the slot first.
		await queued;
		await freeing;
		expect(free).toBe(true);
		await expect(
			Promise.race([limit.free().then(() => 'free'), tick().then(() => 'waiting')]),
		).resolves.toBe('free');
	});
});
