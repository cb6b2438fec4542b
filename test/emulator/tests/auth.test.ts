// Sign-in, tokens and routing of the emulator, over raw HTTP.
import { DEFAULT_USER, startEmulator, type Emulator } from '../index';
import { createTask, http, obj, signIn, useEmulator } from '../testkit';

const LIST = '/task/list?create_time_after=2000-01-01&create_time_before=2100-01-01';

describe('emulator: sign-in and tokens', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(() => emu.close());

	it('signs in with JSON {username, password} and answers the v2 token shape', async () => {
		const response = await http('POST', `${emu.baseUrl}/signin`, { body: DEFAULT_USER });
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json');
		const body = obj(response.json);
		expect(Object.keys(body).sort()).toEqual([
			'AccessToken',
			'ExpiresIn',
			'IdToken',
			'RefreshToken',
			'TokenType',
		]);
		expect(body).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
		for (const key of ['AccessToken', 'IdToken', 'RefreshToken'])
			expect(String(body[key]).length).toBeGreaterThan(40);
		expect(body.AccessToken).not.toBe(body.IdToken);
	});

	it.each([
		['a wrong password', { username: DEFAULT_USER.username, password: 'nope' }],
		['an unknown user', { username: 'someone@else.test', password: DEFAULT_USER.password }],
	])(
		'refuses %s with 400 NotAuthorizedException, as the reference shows',
		async (_label, credentials) => {
			const response = await http('POST', `${emu.baseUrl}/signin`, { body: credentials });
			expect(response.status).toBe(400);
			const body = obj(response.json);
			expect(body).toMatchObject({
				message: 'Incorrect username or password.',
				code: 'NotAuthorizedException',
				statusCode: 400,
				retryable: false,
			});
			expect(typeof body.time).toBe('string');
			expect(typeof body.requestId).toBe('string');
			expect(typeof body.retryDelay).toBe('number');
			expect(body).not.toHaveProperty('AccessToken');
		},
	);

	it.each([
		['no body', undefined, 'Request body is not valid JSON'],
		['a form body', 'username=a&password=b', 'Request body is not valid JSON'],
		['no username', { password: 'x' }, 'Missing required parameter USERNAME'],
		['no password', { username: DEFAULT_USER.username }, 'Missing required parameter PASSWORD'],
		[
			'a numeric password',
			{ username: DEFAULT_USER.username, password: 12 },
			'Missing required parameter PASSWORD',
		],
	])('refuses a sign-in with %s', async (_label, body, message) => {
		const response = await http('POST', `${emu.baseUrl}/signin`, { body });
		expect(response.status).toBe(400);
		expect(obj(response.json).code).toBe('InvalidParameterException');
		expect(String(obj(response.json).message)).toContain(message);
	});

	it('accepts the AccessToken raw in Authorization, and only that', async () => {
		const signInBody = obj(
			(await http('POST', `${emu.baseUrl}/signin`, { body: DEFAULT_USER })).json,
		);
		const token = String(signInBody.AccessToken);
		expect((await http('GET', `${emu.baseUrl}${LIST}`, { token })).status).toBe(200);
		const refused: Array<[string | undefined, string]> = [
			[undefined, 'Unauthorized'],
			['', 'Unauthorized'],
			[`Bearer ${token}`, 'Unauthorized'],
			[String(signInBody.IdToken), 'Unauthorized'],
			[String(signInBody.RefreshToken), 'Unauthorized'],
			['garbage', 'Unauthorized'],
		];
		for (const [header, message] of refused) {
			const response = await http(
				'GET',
				`${emu.baseUrl}${LIST}`,
				header === undefined ? {} : { token: header },
			);
			expect({ header, status: response.status, body: response.json }).toEqual({
				header,
				status: 401,
				body: { message },
			});
		}
	});

	it('guards every task endpoint with the token', async () => {
		const token = await signIn(emu);
		const task = await createTask(emu, token, { anonymization_method: 'blur', face: true });
		const calls: Array<[string, string]> = [
			['POST', '/task'],
			['GET', LIST],
			['GET', `/task/${task.task_id}`],
			['GET', `/task/${task.task_id}/status`],
			['GET', `/task/${task.task_id}/metadata`],
			['POST', `/task/${task.task_id}/start`],
			['DELETE', `/task/${task.task_id}/files`],
		];
		for (const [method, path] of calls) {
			const response = await http(method, `${emu.baseUrl}${path}`, {
				token: 'not-a-token',
				body: { anonymization_method: 'blur', face: true },
			});
			expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
		}
		expect(emu.task(Number(task.task_id))?.deleted).toBe(false);
	});

	it('expires tokens after knobs.tokenLifetimeSeconds of the emulator’s clock', async () => {
		// A manual clock: the token ages only when the test says, never because the machine is slow.
		const manual = await startEmulator({ clock: 'manual', tokenLifetimeSeconds: 60 });
		try {
			const response = await http('POST', `${manual.baseUrl}/signin`, { body: DEFAULT_USER });
			expect(obj(response.json).ExpiresIn).toBe(60);
			const token = String(obj(response.json).AccessToken);
			manual.clock.advance(59_999);
			expect((await http('GET', `${manual.baseUrl}${LIST}`, { token })).status).toBe(200);
			manual.clock.advance(1);
			const expired = await http('GET', `${manual.baseUrl}${LIST}`, { token });
			expect(expired.status).toBe(401);
			expect(expired.json).toEqual({ message: 'The incoming token has expired' });
			// The knob applies to tokens issued from then on.
			manual.knobs.tokenLifetimeSeconds = 1;
			expect(
				obj((await http('POST', `${manual.baseUrl}/signin`, { body: DEFAULT_USER })).json)
					.ExpiresIn,
			).toBe(1);
		} finally {
			await manual.close();
		}
	});

	it('ages tokens on a real clock too when the test advances it', async () => {
		const token = await signIn(emu);
		emu.clock.advance(3600 * 1000);
		expect((await http('GET', `${emu.baseUrl}${LIST}`, { token })).status).toBe(401);
	});

	it('expireAllTokens() expires every issued token; signing in again works', async () => {
		const first = await signIn(emu);
		const second = await signIn(emu);
		emu.expireAllTokens();
		for (const token of [first, second])
			expect((await http('GET', `${emu.baseUrl}${LIST}`, { token })).status).toBe(401);
		const fresh = await signIn(emu);
		expect((await http('GET', `${emu.baseUrl}${LIST}`, { token: fresh })).status).toBe(200);
	});
});

