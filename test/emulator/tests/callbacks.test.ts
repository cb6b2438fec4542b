// Callback knobs (knobs.callbacks): dropped, delayed, repeated, held for a burst, routed, resent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from '../index';
import { makeTestImage } from '../images';
import { createTask, obj, runTask, signIn, upload } from '../testkit';

const IMAGE = makeTestImage({
	format: 'png',
	width: 96,
	height: 96,
	objects: [{ type: 'face', x: 20, y: 20, width: 50, height: 50 }],
});
const BODY = { anonymization_method: 'blur', face: true };

interface Call {
	path: string;
	taskId: number;
}

/** A receiver that records calls; `gate` may hold answers back (to see calls arrive together). */
class Receiver {
	readonly calls: Call[] = [];
	/** Requests being held open right now, and the most ever held at once. */
	open = 0;
	maxOpen = 0;
	/** Answers are held until this many requests are open at once (0: answer at once). */
	gate = 0;
	private waiting: ServerResponse[] = [];
	private server?: Server;
	base = '';

	async start(): Promise<void> {
		this.server = createServer((req, res) => this.handle(req, res));
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			this.calls.push({ path: req.url ?? '', taskId: Number(obj(JSON.parse(body)).task_id) });
			this.open++;
			this.maxOpen = Math.max(this.maxOpen, this.open);
			this.waiting.push(res);
			if (this.open >= this.gate) {
				for (const held of this.waiting.splice(0)) {
					this.open--;
					held.writeHead(200).end();
				}
			}
		});
	}

	/** Calls to `path` (query included). */
	to(path: string): Call[] {
		return this.calls.filter((call) => call.path === path);
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise((resolve) => this.server?.close(resolve));
	}
}

