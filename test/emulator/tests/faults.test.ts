// Fault and latency knobs, and the request log they show up in.
import { request } from 'undici';
import { startEmulator, type Emulator, type RequestLogEntry } from '../index';
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

const IMAGE = makeTestImage({
	format: 'png',
	width: 400,
	height: 300,
	objects: [{ type: 'face', x: 20, y: 20, width: 60, height: 60 }],
});
const BODY = { anonymization_method: 'blur', face: true };

describe('emulator: fault knobs', () => {
	const env = useEmulator();
	afterEach(() => {
		expect(env.emu.knobs.faults).toEqual({ rateLimit: [], serverError: [], reset: [] });
	});

	it('rateLimit answers 429 with Retry-After and a JSON body for the next N matching requests only', async () => {
		env.emu.knobs.faults.rateLimit.push({ endpoint: 'createTask', count: 2, retryAfterSeconds: 7 });
		const before = env.emu.tasksCreated();
		// Other endpoints are not affected.
		expect(
			(
				await http(
					'GET',
					`${env.emu.baseUrl}/task/list?create_time_after=2000-01-01&create_time_before=2100-01-01`,
					{ token: env.token },
				)
			).status,
		).toBe(200);
		for (let i = 0; i < 2; i++) {
			const response = await http('POST', `${env.emu.baseUrl}/task`, {
				token: env.token,
				body: BODY,
			});
			expect(response.status).toBe(429);
			expect(response.headers['retry-after']).toBe('7');
			expect(response.json).toEqual({ status_code: 429, error: 'Too Many Requests' });
		}
		expect(env.emu.tasksCreated()).toBe(before);
		expect(
			(await http('POST', `${env.emu.baseUrl}/task`, { token: env.token, body: BODY })).status,
		).toBe(200);
		expect(env.emu.tasksCreated()).toBe(before + 1);
	});

	it.each([500, 502, 503, 504] as const)(
		'serverError %d answers that status with a JSON error body',
		async (status) => {
			const task = await createTask(env.emu, env.token, BODY);
			env.emu.knobs.faults.serverError.push({ endpoint: 'getTask', count: 1, status });
			const failed = await http('GET', `${env.emu.baseUrl}/task/${task.task_id}`, {
				token: env.token,
			});
			expect(failed.status).toBe(status);
			expect(failed.headers['content-type']).toBe('application/json');
			expect(obj(failed.json).status_code).toBe(status);
			expect(typeof obj(failed.json).error).toBe('string');
			if (status === 500) {
				expect(failed.json).toEqual({
					status_code: 500,
					error:
						'An unexpected error occurred. If the problem persists, please contact Celantur support (support@celantur.com).',
				});
			}
			expect(
				(await http('GET', `${env.emu.baseUrl}/task/${task.task_id}`, { token: env.token })).status,
			).toBe(200);
		},
	);

	it('serverError with phase "after" commits the request and loses only the answer', async () => {
		env.emu.knobs.faults.serverError.push({
			endpoint: 'createTask',
			count: 1,
			status: 504,
			phase: 'after',
		});
		const before = env.emu.tasksCreated();
		const response = await http('POST', `${env.emu.baseUrl}/task`, {
			token: env.token,
			body: BODY,
		});
		expect(response.status).toBe(504);
		expect(env.emu.tasksCreated()).toBe(before + 1);
	});

	it('reset destroys the socket without an answer; the next request is fine', async () => {
		env.emu.knobs.faults.reset.push({ endpoint: 'signin', count: 1 });
		await expect(
			http('POST', `${env.emu.baseUrl}/signin`, {
				body: { username: 'demo@celantur.test', password: 'demo-password' },
			}),
		).rejects.toThrow();
		const entry = env.emu.log.filter((e) => e.endpoint === 'signin').pop();
		expect(entry?.status).toBe(0);
		expect(typeof (await signIn(env.emu))).toBe('string');
	});

	it('reset on upload reads part of the body, then drops the connection; nothing is stored', async () => {
		const created = await createTask(env.emu, env.token, BODY);
		const id = Number(created.task_id);
		env.emu.knobs.faults.reset.push({ endpoint: 'upload', count: 1 });
		await expect(upload(String(created.upload_url), IMAGE, 'image/png')).rejects.toThrow();
		const entry = env.emu.log.filter((e) => e.endpoint === 'upload').pop();
		expect(entry?.status).toBe(0);
		expect(entry?.bodyBytes).toBeGreaterThan(0);
		expect(entry?.bodyBytes).toBeLessThan(IMAGE.length);
		expect(env.emu.task(id)?.upload).toBeUndefined();
		expect(env.emu.task(id)?.status).toBe('new');
		expect((await upload(String(created.upload_url), IMAGE, 'image/png')).status).toBe(200);
		expect((await waitForStatus(env.emu, env.token, id, ['done', 'failed'])).task_status).toBe(
			'done',
		);
	});

	it('reset with phase "after" on upload stores the file, then drops the connection', async () => {
		const created = await createTask(env.emu, env.token, BODY);
		env.emu.knobs.faults.reset.push({ endpoint: 'upload', count: 1, phase: 'after' });
		await expect(upload(String(created.upload_url), IMAGE, 'image/png')).rejects.toThrow();
		expect(
			(await waitForStatus(env.emu, env.token, Number(created.task_id), ['done', 'failed']))
				.task_status,
		).toBe('done');
	});

	it('"*" matches any endpoint, and queued faults are used in order', async () => {
		env.emu.knobs.faults.serverError.push(
			{ endpoint: '*', count: 1, status: 503 },
			{ endpoint: 'listTasks', count: 1, status: 502 },
		);
		const list = `${env.emu.baseUrl}/task/list?create_time_after=2000-01-01&create_time_before=2100-01-01`;
		expect((await http('GET', list, { token: env.token })).status).toBe(503);
		expect((await http('GET', list, { token: env.token })).status).toBe(502);
		expect((await http('GET', list, { token: env.token })).status).toBe(200);
	});

	it('faults hit the storage server too, with S3 XML bodies', async () => {
		const done = await runTask(env.emu, env.token, BODY, IMAGE);
		env.emu.knobs.faults.rateLimit.push({
			endpoint: 'downloadAnonymized',
			count: 1,
			retryAfterSeconds: 3,
		});
		env.emu.knobs.faults.serverError.push({
			endpoint: 'downloadAnonymized',
			count: 1,
			status: 500,
		});
		const first = await download(String(done.anonymized_url));
		// A server error takes precedence over a rate limit when both are queued.
		expect(first.status).toBe(500);
		expect(first.text).toContain('<Code>InternalError</Code>');
		const second = await download(String(done.anonymized_url));
		expect(second.status).toBe(429);
		expect(second.headers['retry-after']).toBe('3');
		expect(second.headers['content-type']).toBe('application/xml');
		expect((await download(String(done.anonymized_url))).status).toBe(200);
	});

	it('a fault with count 0 is dropped without effect', async () => {
		env.emu.knobs.faults.serverError.push({ endpoint: 'listTasks', count: 0, status: 500 });
		const response = await http(
			'GET',
			`${env.emu.baseUrl}/task/list?create_time_after=2000-01-01&create_time_before=2100-01-01`,
			{ token: env.token },
		);
		expect(response.status).toBe(200);
	});

	it('counters() counts requests per endpoint key; resetLog() clears them', async () => {
		env.emu.resetLog();
		expect(Object.values(env.emu.counters()).every((count) => count === 0)).toBe(true);
		const done = await runTask(
			env.emu,
			env.token,
			{ ...BODY, binary_segmentation_mask: true },
			IMAGE,
		);
		await download(String(done.anonymized_url));
		await download(String(done.binary_segmentation_mask_url));
		await download(String(done.original_url));
		await http('GET', `${env.emu.baseUrl}/task/${done.task_id}/status`, { token: env.token });
		await http('GET', `${env.emu.baseUrl}/task/${done.task_id}/metadata`, { token: env.token });
		await http('POST', `${env.emu.baseUrl}/task/${done.task_id}/start`, { token: env.token });
		await http('DELETE', `${env.emu.baseUrl}/task/${done.task_id}/files`, { token: env.token });
		await http('GET', `${env.emu.baseUrl}/nowhere`, { token: env.token });
		const counts = env.emu.counters();
		expect(counts).toMatchObject({
			createTask: 1,
			upload: 1,
			downloadAnonymized: 1,
			downloadMask: 1,
			downloadOriginal: 1,
			getStatus: 1,
			getMetadata: 1,
			startTask: 1,
			deleteFiles: 1,
			unknown: 1,
			signin: 0,
			listTasks: 0,
		});
		expect(counts.getTask).toBeGreaterThanOrEqual(1);
		expect(Object.keys(counts).sort()).toEqual(
			[
				'signin',
				'createTask',
				'startTask',
				'getTask',
				'getStatus',
				'getMetadata',
				'listTasks',
				'deleteFiles',
				'upload',
				'downloadAnonymized',
				'downloadMask',
				'downloadOriginal',
				'unknown',
			].sort(),
		);
		expect(env.emu.log.map((entry) => entry.time)).toEqual(
			[...env.emu.log.map((entry) => entry.time)].sort((a, b) => a - b),
		);
		env.emu.resetLog();
		expect(env.emu.counters().createTask).toBe(0);
	});
});

