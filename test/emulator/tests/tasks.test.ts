// Task life cycle, the read endpoints, start, delete and failures, over raw HTTP.
import { startEmulator, type FailureCause } from '../index';
import { makeTestImage } from '../images';
import {
	createTask,
	download,
	http,
	obj,
	runTask,
	signIn,
	upload,
	useEmulator,
	waitForStatus,
} from '../testkit';

const FACE_IMAGE = makeTestImage({
	format: 'jpeg',
	width: 160,
	height: 120,
	objects: [{ type: 'face', x: 40, y: 30, width: 48, height: 48 }],
});
const EMPTY_IMAGE = makeTestImage({ format: 'png', width: 64, height: 48, objects: [] });
const BLUR_FACE = { anonymization_method: 'blur', face: true };
/** Every route below /task/{id}, as [method, suffix]. */
const TASK_ROUTES: Array<[method: string, suffix: string]> = [
	['GET', ''],
	['GET', '/status'],
	['GET', '/metadata'],
	['POST', '/start'],
	['DELETE', '/files'],
];

describe('emulator: task life cycle', () => {
	// A manual clock: each step happens when the test moves the emulator's time, not when a busy
	// machine gets round to a timer.
	const env = useEmulator({ clock: 'manual', latency: { queuedMs: 250, processingMs: 250 } });

	it('goes new -> queued -> processing -> done, driven by the latency knobs', async () => {
		const created = await createTask(env.emu, env.token, BLUR_FACE);
		const id = Number(created.task_id);
		const statusOf = async () =>
			obj((await http('GET', `${env.emu.baseUrl}/task/${id}/status`, { token: env.token })).json)
				.task_status;
		expect(await statusOf()).toBe('new');
		env.emu.clock.advance(10_000);
		expect(await statusOf()).toBe('new');
		expect((await upload(String(created.upload_url), FACE_IMAGE)).status).toBe(200);
		expect(await statusOf()).toBe('queued');
		env.emu.clock.advance(249);
		expect(await statusOf()).toBe('queued');
		env.emu.clock.advance(1);
		expect(await statusOf()).toBe('processing');
		// The pixel work itself takes real time; the task still stays in processing for 250 ms of the clock.
		env.emu.clock.advance(249);
		expect(await statusOf()).toBe('processing');
		env.emu.clock.advance(1);
		await env.emu.waitForTask(id, ['done', 'failed']);
		expect(await statusOf()).toBe('done');
		const history = env.emu.task(id)?.history ?? [];
		expect(history.map((step) => step.status)).toEqual(['new', 'queued', 'processing', 'done']);
		expect(history[2].at - history[1].at).toBe(250);
		expect(history[3].at - history[2].at).toBe(250);
	});
});