describe('emulator: routing', () => {
	const env = useEmulator();

	it.each([
		['GET', '/signin'],
		['GET', '/task'],
		['PUT', '/task'],
		['POST', '/task/list'],
		['GET', '/task/123/files'],
		['DELETE', '/task/123'],
		['GET', '/task/123/start'],
		['GET', '/tasks'],
		['GET', '/task/123/anything'],
	])('answers %s %s like API Gateway does for an unknown resource', async (method, path) => {
		const before = env.emu.counters().unknown;
		const response = await http(method, `${env.emu.baseUrl}${path}`, { token: env.token });
		expect(response.status).toBe(403);
		expect(response.json).toEqual({ message: 'Missing Authentication Token' });
		expect(env.emu.counters().unknown).toBe(before + 1);
	});

	it('does not let /task/{id} swallow /task/list', async () => {
		const response = await http('GET', `${env.emu.baseUrl}/task/list`, { token: env.token });
		expect(response.json).toEqual({
			status_code: 400,
			error: 'No create_time_* parameters have been specified.',
		});
		expect(env.emu.log[env.emu.log.length - 1].endpoint).toBe('listTasks');
	});

	it('keeps customers apart: another account cannot see a task', async () => {
		const other = { username: 'other@celantur.test', password: 'other-password' };
		const shared = await startEmulator({ users: [DEFAULT_USER, other] });
		try {
			const mine = await signIn(shared);
			const theirs = await signIn(shared, other);
			const task = await createTask(shared, mine, { anonymization_method: 'blur', face: true });
			const response = await http('GET', `${shared.baseUrl}/task/${task.task_id}`, {
				token: theirs,
			});
			expect(response.json).toEqual({
				status_code: 400,
				error: `Task ID not found. There is no task with task ID ${task.task_id}.`,
			});
			const list = await http('GET', `${shared.baseUrl}${LIST}`, { token: theirs });
			expect(obj(list.json).count).toBe(0);
		} finally {
			await shared.close();
		}
	});

	it('accepts only the configured users', async () => {
		const custom = await startEmulator({
			users: [{ username: 'ops@example.test', password: 'pw' }],
		});
		try {
			expect((await http('POST', `${custom.baseUrl}/signin`, { body: DEFAULT_USER })).status).toBe(
				400,
			);
			expect(
				(
					await http('POST', `${custom.baseUrl}/signin`, {
						body: { username: 'ops@example.test', password: 'pw' },
					})
				).status,
			).toBe(200);
		} finally {
			await custom.close();
		}
	});

	it('puts the API and the storage on two origins and logs both', async () => {
		expect(env.emu.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
		expect(env.emu.storageOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(new URL(env.emu.baseUrl).origin).not.toBe(env.emu.storageOrigin);
		env.emu.resetLog();
		expect(env.emu.log).toHaveLength(0);
		await http('GET', `${env.emu.baseUrl}${LIST}&limit=20`, {
			token: env.token,
			headers: { 'x-probe': 'yes' },
		});
		expect(env.emu.log).toHaveLength(1);
		expect(env.emu.log[0]).toMatchObject({
			server: 'api',
			method: 'GET',
			path: '/v2/task/list',
			query: 'create_time_after=2000-01-01&create_time_before=2100-01-01&limit=20',
			endpoint: 'listTasks',
			status: 200,
			bodyBytes: 0,
		});
		expect(env.emu.log[0].headers['x-probe']).toBe('yes');
		expect(env.emu.log[0].headers.authorization).toBe(env.token);
		expect(env.emu.counters().listTasks).toBe(1);
	});
});
