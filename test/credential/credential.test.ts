import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { CelanturApi } from '../../credentials/CelanturApi.credentials';
import { MANUAL_START_TYPE, node, workflow } from '../harness';
import {
	celanturNode,
	CREDENTIAL_ID,
	fixtureNode,
	startCelanturEnv,
	type CelanturEnv,
} from '../support/celantur-env';
import { imageFolder, streetImage } from '../support/images';

/** A Get Many node that costs exactly one list request per input item. */
const listOnce = () => celanturNode('List', { operation: 'getMany', returnAll: false, limit: 1 });
const items = (count: number) =>
	fixtureNode(
		'Items',
		Array.from({ length: count }, (_, n) => ({ json: { n } })),
	);
const listWorkflow = (count: number) =>
	workflow([node('Start', MANUAL_START_TYPE), items(count), listOnce()]);

describe('credential celanturApi through real workflows', () => {
	let env: CelanturEnv;

	afterEach(async () => {
		await env?.close();
	});

	it('signs in once for 50 requests across 3 executions', async () => {
		env = await startCelanturEnv();
		for (const count of [17, 17, 16]) {
			const result = await env.harness.run(listWorkflow(count));
			expect(result.error).toBeUndefined();
			expect(result.output('List').length).toBe(0); // no tasks yet; each item still asked once
		}
		expect(env.emulator.counters().listTasks).toBe(50);
		expect(env.emulator.counters().signin).toBe(1);
		expect(env.harness.credentials.signIns(CREDENTIAL_ID)).toBe(1);
	});

	it('signs in again, invisibly, each time the token expires in the middle of a batch', async () => {
		// Tokens age on the emulator's manual clock. The test moves it past their lifetime as a token
		// is used for the third time, so that request finds it expired, however fast the machine.
		env = await startCelanturEnv({ emulator: { clock: 'manual', tokenLifetimeSeconds: 60 } });
		const emulator = env.emulator;
		const uses = new Map<string, number>();
		let expiries = 0;
		emulator.on('request', (entry) => {
			if (entry.endpoint !== 'listTasks') return;
			const token = entry.headers.authorization ?? '';
			const count = (uses.get(token) ?? 0) + 1;
			uses.set(token, count);
			if (count === 3) {
				expiries++;
				emulator.clock.advance(60_000);
			}
		});
		const result = await env.harness.run(listWorkflow(10));
		expect(result.error).toBeUndefined();
		const statuses = emulator.log
			.filter((entry) => entry.endpoint === 'listTasks')
			.map((entry) => entry.status);
		// The items run one after another, two on each token: the 3rd, 5th, 7th and 9th find it expired.
		expect(expiries).toBe(4);
		expect(statuses.filter((status) => status === 200)).toHaveLength(10);
		// A refused request is sent once more the throwing way (n8n signs in again only then), so each
		// expiry costs two 401s and one sign-in.
		expect(statuses.filter((status) => status === 401)).toHaveLength(2 * expiries);
		expect(emulator.counters().signin).toBe(1 + expiries);
	});

	it('a wrong password fails with the API’s words after at most 2 sign-in attempts, however many items', async () => {
		env = await startCelanturEnv({ credential: { password: 'not-the-password' } });
		const result = await env.harness.run(listWorkflow(8));
		expect(result.error?.message).toContain(
			'Celantur sign-in failed: Incorrect username or password.',
		);
		expect(result.error?.message).toContain(
			'Incorrect username or password. Check the email and password',
		);
		expect(result.error?.message).not.toContain('not-the-password');
		expect(env.emulator.counters().signin).toBeLessThanOrEqual(2);
		expect(env.emulator.counters().listTasks ?? 0).toBe(0);
	});

	it('an unreachable Base URL names the URL', async () => {
		env = await startCelanturEnv({ credential: { baseUrl: 'http://127.0.0.1:9/v2' } });
		const result = await env.harness.run(listWorkflow(1));
		expect(result.error?.message).toMatch(
			/could not reach http:\/\/127\.0\.0\.1:9\/v2\/signin \(connection refused\)\. Check the Base URL/,
		);
	});

	it('a Base URL without /v2 is blamed on the Base URL, not on the password', async () => {
		env = await startCelanturEnv();
		const root = env.emulator.baseUrl.replace(/\/v2$/, '');
		env.harness.credentials.set(CREDENTIAL_ID, { baseUrl: root });
		const result = await env.harness.run(listWorkflow(3));
		expect(result.error?.message).toBe(
			`Celantur sign-in failed: ${root}/signin is not Celantur's sign-in; it answered HTTP 403 (Missing Authentication Token). Check the Base URL of the credential: it is the API root, ending in /v2 (https://api.celantur.com/v2).`,
		);
		expect(result.error?.message).not.toMatch(/password/i);
		// Final like a refused password: one sign-in, not one per item.
		expect(env.emulator.counters().signin ?? 0).toBe(0);
		expect(env.emulator.log.filter((entry) => entry.path === '/signin')).toHaveLength(1);
	});

	it('tolerates a trailing slash on the Base URL', async () => {
		env = await startCelanturEnv();
		await env.close();
		env = await startCelanturEnv({ emulator: {}, credential: {} });
		env.harness.credentials.set(CREDENTIAL_ID, { baseUrl: `${env.emulator.baseUrl}//` });
		const result = await env.harness.run(listWorkflow(1));
		expect(result.error).toBeUndefined();
		expect(env.emulator.log.every((entry) => !entry.path.includes('//'))).toBe(true);
	});

	it('sends the raw token to the API and never an Authorization header to storage', async () => {
		env = await startCelanturEnv();
		const folder = imageFolder();
		try {
			const result = await env.harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					fixtureNode('Read', [
						{ path: folder.write('x.jpg', streetImage('jpeg')), mimeType: 'image/jpeg' },
					]),
					celanturNode('Anonymize', {
						operation: 'create',
						anonymizationMethod: 'pixelate',
						objects: ['face'],
						options: { pollInterval: 0.2 },
						outputSettings: { binarySegmentationMask: true },
					}),
				]),
			);
			expect(result.error).toBeUndefined();
		} finally {
			folder.remove();
		}
		const storage = env.emulator.log.filter((entry) => entry.server === 'storage');
		expect(storage.map((entry) => entry.endpoint).sort()).toEqual([
			'downloadAnonymized',
			'downloadMask',
			'upload',
		]);
		for (const entry of storage) expect(entry.headers.authorization).toBeUndefined();
		const token = env.harness.credentials.get(CREDENTIAL_ID)?.accessToken;
		for (const entry of env.emulator.log.filter(
			(e) => e.server === 'api' && e.endpoint !== 'signin',
		)) {
			expect(entry.headers.authorization).toBe(token);
		}
	});
});