describe('emulator: reading tasks', () => {
	const env = useEmulator();
	let done: Record<string, unknown>;
	beforeAll(async () => {
		done = await runTask(
			env.emu,
			env.token,
			{ ...BLUR_FACE, quality: 80, 'kernel-size-face': 0.4 },
			FACE_IMAGE,
		);
	});

	it('GET /task/{id} answers task_id and numeric settings as strings, like the reference example', async () => {
		expect(done.task_status).toBe('done');
		expect(typeof done.task_id).toBe('string');
		expect(done).toMatchObject({
			mask_scale: '100',
			quality: '80',
			compress_level: '5',
			kernel_size_face: '0.4',
			kernel_size_person: '95',
			kernel_size_license_plate: '0.5',
			kernel_size_vehicle: '61',
			face_anonymization_gradient_start: '0.3',
			face_anonymization_gradient_stop: '0',
			license_plate_anonymization_gradient_start: '0.3',
			license_plate_anonymization_gradient_stop: '0',
			face_threshold: '0.5',
			vehicle_threshold: '0.4',
			person_threshold: '0.4',
			license_plate_threshold: '0.5',
			extraction_types: [],
			face: true,
			bbox: false,
			webhook: null,
			webhook_status: 'empty',
			anonymized_url_expiration_duration: 14400,
			metadata_url: `${env.emu.baseUrl}/task/${done.task_id}/metadata`,
		});
		expect(done).not.toHaveProperty('upload_url');
		expect(done).not.toHaveProperty('failure_cause');
		for (const key of ['original_url', 'anonymized_url']) {
			const url = new URL(String(done[key]));
			expect(url.origin).toBe(env.emu.storageOrigin);
			expect(url.searchParams.get('X-Amz-Expires')).toBe('14400');
		}
	});

	it('GET /task/{id}/status answers numbers and the result URLs', async () => {
		const response = await http('GET', `${env.emu.baseUrl}/task/${done.task_id}/status`, {
			token: env.token,
		});
		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			task_id: Number(done.task_id),
			task_status: 'done',
			delete_time: null,
			webhook: null,
			webhook_status: 'empty',
			anonymized_url: expect.stringContaining(`${env.emu.storageOrigin}/`),
			anonymized_url_expiration_duration: 14400,
			metadata_url: `${env.emu.baseUrl}/task/${done.task_id}/metadata`,
		});
	});

	it('has no result URLs before the task is done', async () => {
		const created = await createTask(env.emu, env.token, BLUR_FACE);
		const task = obj(
			(await http('GET', `${env.emu.baseUrl}/task/${created.task_id}`, { token: env.token })).json,
		);
		expect(task.task_status).toBe('new');
		for (const key of [
			'anonymized_url',
			'original_url',
			'binary_segmentation_mask_url',
			'failure_cause',
		])
			expect(task).not.toHaveProperty(key);
	});

	it('GET /task/{id}/metadata answers 204 with an empty body until done, and when nothing was found', async () => {
		const created = await createTask(env.emu, env.token, BLUR_FACE);
		const early = await http('GET', `${env.emu.baseUrl}/task/${created.task_id}/metadata`, {
			token: env.token,
		});
		expect(early.status).toBe(204);
		expect(early.body.length).toBe(0);
		const empty = await runTask(env.emu, env.token, BLUR_FACE, EMPTY_IMAGE);
		expect(empty.task_status).toBe('done');
		const none = await http('GET', `${env.emu.baseUrl}/task/${empty.task_id}/metadata`, {
			token: env.token,
		});
		expect(none.status).toBe(204);
		expect(none.body.length).toBe(0);
		const found = await http('GET', `${env.emu.baseUrl}/task/${done.task_id}/metadata`, {
			token: env.token,
		});
		expect(found.status).toBe(200);
		expect(obj(found.json).task_id).toBe(Number(done.task_id));
		expect(obj(found.json).detections).toHaveLength(1);
	});

	it.each(TASK_ROUTES)(
		'%s /task/{id}%s refuses ids that are not integers',
		async (method, suffix) => {
			for (const id of ['abc', '1.5', '12e3', '0x10', '%20']) {
				const response = await http(method, `${env.emu.baseUrl}/task/${id}${suffix}`, {
					token: env.token,
				});
				const shown = decodeURIComponent(id);
				expect(response.json).toEqual({
					status_code: 400,
					error: `Wrong format for Task ID. ${shown} is not an integer.`,
				});
			}
		},
	);

	it.each(TASK_ROUTES)(
		'%s /task/{id}%s answers 400 "not found" for an unknown task, as the reference says',
		async (method, suffix) => {
			for (const id of ['1690264444814157', '7', '99999999999999999999']) {
				const response = await http(method, `${env.emu.baseUrl}/task/${id}${suffix}`, {
					token: env.token,
				});
				expect(response.json).toEqual({
					status_code: 400,
					error: `Task ID not found. There is no task with task ID ${id}.`,
				});
			}
		},
	);

	it('asks for a task ID when the id is empty', async () => {
		const response = await http('GET', `${env.emu.baseUrl}/task/`, { token: env.token });
		expect(response.json).toEqual({
			status_code: 400,
			error: 'Getting task results failed. Please enter a task ID.',
		});
	});
});

