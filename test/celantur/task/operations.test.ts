import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import { regionDiff } from '../../emulator/images';
import {
	celanturNode,
	fixtureNode,
	requestsSince,
	useCelanturEnv,
} from '../../support/celantur-env';
import { streetImage, STREET_OBJECTS } from '../../support/images';
import { createRawTask, waitForStatus } from '../../support/raw-tasks';

const jpeg = () => ({ bytes: streetImage('jpeg', 11), contentType: 'image/jpeg' });

describe('Celantur node: task operations against the emulator', () => {
	const env = useCelanturEnv();

	/** Runs one Celantur node over items carrying task ids in `json.id`. */
	const runOn = async (
		ids: Array<number | string>,
		parameters: Record<string, unknown>,
		onError?: 'continueRegularOutput',
	) => {
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode(
					'Ids',
					ids.map((id) => ({ json: { id } })),
				),
				{
					...celanturNode('Celantur', { taskId: '={{ $json.id }}', ...parameters }),
					...(onError ? { onError } : {}),
				},
			]),
		);
		return result;
	};

	it('get with Simplify off returns the task with numbers normalised, from string ids given by expressions', async () => {
		const id = await createRawTask(env.emulator, { body: { quality: 80 } });
		const [item] = (await runOn([String(id)], { operation: 'get', simplify: false })).output(
			'Celantur',
		);
		expect(item.json.task_id).toBe(id);
		expect(item.json.quality).toBe(80);
		expect(item.json.kernel_size_face).toEqual(expect.any(Number));
		expect(item.json.task_status).toBe('new');
	});

	it('start starts a task created to start on request, and getStatus waits for it', async () => {
		const id = await createRawTask(env.emulator, {
			body: { start_on: 'start_request' },
			image: jpeg(),
		});
		expect(env.emulator.task(id)?.status).toBe('new');
		const started = await runOn([id], { operation: 'start' });
		expect(started.error).toBeUndefined();
		expect(started.output('Celantur')[0].json.task_id).toBe(id);
		const waited = await runOn([id], {
			operation: 'getStatus',
			waitForCompletion: true,
			simplify: false,
			options: { pollInterval: 0.2 },
		});
		expect(waited.output('Celantur')[0].json).toEqual(
			expect.objectContaining({
				task_id: id,
				task_status: 'done',
				anonymized_url: expect.any(String),
			}),
		);
	});

	it('getStatus without waiting returns the current status at once', async () => {
		const id = await createRawTask(env.emulator);
		const before = env.emulator.counters();
		const [item] = (await runOn([id], { operation: 'getStatus' })).output('Celantur');
		expect(item.json).toEqual(expect.objectContaining({ task_id: id, task_status: 'new' }));
		expect(requestsSince(env.emulator, before).getStatus).toBe(1);
	});

	it('getStatus with waiting turns a failed task into an error naming id and cause', async () => {
		const uploaded = await createRawTask(env.emulator, { image: jpeg() });
		env.emulator.failNextTask('CONTENT_TYPE_ERROR');
		const failing = await createRawTask(env.emulator, { image: jpeg() });
		const result = await runOn(
			[uploaded, failing],
			{ operation: 'getStatus', waitForCompletion: true, options: { pollInterval: 0.2 } },
			'continueRegularOutput',
		);
		const [ok, bad] = result.output('Celantur');
		expect(ok.json.task_status).toBe('done');
		expect(bad.json).toEqual(
			expect.objectContaining({ task_id: failing, failure_cause: 'CONTENT_TYPE_ERROR' }),
		);
		expect(bad.json.error).toContain(`Celantur task ${failing} failed: CONTENT_TYPE_ERROR`);
	});

	it('getMetadata gives detections of a done task and an empty list (not an error) when there are none', async () => {
		const done = await createRawTask(env.emulator, { image: jpeg() });
		const fresh = await createRawTask(env.emulator);
		await waitForStatus(env.emulator, done, 'done');
		const [withDetections, without] = (
			await runOn([done, fresh], { operation: 'getMetadata' })
		).output('Celantur');
		expect(
			(withDetections.json.detections as Array<{ type_label: string }>)
				.map((d) => d.type_label)
				.sort(),
		).toEqual(['face', 'license_plate']);
		expect(without.json).toEqual({ task_id: fresh, detections: [] });
	});

	it('download adds the anonymized image of a done task, and refuses one that is not done', async () => {
		const image = jpeg();
		const done = await createRawTask(env.emulator, { image });
		const fresh = await createRawTask(env.emulator);
		await waitForStatus(env.emulator, done, 'done');
		const result = await runOn([done, fresh], { operation: 'download' }, 'continueRegularOutput');
		const [ok, notDone] = result.output('Celantur');
		expect(ok.binary?.anonymized.mimeType).toBe('image/jpeg');
		expect(ok.binary?.anonymized.fileName).toBe(`celantur-${done}-anonymized.jpg`);
		const bytes = await result.binary(ok, 'anonymized');
		expect(regionDiff(image.bytes, bytes, STREET_OBJECTS[0])).toBeGreaterThan(8);
		expect(notDone.json.error).toContain(`Celantur task ${fresh} is "new", not done`);
	});

	it('deleteFiles deletes, and later reads say the task is deleted in Celantur’s words', async () => {
		const id = await createRawTask(env.emulator, { image: jpeg() });
		await waitForStatus(env.emulator, id, 'done');
		const [deleted] = (await runOn([id], { operation: 'deleteFiles' })).output('Celantur');
		expect(deleted.json).toEqual(expect.objectContaining({ files_deleted: true, task_id: id }));
		const again = await runOn([id], { operation: 'get' });
		expect(again.error?.message).toBe('Celantur: Task is deleted. Please upload a new task.');
	});

	it('an unknown task id is Celantur’s error, a malformed one is refused before any request', async () => {
		const unknown = await runOn([1690000000000001], { operation: 'get' });
		expect(unknown.error?.message).toContain('Celantur: Task ID not found');
		const before = env.emulator.counters();
		const malformed = await runOn(['12ab'], { operation: 'get' });
		expect(malformed.error?.message).toBe(
			'Item 1: Task ID is "12ab", but a Celantur task ID is a positive whole number such as 1690264444814157',
		);
		expect(requestsSince(env.emulator, before)).toEqual({});
	});

	it('getStatus waits for a task id that appears in several items, and answers each', async () => {
		const id = await createRawTask(env.emulator, {
			image: { bytes: streetImage('jpeg', 71), contentType: 'image/jpeg' },
		});
		const result = await runOn([id, id, id], {
			operation: 'getStatus',
			waitForCompletion: true,
			options: { pollInterval: 0.2 },
		});
		expect(
			result.output('Celantur').map((item) => [item.json.task_id, item.json.task_status]),
		).toEqual([
			[id, 'done'],
			[id, 'done'],
			[id, 'done'],
		]);
	});

	it('deleting files twice is done, not an error', async () => {
		const id = await createRawTask(env.emulator, {
			image: { bytes: streetImage('jpeg', 72), contentType: 'image/jpeg' },
		});
		await waitForStatus(env.emulator, id, 'done');
		const run = async () =>
			(await runOn([id], { operation: 'deleteFiles' })).output('Celantur')[0].json;
		expect(await run()).toEqual({ task_id: id, files_deleted: true, already_deleted: false });
		expect(await run()).toEqual({ task_id: id, files_deleted: true, already_deleted: true });
	});
});

