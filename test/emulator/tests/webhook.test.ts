// Webhooks: one POST after done, none after failure, webhook_status follows the delivery.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from '../index';
import { makeTestImage } from '../images';
import { download, http, obj, runTask, signIn, type JsonObject } from '../testkit';

const IMAGE = makeTestImage({
	format: 'png',
	width: 96,
	height: 96,
	objects: [{ type: 'face', x: 20, y: 20, width: 50, height: 50 }],
});

interface Received {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

describe('emulator: webhooks', () => {
	let emu: Emulator;
	let token: string;
	let receiver: Server;
	let received: Received[];
	let answerStatus: number;
	let hookBase: string;

	beforeAll(async () => {
		emu = await startEmulator({ webhookTimeoutMs: 500 });
		token = await signIn(emu);
		receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
			req.on('end', () => {
				received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
				res.writeHead(answerStatus).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await emu.close();
		await new Promise((resolve) => receiver.close(resolve));
	});
	beforeEach(() => {
		received = [];
		answerStatus = 200;
	});

	/** Waits for the delivery to end (an event, not a deadline), then reads the task as the API shows it. */
	const settle = async (taskId: unknown): Promise<JsonObject> => {
		await emu.waitForWebhook(Number(taskId));
		return obj((await http('GET', `${emu.baseUrl}/task/${taskId}`, { token })).json);
	};

	/**
	 * Runs a task that does call back, and waits until that call has been received: calls that were
	 * due before it (a retry, a call for a failed task) would have been sent before it.
	 */
	const barrier = async (): Promise<void> => {
		const done = await runTask(
			emu,
			token,
			{ anonymization_method: 'blur', face: true, webhook: `${hookBase}/barrier` },
			IMAGE,
		);
		await emu.waitForWebhook(Number(done.task_id));
	};
	const calls = (): string[] =>
		received.map((call) => call.url).filter((url) => url !== '/barrier');

	it('POSTs {customer_id, task_id, task_status, anonymized_url} once after done, keeping the query string', async () => {
		const webhook = `${hookBase}/hook/dev?param=test&run=42`;
		const done = await runTask(
			emu,
			token,
			{ anonymization_method: 'blur', face: true, webhook },
			IMAGE,
		);
		const task = await settle(done.task_id);
		expect(task.webhook_status).toBe('sent');
		await barrier();
		expect(calls()).toHaveLength(1);
		const [call] = received;
		expect(call.method).toBe('POST');
		expect(call.url).toBe('/hook/dev?param=test&run=42');
		expect(call.headers['content-type']).toBe('application/json');
		expect(call.headers.authorization).toBeUndefined();
		const payload = obj(JSON.parse(call.body));
		expect(Object.keys(payload).sort()).toEqual([
			'anonymized_url',
			'customer_id',
			'task_id',
			'task_status',
		]);
		expect(payload).toMatchObject({
			customer_id: done.customer_id,
			task_id: Number(done.task_id),
			task_status: 'done',
		});
		const image = await download(String(payload.anonymized_url));
		expect(image.status).toBe(200);
		expect(image.headers['content-type']).toBe('image/png');
		expect(emu.task(Number(done.task_id))?.webhookDeliveries).toEqual([
			expect.objectContaining({ url: webhook, status: 200 }),
		]);
		const status = obj(
			(await http('GET', `${emu.baseUrl}/task/${done.task_id}/status`, { token })).json,
		);
		expect(status).toMatchObject({ webhook, webhook_status: 'sent' });
	});

	it('sends nothing when the task fails, and webhook_status stays "set"', async () => {
		emu.failNextTask('IMAGE_DEFECT');
		const failed = await runTask(
			emu,
			token,
			{ anonymization_method: 'blur', face: true, webhook: `${hookBase}/hook` },
			IMAGE,
		);
		expect(failed.task_status).toBe('failed');
		await barrier();
		expect(calls()).toHaveLength(0);
		expect(
			obj((await http('GET', `${emu.baseUrl}/task/${failed.task_id}`, { token })).json)
				.webhook_status,
		).toBe('set');
		expect(emu.task(Number(failed.task_id))?.webhookDeliveries).toEqual([]);
	});

	it('marks webhook_status "failed" when the receiver answers an error, without retrying', async () => {
		answerStatus = 500;
		const done = await runTask(
			emu,
			token,
			{ anonymization_method: 'blur', face: true, webhook: `${hookBase}/broken` },
			IMAGE,
		);
		expect((await settle(done.task_id)).webhook_status).toBe('failed');
		answerStatus = 200;
		await barrier();
		expect(calls()).toHaveLength(1);
	});

	it('marks webhook_status "failed" when the receiver cannot be reached', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const done = await runTask(
			emu,
			token,
			{ anonymization_method: 'blur', face: true, webhook: `http://127.0.0.1:${port}/gone` },
			IMAGE,
		);
		expect((await settle(done.task_id)).webhook_status).toBe('failed');
		expect(emu.task(Number(done.task_id))?.webhookDeliveries[0].error).toBeDefined();
	});

	it('marks webhook_status "failed" when the receiver does not answer within webhookTimeoutMs', async () => {
		const silent = createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		try {
			const port = (silent.address() as AddressInfo).port;
			const done = await runTask(
				emu,
				token,
				{ anonymization_method: 'blur', face: true, webhook: `http://127.0.0.1:${port}/slow` },
				IMAGE,
			);
			// The receiver never answers, so only the emulator's webhookTimeoutMs can end the delivery.
			expect((await settle(done.task_id)).webhook_status).toBe('failed');
			expect(emu.task(Number(done.task_id))?.webhookDeliveries[0].error).toBeDefined();
		} finally {
			silent.closeAllConnections();
			await new Promise((resolve) => silent.close(resolve));
		}
	});

	it('keeps webhook_status "empty" without a webhook and calls nobody', async () => {
		const done = await runTask(emu, token, { anonymization_method: 'blur', face: true }, IMAGE);
		expect(done.webhook_status).toBe('empty');
		await barrier();
		expect(calls()).toHaveLength(0);
	});
});