describe('emulator: deleting files', () => {
	const env = useEmulator();

	it('deletes the files; later reads answer 404 deleted, a second delete 400, downloads 404', async () => {
		const done = await runTask(
			env.emu,
			env.token,
			{ ...BLUR_FACE, binary_segmentation_mask: true },
			FACE_IMAGE,
		);
		const id = String(done.task_id);
		const deleted = await http('DELETE', `${env.emu.baseUrl}/task/${id}/files`, {
			token: env.token,
		});
		expect(deleted.status).toBe(200);
		expect(deleted.json).toEqual({ files_deleted: true, task_id: id });
		for (const [method, suffix] of [
			['GET', ''],
			['GET', '/status'],
			['GET', '/metadata'],
			['POST', '/start'],
		]) {
			const response = await http(method, `${env.emu.baseUrl}/task/${id}${suffix}`, {
				token: env.token,
			});
			expect({ suffix, status: response.status, body: response.json }).toEqual({
				suffix,
				status: 404,
				body: { status_code: 404, error: 'Task is deleted. Please upload a new task.' },
			});
		}
		const again = await http('DELETE', `${env.emu.baseUrl}/task/${id}/files`, { token: env.token });
		expect(again.json).toEqual({ status_code: 400, error: `Task with ID ${id} already deleted.` });
		for (const key of ['anonymized_url', 'original_url', 'binary_segmentation_mask_url']) {
			const response = await download(String(done[key]));
			expect({ key, status: response.status }).toEqual({ key, status: 404 });
			expect(response.text).toContain('<Code>NoSuchKey</Code>');
		}
		expect(env.emu.task(id)?.deleteTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	});

	it('an upload to a deleted task stores nothing and starts nothing', async () => {
		const created = await createTask(env.emu, env.token, BLUR_FACE);
		const id = Number(created.task_id);
		await http('DELETE', `${env.emu.baseUrl}/task/${id}/files`, { token: env.token });
		const put = await upload(String(created.upload_url), FACE_IMAGE);
		expect(put.status).toBe(200);
		// The storage server hands the file over before it answers, and queueing is immediate:
		// a task that had been started would show 'queued' in its history already.
		const task = env.emu.task(id);
		expect(task?.history.map((step) => step.status)).toEqual(['new']);
		expect(task?.upload).toBeUndefined();
		expect(task?.ignoredUploads).toBe(1);
	});
});

describe('emulator: start on request', () => {
	const env = useEmulator();

	it('stays new after upload until POST /task/{id}/start, then finishes', async () => {
		const created = await createTask(env.emu, env.token, {
			...BLUR_FACE,
			start_on: 'start_request',
		});
		const id = Number(created.task_id);
		expect((await upload(String(created.upload_url), FACE_IMAGE)).status).toBe(200);
		// Queueing is immediate on an accepted upload, so its absence from the history is final.
		expect(env.emu.task(id)?.history.map((step) => step.status)).toEqual(['new']);
		expect(env.emu.task(id)?.upload).toBeDefined();
		const started = await http('POST', `${env.emu.baseUrl}/task/${id}/start`, { token: env.token });
		expect(started.status).toBe(200);
		expect(obj(started.json)).toMatchObject({ task_id: id, task_status: 'queued' });
		const done = await waitForStatus(env.emu, env.token, id, ['done', 'failed']);
		expect(done.task_status).toBe('done');
		const again = await http('POST', `${env.emu.baseUrl}/task/${id}/start`, { token: env.token });
		expect(again.json).toEqual({
			status_code: 400,
			error: `Could not start task. Task ${id} has already been started (task_status: done).`,
		});
	});

	it('refuses to start a task that starts on upload', async () => {
		const created = await createTask(env.emu, env.token, BLUR_FACE);
		const response = await http('POST', `${env.emu.baseUrl}/task/${created.task_id}/start`, {
			token: env.token,
		});
		expect(response.json).toEqual({
			status_code: 400,
			error: `Could not start task. Task ${created.task_id} is set to start on upload, not on a start request.`,
		});
		expect(env.emu.task(Number(created.task_id))?.status).toBe('new');
	});

	it('a start without an upload fails the task with TASK_FILE_DOESNT_EXIST', async () => {
		const created = await createTask(env.emu, env.token, {
			...BLUR_FACE,
			start_on: 'start_request',
		});
		expect(
			(await http('POST', `${env.emu.baseUrl}/task/${created.task_id}/start`, { token: env.token }))
				.status,
		).toBe(200);
		const task = await waitForStatus(env.emu, env.token, Number(created.task_id), [
			'done',
			'failed',
		]);
		expect(task).toMatchObject({ task_status: 'failed', failure_cause: 'TASK_FILE_DOESNT_EXIST' });
	});

	it('ignores an upload arriving after processing began', async () => {
		const done = await runTask(env.emu, env.token, BLUR_FACE, FACE_IMAGE);
		const id = Number(done.task_id);
		const before = env.emu.task(id)?.upload;
		expect(env.emu.task(id)?.ignoredUploads).toBe(0);
		// Re-upload through the task's own URL (taken from the log of the first run).
		const put = env.emu.log.find(
			(entry) => entry.endpoint === 'upload' && entry.path.includes(`/${id}/`),
		);
		expect(put).toBeDefined();
		const url = `${env.emu.storageOrigin}${put?.path}?${put?.query}`;
		expect((await upload(url, EMPTY_IMAGE, 'image/png')).status).toBe(200);
		expect(env.emu.task(id)?.ignoredUploads).toBe(1);
		expect(env.emu.task(id)?.upload).toEqual(before);
		expect(env.emu.task(id)?.status).toBe('done');
	});
});

describe('emulator: failures', () => {
	const env = useEmulator();

	it.each([
		['application/octet-stream'],
		['image/gif'],
		['image/jpg'],
		['IMAGE/JPEG'],
		['image/jpeg; charset=binary'],
	])('fails the task with CONTENT_TYPE_ERROR for an upload typed %s', async (contentType) => {
		const task = await runTask(env.emu, env.token, BLUR_FACE, FACE_IMAGE, contentType);
		expect(task).toMatchObject({ task_status: 'failed', failure_cause: 'CONTENT_TYPE_ERROR' });
		expect(task).not.toHaveProperty('anonymized_url');
	});

	it('fails the task with CONTENT_TYPE_ERROR for an upload without Content-Type', async () => {
		const created = await createTask(env.emu, env.token, BLUR_FACE);
		const put = await http('PUT', String(created.upload_url), { body: FACE_IMAGE });
		expect(put.status).toBe(200);
		const task = await waitForStatus(env.emu, env.token, Number(created.task_id), [
			'done',
			'failed',
		]);
		expect(task.failure_cause).toBe('CONTENT_TYPE_ERROR');
		expect(env.emu.task(Number(created.task_id))?.upload?.contentType).toBe('binary/octet-stream');
	});

	it.each([
		['random bytes as JPEG', Buffer.from('this is not an image at all'), 'image/jpeg'],
		['a truncated PNG', EMPTY_IMAGE.subarray(0, 40), 'image/png'],
		['an empty file', Buffer.alloc(0), 'image/png'],
	])('fails the task with IMAGE_DEFECT for %s', async (_label, bytes, contentType) => {
		const task = await runTask(env.emu, env.token, BLUR_FACE, bytes, contentType);
		expect(task).toMatchObject({ task_status: 'failed', failure_cause: 'IMAGE_DEFECT' });
	});

	it.each<FailureCause>([
		'IMAGE_DEFECT',
		'TASK_FILE_DOESNT_EXIST',
		'INTERNAL_ERROR',
		'CONTENT_TYPE_ERROR',
	])('failNextTask(%s) fails the next task created, and only that one', async (cause) => {
		env.emu.failNextTask(cause);
		const failed = await runTask(env.emu, env.token, BLUR_FACE, FACE_IMAGE);
		expect(failed).toMatchObject({ task_status: 'failed', failure_cause: cause });
		const status = obj(
			(await http('GET', `${env.emu.baseUrl}/task/${failed.task_id}/status`, { token: env.token }))
				.json,
		);
		expect(status).toMatchObject({ task_status: 'failed', failure_cause: cause });
		expect(status).not.toHaveProperty('anonymized_url');
		expect(
			(
				await http('GET', `${env.emu.baseUrl}/task/${failed.task_id}/metadata`, {
					token: env.token,
				})
			).status,
		).toBe(204);
		const next = await runTask(env.emu, env.token, BLUR_FACE, FACE_IMAGE);
		expect(next.task_status).toBe('done');
	});

	it('failTask(id, cause) fails one existing task', async () => {
		const a = await createTask(env.emu, env.token, BLUR_FACE);
		const b = await createTask(env.emu, env.token, BLUR_FACE);
		env.emu.failTask(String(b.task_id), 'INTERNAL_ERROR');
		await upload(String(a.upload_url), FACE_IMAGE);
		await upload(String(b.upload_url), FACE_IMAGE);
		expect(
			(await waitForStatus(env.emu, env.token, Number(a.task_id), ['done', 'failed'])).task_status,
		).toBe('done');
		expect(
			await waitForStatus(env.emu, env.token, Number(b.task_id), ['done', 'failed']),
		).toMatchObject({
			task_status: 'failed',
			failure_cause: 'INTERNAL_ERROR',
		});
		expect(() => env.emu.failTask(1, 'INTERNAL_ERROR')).toThrow('no task 1');
	});
});

describe('emulator: close()', () => {
	it('closes both servers and cancels pending work', async () => {
		const emu = await startEmulator({ clock: 'manual', latency: { queuedMs: 10_000 } });
		const token = await signIn(emu);
		const created = await createTask(emu, token, BLUR_FACE);
		await upload(String(created.upload_url), FACE_IMAGE);
		expect(emu.task(Number(created.task_id))?.status).toBe('queued');
		await emu.close();
		await expect(http('GET', `${emu.baseUrl}/task/list`)).rejects.toThrow();
		await expect(http('GET', `${emu.storageOrigin}/`)).rejects.toThrow();
		// The queued timer was cancelled: even a clock moved far past it starts nothing.
		emu.clock.advance(60_000);
		await new Promise((resolve) => setImmediate(resolve));
		expect(emu.task(Number(created.task_id))?.status).toBe('queued');
		await emu.close();
	});
});
