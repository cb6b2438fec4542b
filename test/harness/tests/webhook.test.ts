import { HARNESS_TOKEN_API, WEBHOOK_PROBE_TYPE, node, workflow } from '../index';
import {
	startTokenEnv,
	TOKEN_CREDENTIAL_ID as CREDENTIAL_ID,
	type TokenEnv,
} from '../../support/token-env';

describe('harness: webhook calls through n8n-core WebhookContext', () => {
	let env: TokenEnv;

	beforeAll(async () => {
		env = await startTokenEnv();
	});

	afterAll(async () => {
		await env.close();
	});

	const trigger = (parameters = {}) =>
		workflow([
			node('Callback', WEBHOOK_PROBE_TYPE, parameters, {
				credentials: { [HARNESS_TOKEN_API]: CREDENTIAL_ID },
			}),
		]);

	it("returns the node's items and n8n's default answer, and remembers static data between calls", async () => {
		const flow = trigger();

		const first = await env.harness.callWebhook(flow, 'Callback', { body: { id: 7 } });
		expect(first.statusCode).toBe(200);
		expect(first.responseBody).toEqual({ message: 'Workflow was started' });
		expect(first.workflowData?.[0].map((item) => item.json)).toEqual([{ id: '7' }]);
		expect(first.staticData).toEqual({ 'node:Callback': { seen: ['7'] } });

		const repeated = await env.harness.callWebhook(flow, 'Callback', { body: { id: 7 } });
		expect(repeated.workflowData).toBeUndefined();
		expect(repeated.responseBody).toEqual({ status: 'duplicate', id: '7' });

		const other = await env.harness.callWebhook(flow, 'Callback', { body: { id: 8 } });
		expect(other.workflowData?.[0][0].json).toEqual({ id: '8' });
		expect(other.staticData).toEqual({ 'node:Callback': { seen: ['7', '8'] } });

		// A different workflow object is a different workflow: nothing remembered.
		const fresh = await env.harness.callWebhook(trigger(), 'Callback', { body: { id: 7 } });
		expect(fresh.workflowData).toBeDefined();
		// The test's own object is left as written.
		expect(flow.staticData).toBeUndefined();
	});

	it("records the node's own response and n8n's refusal of an unparseable body", async () => {
		const flow = trigger();

		const missing = await env.harness.callWebhook(flow, 'Callback', { body: { nothing: true } });
		expect(missing.noWebhookResponse).toBe(true);
		expect(missing.statusCode).toBe(400);
		expect(missing.responseBody).toEqual({ error: 'The callback has no id' });
		expect(missing.workflowData).toBeUndefined();

		const garbled = await env.harness.callWebhook(flow, 'Callback', {
			headers: { 'Content-Type': 'application/json' },
			rawBody: Buffer.from('{not json'),
		});
		expect(garbled.statusCode).toBe(422);
		expect(garbled.staticData).toEqual({});

		const text = await env.harness.callWebhook(flow, 'Callback', {
			headers: { 'content-type': 'text/plain' },
			rawBody: Buffer.from('id=3'),
		});
		expect(text.statusCode).toBe(400);
	});

	it('gives the webhook credentials, authenticated requests and binary helpers', async () => {
		const flow = trigger({ verifyUrl: `${env.server.baseUrl}/resource` });

		const result = await env.harness.callWebhook(flow, 'Callback', {
			body: {
				id: 'a1',
				base64: Buffer.from('image bytes').toString('base64'),
				fileName: 'photo.jpg',
			},
			query: { source: 'test' },
		});

		expect(result.error).toBeUndefined();
		const [item] = result.workflowData?.[0] ?? [];
		expect(item.json.verified).toEqual({ ok: true, served: 1 });
		expect(env.harness.credentials.signIns(CREDENTIAL_ID)).toBe(1);
		expect(item.binary?.data).toMatchObject({ fileName: 'photo.jpg', mimeType: 'image/jpeg' });
		expect(item.binary?.data.id).toMatch(/^filesystem-v2:/);
		expect((await env.harness.readBinary(item, 'data')).toString()).toBe('image bytes');
	});

	it('answers 500 as n8n does when the webhook throws', async () => {
		const flow = trigger({ verifyUrl: `${env.server.baseUrl}/missing` });

		const result = await env.harness.callWebhook(flow, 'Callback', { body: { id: 'b2' } });

		expect(result.statusCode).toBe(500);
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(result.staticData).toEqual({});
	});
});
