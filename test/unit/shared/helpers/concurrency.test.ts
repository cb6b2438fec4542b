import { createLimiter } from '../../../../nodes/shared/helpers/concurrency';

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

	it('serves urgent requests before ordinary ones that asked earlier, each kind in order', async () => {
		const limit = createLimiter(1);
		const order: string[] = [];
		let release = () => {};
		const held = limit(async () => await new Promise<void>((resolve) => (release = resolve)));
		const jobs = [
			limit(async () => void order.push('upload 1')),
			limit(async () => void order.push('download 1'), { urgent: true }),
			limit(async () => void order.push('upload 2')),
			limit(async () => void order.push('download 2'), { urgent: true }),
		];
		release();
		await Promise.all([held, ...jobs]);
		expect(order).toEqual(['download 1', 'download 2', 'upload 1', 'upload 2']);
	});

	it('takes a free slot before acquire returns, and frees it once however often it is released', async () => {
		const limit = createLimiter(2);
		const first = limit.acquire();
		// Taken at the call, before any await: a caller checking free() next sees it gone.
		const second = limit.acquire();
		let thirdIn = false;
		const third = limit.acquire().then((done) => {
			thirdIn = true;
			return done;
		});
		const leave = await first;
		leave();
		leave();
		await tick();
		expect(thirdIn).toBe(true);
		// The double release gave no extra slot: with two held, a fourth waits.
		let fourthIn = false;
		const fourth = limit.acquire().then(() => (fourthIn = true));
		await tick();
		expect(fourthIn).toBe(false);
		(await second)();
		await fourth;
		expect(fourthIn).toBe(true);
		(await third)();
	});
});
