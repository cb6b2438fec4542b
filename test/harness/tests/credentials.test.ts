import type { Harness } from '../index';
import {
	AUTH_PROBE_TYPE,
	HARNESS_TOKEN_API,
	MANUAL_START_TYPE,
	READ_FIXTURE_TYPE,
	TOKEN_SERVER_USER,
	node,
	workflow,
} from '../index';
import {
	startTokenEnv,
	TOKEN_CREDENTIAL_ID as CREDENTIAL_ID,
	type TokenEnv,
} from '../../support/token-env';

describe('harness: expirable credentials through n8n-core request helpers', () => {
	let env: TokenEnv;

	beforeEach(async () => {
		env = await startTokenEnv();
	});

	afterEach(async () => {
		await env.close();
	});

	/** Two input items x `requestsPerItem` authenticated GETs. */
	const probe = (requestsPerItem: number, parallel = false) =>
		workflow([
			node('Start', MANUAL_START_TYPE),
			node('Items', READ_FIXTURE_TYPE, {
				files: JSON.stringify([{ json: { i: 1 } }, { json: { i: 2 } }]),
			}),
			node(
				'Probe',
				AUTH_PROBE_TYPE,
				{ url: `${env.server.baseUrl}/resource`, requests: requestsPerItem, parallel },
				{ credentials: { [HARNESS_TOKEN_API]: CREDENTIAL_ID } },
			),
		]);

	const responsesOf = (result: Awaited<ReturnType<Harness['run']>>) =>
		result.output('Probe').flatMap((item) => item.json.responses as Array<{ ok: boolean }>);

	it('signs in once for 20 requests over two executions and keeps the token', async () => {
		const first = await env.harness.run(probe(5));
		const second = await env.harness.run(probe(5));

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect([...responsesOf(first), ...responsesOf(second)]).toHaveLength(20);
		expect(env.harness.credentials.signIns(CREDENTIAL_ID)).toBe(1);
		expect(env.server.signIns).toBe(1);
		expect(env.server.served).toBe(20);
		expect(env.server.rejected).toBe(0);
		// The generic authenticate rule, resolved by n8n's expression engine.
		expect(new Set(env.server.authorizations)).toEqual(new Set(['Bearer tok-1']));
		expect(env.harness.credentials.get(CREDENTIAL_ID)).toMatchObject({
			accessToken: 'tok-1',
			username: TOKEN_SERVER_USER,
		});
	});

	it('signs in again once after a 401 and retries the request', async () => {
		await env.harness.run(probe(2));
		env.server.revokeAll();

		const result = await env.harness.run(probe(3));

		expect(result.error).toBeUndefined();
		expect(responsesOf(result)).toHaveLength(6);
		expect(responsesOf(result).every((response) => response.ok)).toBe(true);
		expect(env.harness.credentials.signIns(CREDENTIAL_ID)).toBe(2);
		expect(env.server.signIns).toBe(2);
		expect(env.server.rejected).toBe(1);
		expect(env.harness.credentials.get(CREDENTIAL_ID).accessToken).toBe('tok-2');
	});

	it('treats a token a test expires in the store as n8n treats a stale saved one', async () => {
		env.harness.credentials.set(CREDENTIAL_ID, { accessToken: 'stale' });

		const result = await env.harness.run(probe(1));

		expect(result.error).toBeUndefined();
		expect(env.server.authorizations[0]).toBe('Bearer stale');
		expect(env.server.rejected).toBe(1);
		expect(env.harness.credentials.signIns()).toBe(1);
		expect(env.harness.credentials.get(CREDENTIAL_ID).accessToken).toBe('tok-1');
	});

	it('fails the node when the sign-in itself is refused, after n8n-core retries it once', async () => {
		env.harness.credentials.set(CREDENTIAL_ID, { password: 'wrong' });

		const result = await env.harness.run(probe(3));

		expect(result.status).toBe('error');
		expect(result.error?.name).toBe('NodeApiError');
		// n8n-core sees the sign-in's own 401 as an expired token and signs in once more, then gives up.
		expect(env.server.signIns).toBe(2);
		expect(env.harness.credentials.signIns(CREDENTIAL_ID)).toBe(2);
		expect(env.server.served).toBe(0);
		expect(env.harness.credentials.get(CREDENTIAL_ID).accessToken).toBeUndefined();
	});

	it('signs in once per concurrent request that finds no token, as n8n does', async () => {
		// n8n does not serialise sign-ins: nodes that fan out requests see one sign-in each.
		const result = await env.harness.run(probe(4, true));

		expect(result.error).toBeUndefined();
		expect(responsesOf(result)).toHaveLength(8);
		expect(env.server.signIns).toBe(4);
		expect(env.harness.credentials.signIns(CREDENTIAL_ID)).toBe(4);
	});
});