describe('credential celanturApi: sign-in replies', () => {
	const credential = new CelanturApi();
	const helper = (reply: unknown, calls: IHttpRequestOptions[] = []): IHttpRequestHelper => ({
		helpers: {
			httpRequest: (async (options: IHttpRequestOptions) => {
				calls.push(options);
				return reply;
			}) as IHttpRequestHelper['helpers']['httpRequest'],
		},
	});
	const data = {
		email: 'ops@example.com',
		password: 'pw',
		baseUrl: 'https://api.example.test/v2/',
	};

	it('reads the v2 reply and the older Cognito shape, signing in at {baseUrl}/signin with username', async () => {
		const calls: IHttpRequestOptions[] = [];
		expect(
			await credential.preAuthentication.call(
				helper({ AccessToken: 'tok-1', ExpiresIn: 3600 }, calls),
				data,
			),
		).toEqual({ accessToken: 'tok-1' });
		expect(calls[0]).toEqual(
			expect.objectContaining({
				method: 'POST',
				url: 'https://api.example.test/v2/signin',
				body: { username: 'ops@example.com', password: 'pw' },
			}),
		);
		expect(
			await credential.preAuthentication.call(
				helper({ AuthenticationResult: { AccessToken: 'tok-2' } }),
				data,
			),
		).toEqual({ accessToken: 'tok-2' });
	});

	const failing = (status: number, body: unknown): IHttpRequestHelper => ({
		helpers: {
			httpRequest: (async () =>
				await Promise.reject(
					Object.assign(new Error(`HTTP ${status}`), { response: { status, data: body } }),
				)) as IHttpRequestHelper['helpers']['httpRequest'],
		},
	});

	it('a reply without a token says what came back, without its values', async () => {
		await expect(
			credential.preAuthentication.call(helper({ IdToken: 'secret-id-token', Session: 's' }), data),
		).rejects.toThrow(
			"Celantur sign-in failed: https://api.example.test/v2/signin is not Celantur's sign-in; it answered without an AccessToken, with a JSON object with the fields IdToken, Session. Check the Base URL",
		);
		await expect(
			credential.preAuthentication.call(helper({ IdToken: 'secret-id-token' }), data),
		).rejects.not.toThrow(/secret-id-token/);
	});

	it('a web page is blamed on the Base URL, whether it comes with 200 or 404', async () => {
		const page = '<!DOCTYPE html><html><body>Welcome</body></html>';
		await expect(credential.preAuthentication.call(helper(page), data)).rejects.toThrow(
			"https://api.example.test/v2/signin is not Celantur's sign-in; it answered without an AccessToken, with a web page instead of a JSON object. Check the Base URL of the credential",
		);
		const notFound = credential.preAuthentication.call(failing(404, page), data);
		await expect(notFound).rejects.toThrow(
			"Celantur sign-in failed: https://api.example.test/v2/signin is not Celantur's sign-in; it answered a web page. Check the Base URL of the credential: it is the API root, ending in /v2",
		);
		await expect(credential.preAuthentication.call(failing(404, page), data)).rejects.not.toThrow(
			/password|DOCTYPE/i,
		);
	});

	it('only Celantur’s own refusal blames the email and password', async () => {
		await expect(
			credential.preAuthentication.call(
				failing(400, {
					message: 'Incorrect username or password.',
					code: 'NotAuthorizedException',
				}),
				data,
			),
		).rejects.toThrow(
			'Celantur sign-in failed: Incorrect username or password. Check the email and password of the Celantur credential',
		);
		await expect(
			credential.preAuthentication.call(
				failing(403, { message: 'Missing Authentication Token' }),
				data,
			),
		).rejects.toThrow(
			"is not Celantur's sign-in; it answered HTTP 403 (Missing Authentication Token). Check the Base URL",
		);
		await expect(
			credential.preAuthentication.call(failing(401, { error: 'Unauthorized' }), data),
		).rejects.toThrow(
			"is not Celantur's sign-in; it answered HTTP 401 (Unauthorized). Check the Base URL",
		);
	});

	it('authenticates with the raw token, no Bearer prefix', () => {
		expect(credential.authenticate.properties.headers).toEqual({
			Authorization: '={{$credentials.accessToken}}',
		});
	});
});