describe('Celantur node: getMany pagination', () => {
	const env = useCelanturEnv();
	let ids: number[];

	beforeAll(async () => {
		ids = [];
		// 650 tasks: returnAll needs three pages of the API's largest page size (300).
		for (let n = 0; n < 650; n++) ids.push(await createRawTask(env.emulator));
	});

	const list = async (parameters: Record<string, unknown>) =>
		await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				celanturNode('List', { operation: 'getMany', ...parameters }),
			]),
		);

	it('returnAll follows next_page_key across 3 pages and needs no dates', async () => {
		const before = env.emulator.counters();
		const result = await list({ returnAll: true, filters: {} });
		const tasks = result.output('List');
		expect(tasks.map((item) => item.json.task_id)).toEqual(ids);
		expect(requestsSince(env.emulator, before).listTasks).toBe(3);
		expect(
			tasks.every(
				(item, index) =>
					item.pairedItem !== undefined && typeof item.json.task_id === 'number' && index >= 0,
			),
		).toBe(true);
	});

	it('limit stops exactly at the limit, mid-page', async () => {
		const result = await list({ returnAll: false, limit: 305 });
		expect(result.output('List').map((item) => item.json.task_id)).toEqual(ids.slice(0, 305));
		const small = await list({ returnAll: false, limit: 3 });
		expect(small.output('List')).toHaveLength(3);
	});

	it('filters by status and by dates, and refuses dates in the wrong order before any request', async () => {
		const done = await list({ returnAll: true, filters: { status: 'done' } });
		expect(done.output('List')).toHaveLength(0);
		const future = await list({ returnAll: true, filters: { createdAfter: '2099-01-01' } });
		expect(future.error?.message).toMatch(
			/^Item 1: Filters > Created After \(UTC Day\) is "2099-01-01", but it must be a day before Created Before \(\d{4}-\d\d-\d\d\)$/,
		);
		const past = await list({ returnAll: true, filters: { createdBefore: '2001-01-01' } });
		expect(past.output('List')).toHaveLength(0);
	});
	it('a date picked in the editor is the day sent, whatever the server’s time zone', async () => {
		const zone = process.env.TZ;
		process.env.TZ = 'Europe/Berlin';
		try {
			env.emulator.resetLog();
			await list({
				returnAll: true,
				filters: { createdAfter: '2024-05-31T00:00:00', createdBefore: '2024-06-02T00:00:00' },
			});
			const query = new URLSearchParams(
				env.emulator.log.find((entry) => entry.endpoint === 'listTasks')!.query,
			);
			expect([query.get('create_time_after'), query.get('create_time_before')]).toEqual([
				'2024-05-31',
				'2024-06-02',
			]);
		} finally {
			process.env.TZ = zone;
		}
	});
});
