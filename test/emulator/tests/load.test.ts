// Robustness: 50 tasks with 10 MB images at once. Counts and correctness only: how fast the
// emulator does it depends on the machine and belongs in the benchmark, not in a test.
import { startEmulator, type Emulator } from '../index';
import { makeTestImage, regionDiff } from '../images';
import { createTask, download, http, obj, signIn, upload } from '../testkit';

const TASKS = 50;
const MB10 = 10 * 1024 * 1024;
const FACE = { type: 'face' as const, x: 400, y: 300, width: 200, height: 200 };

describe('emulator: load', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(() => emu.close());

	it(`processes ${TASKS} concurrent tasks with 10 MB images, answering requests while it works`, async () => {
		// 0.75 megapixels of real work per image; the file is padded to 10 MB with an ignored PNG chunk.
		const image = makeTestImage({
			format: 'png',
			width: 1000,
			height: 750,
			objects: [FACE],
			seed: 11,
			padToBytes: MB10,
		});
		expect(image.length).toBeGreaterThanOrEqual(MB10);
		const token = await signIn(emu);

		const created = await Promise.all(
			Array.from({ length: TASKS }, () =>
				createTask(emu, token, { anonymization_method: 'blur', face: true }),
			),
		);
		const ids = created.map((task) => Number(task.task_id));
		// API answers given while some tasks had ended and others not: the serial pixel work yields
		// to the servers between its steps instead of stalling them until the queue is empty.
		let ended = 0;
		let answeredMidQueue = 0;
		const offStatus = emu.on('status', (task) => {
			if (ids.includes(task.id) && (task.status === 'done' || task.status === 'failed')) ended++;
		});
		const offResponse = emu.on('response', (entry) => {
			if (entry.server === 'api' && ended > 0 && ended < TASKS) answeredMidQueue++;
		});
		try {
			const puts = await Promise.all(
				created.map((task) => upload(String(task.upload_url), image, 'image/png')),
			);
			expect(puts.map((put) => put.status)).toEqual(new Array(TASKS).fill(200));

			// Sweeps of status reads over the API until every task has ended: no deadline, however
			// long a busy machine takes (jest's timeout catches a hang).
			for (;;) {
				const statuses = await Promise.all(
					ids.map(
						async (id) =>
							obj((await http('GET', `${emu.baseUrl}/task/${id}/status`, { token })).json)
								.task_status,
					),
				);
				if (statuses.every((status) => status === 'done' || status === 'failed')) {
					expect(statuses).toEqual(new Array(TASKS).fill('done'));
					break;
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		} finally {
			offStatus();
			offResponse();
		}
		expect(answeredMidQueue).toBeGreaterThan(0);

		for (const id of ids) {
			const task = emu.task(id);
			expect(task?.upload?.bytes).toBe(image.length);
			expect(task?.output).toMatchObject({ contentType: 'image/png', width: 1000, height: 750 });
			expect(task?.detections.map((d) => d.bbox)).toEqual([[400, 300, 600, 500]]);
		}
		const first = obj((await http('GET', `${emu.baseUrl}/task/${ids[0]}`, { token })).json);
		const result = await download(String(first.anonymized_url));
		expect(result.headers['content-type']).toBe('image/png');
		expect(
			regionDiff(image, result.body, { x: 450, y: 350, width: 100, height: 100 }),
		).toBeGreaterThan(20);
		expect(regionDiff(image, result.body, { x: 0, y: 0, width: 300, height: 200 })).toBe(0);
	});
});