describe('emulator: latency knobs', () => {
	// A manual clock: a delayed answer comes exactly when the test moves the emulator's time past
	// the knob's value, never because the machine happened to be fast or slow.
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({
			clock: 'manual',
			latency: {
				signinMs: 150,
				createMs: 200,
				requestMs: 100,
				uploadMs: 120,
				downloadMs: 130,
				queuedMs: 0,
				processingMs: 0,
			},
		});
	});
	afterAll(() => emu.close());

	const nextArrival = () =>
		new Promise<RequestLogEntry>((resolve) => {
			const off = emu.on('request', (entry) => {
				off();
				resolve(entry);
			});
		});
	const turn = () => new Promise((resolve) => setImmediate(resolve));

	/**
	 * Starts `call`; it must stay unanswered while the emulator's clock moves `ms - 1`, and be
	 * answered, at exactly `ms` after its arrival, once the clock moves 1 ms more.
	 */
	const answeredAt = async <T>(ms: number, call: () => Promise<T>): Promise<T> => {
		const arrived = nextArrival();
		const answer = call();
		const entry = await arrived;
		let answeredClock: number | undefined;
		const off = emu.on('response', (answered) => {
			if (answered === entry) answeredClock = emu.clock.now();
		});
		try {
			emu.clock.advance(ms - 1);
			await turn();
			expect({ endpoint: entry.endpoint, status: entry.status }).toEqual({
				endpoint: entry.endpoint,
				status: 0,
			});
			emu.clock.advance(1);
			const result = await answer;
			expect({ endpoint: entry.endpoint, after: (answeredClock ?? NaN) - entry.time }).toEqual({
				endpoint: entry.endpoint,
				after: ms,
			});
			return result;
		} finally {
			off();
		}
	};

	it('delays each kind of call by its knob, and reads the knobs at request time', async () => {
		const token = await answeredAt(150, () => signIn(emu));
		const created = await answeredAt(200, () => createTask(emu, token, BODY));
		await answeredAt(120, () => upload(String(created.upload_url), IMAGE, 'image/png'));
		await answeredAt(100, () =>
			http('GET', `${emu.baseUrl}/task/${created.task_id}/status`, { token }),
		);
		await emu.waitForTask(Number(created.task_id), 'done');
		const done = obj(
			(
				await answeredAt(100, () =>
					http('GET', `${emu.baseUrl}/task/${created.task_id}`, { token }),
				)
			).json,
		);
		await answeredAt(130, () => download(String(done.anonymized_url)));
		emu.knobs.latency.requestMs = 0;
		// Without latency the answer comes with no move of the clock at all.
		expect(
			(await http('GET', `${emu.baseUrl}/task/${created.task_id}/status`, { token })).status,
		).toBe(200);
	});

	it('answers concurrent requests concurrently while they wait', async () => {
		emu.knobs.latency.signinMs = 0;
		emu.knobs.latency.requestMs = 300;
		const token = await signIn(emu);
		const before = emu.counters().listTasks;
		const answers = Promise.all(
			Array.from({ length: 8 }, () =>
				request(
					`${emu.baseUrl}/task/list?create_time_after=2000-01-01&create_time_before=2100-01-01`,
					{
						headers: { authorization: token },
					},
				).then((response) => response.body.dump().then(() => response.statusCode)),
			),
		);
		// All eight are taken in while none is answered: a server that handled one at a time would
		// not read the second before the clock moved.
		await emu.waitForRequests('listTasks', before + 8);
		emu.clock.advance(299);
		await turn();
		expect(
			emu.log
				.filter((entry) => entry.endpoint === 'listTasks')
				.slice(before)
				.map((entry) => entry.status),
		).toEqual(new Array(8).fill(0));
		emu.clock.advance(1);
		expect(await answers).toEqual(new Array(8).fill(200));
	});
});
