// Robustness: 50 tasks with 10 MB images at once, the event loop staying responsive throughout.
import { startEmulator, type Emulator } from '../index';
import { makeTestImage, regionDiff } from '../images';
import { createTask, download, http, obj, signIn, upload } from '../testkit';

const TASKS = 50;
const MB10 = 10 * 1024 * 1024;
const FACE = { type: 'face' as const, x: 800, y: 600, width: 300, height: 300 };

describe('emulator: load', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(() => emu.close());

	it(`processes ${TASKS} concurrent tasks with 10 MB images`, async () => {
		// 3 megapixels of real work per image; the file is padded to 10 MB with an ignored PNG chunk.
		const image = makeTestImage({ format: 'png', width: 2000, height: 1500, objects: [FACE], seed: 11, padToBytes: MB10 });
		expect(image.length).toBeGreaterThanOrEqual(MB10);
		const token = await signIn(emu);

		let maxGap = 0;
		let last = Date.now();
		const heartbeat = setInterval(() => {
			const now = Date.now();
			maxGap = Math.max(maxGap, now - last);
			last = now;
		}, 50);
		const started = Date.now();
		try {
			const created = await Promise.all(Array.from({ length: TASKS }, () => createTask(emu, token, { anonymization_method: 'blur', face: true })));
			const puts = await Promise.all(created.map((task) => upload(String(task.upload_url), image, 'image/png')));
			expect(puts.map((put) => put.status)).toEqual(new Array(TASKS).fill(200));
			const ids = created.map((task) => Number(task.task_id));

			let slowestPoll = 0;
			for (;;) {
				const pollStarted = Date.now();
				const statuses = await Promise.all(
					ids.map(async (id) => obj((await http('GET', `${emu.baseUrl}/task/${id}/status`, { token })).json).task_status),
				);
				slowestPoll = Math.max(slowestPoll, Date.now() - pollStarted);
				if (statuses.every((status) => status === 'done' || status === 'failed')) {
					expect(statuses).toEqual(new Array(TASKS).fill('done'));
					break;
				}
				if (Date.now() - started > 110_000) throw new Error(`not finished: ${statuses.join(',')}`);
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			const elapsed = Date.now() - started;
			console.log(`${TASKS} x 10 MB: ${elapsed} ms; slowest status sweep ${slowestPoll} ms; longest event-loop gap ${maxGap} ms`);

			for (const id of ids) {
				const task = emu.task(id);
				expect(task?.upload?.bytes).toBe(image.length);
				expect(task?.output).toMatchObject({ contentType: 'image/png', width: 2000, height: 1500 });
				expect(task?.detections.map((d) => d.bbox)).toEqual([[800, 600, 1100, 900]]);
			}
			const first = obj((await http('GET', `${emu.baseUrl}/task/${ids[0]}`, { token })).json);
			const result = await download(String(first.anonymized_url));
			expect(result.headers['content-type']).toBe('image/png');
			expect(regionDiff(image, result.body, { x: 875, y: 675, width: 150, height: 150 })).toBeGreaterThan(20);
			expect(regionDiff(image, result.body, { x: 0, y: 0, width: 600, height: 400 })).toBe(0);
			// Pixel work is serialised and chopped into steps: the servers never stall for long.
			expect(maxGap).toBeLessThan(2500);
		} finally {
			clearInterval(heartbeat);
		}
	}, 120_000);
});