describe('emulator: callback knobs', () => {
	let emu: Emulator;
	let token: string;
	let receiver: Receiver;
	let other: Receiver;
	let path: number;

	beforeAll(async () => {
		emu = await startEmulator({ webhookTimeoutMs: 2000 });
		token = await signIn(emu);
		receiver = new Receiver();
		other = new Receiver();
		await Promise.all([receiver.start(), other.start()]);
	});
	afterAll(async () => {
		await emu.close();
		await Promise.all([receiver.close(), other.close()]);
	});
	beforeEach(() => {
		receiver.gate = 0;
		receiver.maxOpen = 0;
		path = (path ?? 0) + 1;
	});
	afterEach(() => {
		// Each test leaves the knobs as it found them.
		emu.knobs.callbacks = { drop: [], delayMs: 0, copies: 1, copyGapMs: 0, hold: false };
	});

	const hook = (name: string): string => `${receiver.base}/${name}-${path}`;
	const run = async (webhook: string): Promise<number> =>
		Number((await runTask(emu, token, { ...BODY, webhook }, IMAGE)).task_id);
	/**
	 * Creates `n` tasks with one webhook (a batch), calls `beforeUpload` with their ids, and uploads
	 * them together.
	 */
	const batch = async (
		n: number,
		webhook: string,
		beforeUpload: (ids: number[]) => void = () => undefined,
	): Promise<number[]> => {
		const created = await Promise.all(
			Array.from({ length: n }, () => createTask(emu, token, { ...BODY, webhook })),
		);
		const ids = created.map((task) => Number(task.task_id));
		beforeUpload(ids);
		await Promise.all(created.map((task) => upload(String(task.upload_url), IMAGE, 'image/png')));
		return ids;
	};
	/**
	 * A task whose callback is received: a callback that was due before it (and not held back by a
	 * knob) would have been received first.
	 */
	const barrier = async (): Promise<void> => {
		const id = await run(`${receiver.base}/barrier`);
		await emu.waitForWebhook(id);
	};

	it('starts with the knobs given to startEmulator, copying the drop rules', async () => {
		const drop = [{ task: 'lastOfBatch' as const }];
		const started = await startEmulator({ callbacks: { copies: 2, drop } });
		try {
			expect(started.knobs.callbacks).toEqual({
				drop: [{ task: 'lastOfBatch' }],
				delayMs: 0,
				copies: 2,
				copyGapMs: 0,
				hold: false,
			});
			expect(started.knobs.callbacks.drop).not.toBe(drop);
		} finally {
			await started.close();
		}
	});

	it('drop by task id: that callback is never sent, recorded as dropped; the others go', async () => {
		const [first, second] = await batch(2, hook('by-id'), ([id]) =>
			emu.knobs.callbacks.drop.push({ task: id }),
		);
		await Promise.all([emu.waitForWebhook(first), emu.waitForWebhook(second)]);
		await barrier();
		expect(receiver.to(`/by-id-${path}`).map((call) => call.taskId)).toEqual([second]);
		expect(emu.task(first)?.webhookDeliveries).toEqual([
			expect.objectContaining({ dropped: true, url: hook('by-id') }),
		]);
		expect(emu.task(first)?.webhookStatus).toBe('failed');
		expect(emu.task(second)?.webhookStatus).toBe('sent');
		expect(emu.knobs.callbacks.drop).toEqual([]);
	});

	it('drop by count: the next N callbacks of any task, then the rule is gone', async () => {
		emu.knobs.callbacks.drop.push({ count: 2 });
		const ids = [await run(hook('count')), await run(hook('count')), await run(hook('count'))];
		await Promise.all(ids.map((id) => emu.waitForWebhook(id)));
		await barrier();
		expect(receiver.to(`/count-${path}`).map((call) => call.taskId)).toEqual([ids[2]]);
		expect(ids.map((id) => emu.task(id)?.webhookDeliveries[0].dropped === true)).toEqual([
			true,
			true,
			false,
		]);
		expect(emu.knobs.callbacks.drop).toEqual([]);
	});

	it("drop 'lastOfBatch': the task that ends when no other of its webhook URL is pending loses its callback", async () => {
		emu.knobs.callbacks.drop.push({ task: 'lastOfBatch' });
		const ids = await batch(4, hook('batch'));
		await Promise.all(ids.map((id) => emu.waitForWebhook(id)));
		await barrier();
		const endedAt = (id: number) =>
			emu.task(id)?.history.find((step) => step.status === 'done')?.at ?? 0;
		const last = [...ids].sort((a, b) => endedAt(a) - endedAt(b) || a - b).pop();
		const dropped = ids.filter((id) => emu.task(id)?.webhookDeliveries[0].dropped === true);
		expect(dropped).toEqual([last]);
		expect(
			receiver
				.to(`/batch-${path}`)
				.map((call) => call.taskId)
				.sort(),
		).toEqual(ids.filter((id) => id !== last).sort());
		expect(emu.knobs.callbacks.drop).toEqual([]);
	});

	it('delayMs: the callback leaves that long after done, on the emulator clock', async () => {
		emu.knobs.callbacks.delayMs = 3_600_000;
		const id = await run(hook('late'));
		emu.knobs.callbacks.delayMs = 0;
		await barrier();
		expect(receiver.to(`/late-${path}`)).toEqual([]);
		expect(emu.task(id)?.webhookDeliveries).toEqual([]);
		emu.clock.advance(3_600_000);
		const delivery = await emu.waitForWebhook(id);
		expect(delivery.status).toBe(200);
		expect(receiver.to(`/late-${path}`).map((call) => call.taskId)).toEqual([id]);
		// The hour passed for tokens too.
		token = await signIn(emu);
	});

	it('copies: each callback is sent N times at once (concurrently)', async () => {
		emu.knobs.callbacks.copies = 3;
		// Answers only once three calls are open together: copies sent one by one would time out.
		receiver.gate = 3;
		const id = await run(hook('copies'));
		await emu.waitForWebhook(id);
		const deliveries = await waitForDeliveries(emu, id, 3);
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
		expect(receiver.to(`/copies-${path}`).map((call) => call.taskId)).toEqual([id, id, id]);
		expect(receiver.maxOpen).toBe(3);
	});

	it('copyGapMs: the copies go one after another', async () => {
		emu.knobs.callbacks.copies = 3;
		emu.knobs.callbacks.copyGapMs = 5;
		const id = await run(hook('gap'));
		const deliveries = await waitForDeliveries(emu, id, 3);
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
		expect(receiver.maxOpen).toBe(1);
	});

	it('hold + releaseCallbacks: callbacks wait, then go out together, concurrently', async () => {
		emu.knobs.callbacks.hold = true;
		const ids = await batch(3, hook('burst'));
		const held = await emu.waitForHeldCallbacks(3);
		expect([...held].sort()).toEqual([...ids].sort());
		expect(receiver.to(`/burst-${path}`)).toEqual([]);
		expect(ids.map((id) => emu.task(id)?.webhookDeliveries.length)).toEqual([0, 0, 0]);
		// Released with the hold still on: what is released is sent, nothing else is held.
		receiver.gate = 3;
		const deliveries = await emu.releaseCallbacks();
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
		expect(receiver.maxOpen).toBe(3);
		expect(emu.heldCallbacks()).toEqual([]);
	});

	it('releaseCallbacks(ids) sends only those; held callbacks keep their copies', async () => {
		emu.knobs.callbacks.hold = true;
		emu.knobs.callbacks.copies = 2;
		const ids = await batch(2, hook('some'));
		await emu.waitForHeldCallbacks(2);
		const first = await emu.releaseCallbacks([ids[0]]);
		expect(first.map((delivery) => delivery.body.task_id)).toEqual([ids[0], ids[0]]);
		expect(emu.heldCallbacks()).toEqual([ids[1]]);
		const rest = await emu.releaseCallbacks();
		expect(rest.map((delivery) => delivery.body.task_id)).toEqual([ids[1], ids[1]]);
		expect(receiver.to(`/some-${path}`)).toHaveLength(4);
	});

	it('route sends the callback elsewhere (a load balancer) and records where', async () => {
		emu.knobs.callbacks.route = (url) => url.replace(receiver.base, other.base);
		const id = await run(hook('routed'));
		const delivery = await emu.waitForWebhook(id);
		expect(delivery).toMatchObject({
			url: hook('routed'),
			deliveredTo: `${other.base}/routed-${path}`,
			status: 200,
		});
		expect(other.to(`/routed-${path}`).map((call) => call.taskId)).toEqual([id]);
		expect(receiver.to(`/routed-${path}`)).toEqual([]);
	});

	it('sendCallback sends a done task its callback again, past the knobs', async () => {
		const id = await run(hook('again'));
		await emu.waitForWebhook(id);
		emu.knobs.callbacks.hold = true;
		emu.knobs.callbacks.drop.push({ count: 5 });
		const again = await emu.sendCallback(id, 2);
		expect(again.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(receiver.to(`/again-${path}`)).toHaveLength(3);
		expect(emu.task(id)?.webhookDeliveries).toHaveLength(3);
		emu.failNextTask('IMAGE_DEFECT');
		const failed = Number(
			(await runTask(emu, token, { ...BODY, webhook: hook('again') }, IMAGE)).task_id,
		);
		await expect(emu.sendCallback(failed)).rejects.toThrow(/is failed/);
	});
});

/** Resolves once the task has `count` deliveries that ended. */
async function waitForDeliveries(emu: Emulator, id: number, count: number) {
	await new Promise<void>((resolve) => {
		const check = () => {
			if ((emu.task(id)?.webhookDeliveries.length ?? 0) >= count) {
				off();
				resolve();
			}
		};
		const off = emu.on('webhook', check);
		check();
	});
	return emu.task(id)?.webhookDeliveries ?? [];
}
