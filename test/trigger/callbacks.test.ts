import { workflow } from '../harness';
import { regionDiff } from '../emulator/images';
import { requestsSince, triggerNode, useCelanturEnv } from '../support/celantur-env';
import { streetImage, STREET_OBJECTS } from '../support/images';
import { createRawTask, waitForStatus } from '../support/raw-tasks';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('Celantur Trigger: callbacks through n8n-core’s webhook context', () => {
	const env = useCelanturEnv();
	let doneTask: number;
	const image = streetImage('jpeg', 21);

	beforeAll(async () => {
		doneTask = await createRawTask(env.emulator, {
			image: { bytes: image, contentType: 'image/jpeg' },
		});
		await waitForStatus(env.emulator, doneTask, 'done');
	});

	const callback = (taskId: unknown, extra: Record<string, unknown> = {}) => ({
		method: 'POST',
		headers: JSON_HEADERS,
		body: {
			customer_id: 'c-1',
			task_id: taskId,
			task_status: 'done',
			anonymized_url: 'https://attacker.example/evil.jpg',
			...extra,
		},
	});

	it('a genuine callback is answered in JSON and starts one execution: the task as the API returns it, with the image downloaded in the execution; a repeat starts none', async () => {
		const flow = workflow([
			triggerNode('Celantur Trigger', { verifyTask: true, downloadResult: true, simplify: false }),
		]);
		const { call, run } = await env.harness.triggerWebhook(
			flow,
			'Celantur Trigger',
			callback(doneTask),
		);
		expect(call.statusCode).toBe(200);
		expect(call.responseBody).toEqual({ received: true, task_id: doneTask });
		expect(call.workflowData).toHaveLength(1);
		expect(call.workflowData![0]).toHaveLength(1);
		// Nothing is stored while answering the webhook: that binary data would belong to no execution.
		expect(call.workflowData![0][0].binary).toBeUndefined();

		expect(run?.status).toBe('success');
		const [item] = run!.output('Celantur Trigger');
		expect(run!.output('Celantur Trigger')).toHaveLength(1);
		expect(item.json.task_id).toBe(doneTask);
		expect(item.json.task_status).toBe('done');
		// Only what the API confirmed: the made-up URL of the callback is not emitted.
		expect(item.json.anonymized_url).not.toContain('attacker.example');
		expect(item.json.kernel_size_face).toEqual(expect.any(Number));
		const bytes = await env.harness.readBinary(item, 'anonymized');
		expect(regionDiff(image, bytes, STREET_OBJECTS[0])).toBeGreaterThan(8);

		const again = await env.harness.triggerWebhook(flow, 'Celantur Trigger', callback(doneTask));
		expect(again.call.workflowData).toBeUndefined();
		expect(again.run).toBeUndefined();
		expect(again.call.statusCode).toBe(200);
		expect(again.call.responseBody).toEqual({ received: true, duplicate: true, task_id: doneTask });
	});

	it("without verification, the execution still downloads only from the link the API gives, never the caller's", async () => {
		const flow = workflow([
			triggerNode('Celantur Trigger', { verifyTask: false, downloadResult: true, simplify: false }),
		]);
		const before = env.emulator.counters();
		const { call, run } = await env.harness.triggerWebhook(
			flow,
			'Celantur Trigger',
			callback(doneTask),
		);
		expect(call.responseBody).toEqual({ received: true, task_id: doneTask });
		expect(run?.status).toBe('success');
		const [item] = run!.output('Celantur Trigger');
		// The item is the callback as sent, and the image is the task's real result.
		expect(item.json.anonymized_url).toBe('https://attacker.example/evil.jpg');
		expect(
			regionDiff(image, await env.harness.readBinary(item, 'anonymized'), STREET_OBJECTS[0]),
		).toBeGreaterThan(8);
		expect(requestsSince(env.emulator, before)).toEqual(
			expect.objectContaining({ getTask: 1, downloadAnonymized: 1 }),
		);
	});

	it('by default gives the short form, with no presigned link, and the image downloaded', async () => {
		const flow = workflow([triggerNode('Celantur Trigger', { downloadResult: true })]);
		const { run } = await env.harness.triggerWebhook(flow, 'Celantur Trigger', callback(doneTask));
		expect(run?.status).toBe('success');
		const [item] = run!.output('Celantur Trigger');
		expect(item.json).toEqual({
			task_id: doneTask,
			task_status: 'done',
			failure_cause: null,
			anonymization_method: 'blur',
			objects: expect.any(Array),
			create_time: expect.any(String),
		});
		expect(JSON.stringify(item.json)).not.toMatch(/https?:|X-Amz|signature/i);
		const bytes = await env.harness.readBinary(item, 'anonymized');
		expect(regionDiff(image, bytes, STREET_OBJECTS[0])).toBeGreaterThan(8);
	});

	it.each([
		[
			'not JSON',
			{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'task_id=1' },
			415,
		],
		['a JSON array', { method: 'POST', headers: JSON_HEADERS, body: [1, 2] }, 400],
		['no task_id', { method: 'POST', headers: JSON_HEADERS, body: { task_status: 'done' } }, 400],
		[
			'a malformed task_id',
			{ method: 'POST', headers: JSON_HEADERS, body: { task_id: '1; DROP TABLE' } },
			400,
		],
		[
			'a status other than done',
			{
				method: 'POST',
				headers: JSON_HEADERS,
				body: { task_id: 1690000000000002, task_status: 'failed' },
			},
			422,
		],
	])('refuses %s with a 4xx JSON error, without asking the API', async (_, request, status) => {
		const flow = workflow([triggerNode('Celantur Trigger')]);
		const before = env.emulator.counters();
		const result = await env.harness.callWebhook(flow, 'Celantur Trigger', request);
		expect(result.statusCode).toBe(status);
		expect(result.responseBody).toEqual({ error: expect.any(String) });
		expect(result.workflowData).toBeUndefined();
		expect(requestsSince(env.emulator, before)).toEqual({});
	});

	it('refuses a task the account does not know (404) and one that is not done (409)', async () => {
		const flow = workflow([triggerNode('Celantur Trigger')]);
		const unknown = await env.harness.callWebhook(
			flow,
			'Celantur Trigger',
			callback(1690000000000003),
		);
		expect(unknown.statusCode).toBe(404);
		expect(unknown.workflowData).toBeUndefined();

		const fresh = await createRawTask(env.emulator);
		const notDone = await env.harness.callWebhook(flow, 'Celantur Trigger', callback(fresh));
		expect(notDone.statusCode).toBe(409);
		expect(notDone.responseBody).toEqual({ error: 'The task is "new" at Celantur, not done' });
		expect(notDone.workflowData).toBeUndefined();
		// A refused callback is not remembered: the genuine one later still starts the workflow.
		expect(notDone.staticData).not.toEqual(
			expect.objectContaining({ emittedTaskIds: expect.arrayContaining([String(fresh)]) }),
		);
	});

	it('the emulator’s own callback after a task is done is accepted', async () => {
		const flow = workflow([triggerNode('Celantur Trigger', { verifyTask: true })]);
		const received: unknown[] = [];
		const { createServer } = await import('node:http');
		const server = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString()));
			req.on('end', () => {
				received.push({ headers: req.headers, body: JSON.parse(body) as unknown });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		try {
			const id = await createRawTask(env.emulator, {
				body: { webhook: `http://127.0.0.1:${port}/hook?job=42` },
				image: { bytes: image, contentType: 'image/jpeg' },
			});
			// The emulator records the delivery once the receiver has answered: by then it has the call.
			await env.emulator.waitForWebhook(id);
			expect(received).toHaveLength(1);
			const delivered = received[0] as { headers: Record<string, string>; body: unknown };
			const result = await env.harness.callWebhook(flow, 'Celantur Trigger', {
				method: 'POST',
				headers: { 'content-type': delivered.headers['content-type'] },
				body: delivered.body,
			});
			expect(result.workflowData?.[0][0].json.task_id).toBe(id);
		} finally {
			server.close();
		}
	});
	it('reads a JSON callback sent without a Content-Type', async () => {
		const body = JSON.stringify({ task_id: doneTask, task_status: 'done' });
		const result = await env.harness.callWebhook(workflow([triggerNode('Trigger')]), 'Trigger', {
			method: 'POST',
			headers: {},
			rawBody: Buffer.from(body),
		});
		expect(result.workflowData?.[0][0].json.task_id).toBe(doneTask);
	});
});
