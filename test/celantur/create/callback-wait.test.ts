// Create's callback wait mode through n8n-core: the execution parks with only task ids, and a
// Celantur callback delivered as n8n's waiting-webhook route delivers it resumes it, once, with
// every result. The real route, n8n's deadline and restarts are the e2e's `callback` steps.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, IRunExecutionData } from 'n8n-workflow';

import { MANUAL_START_TYPE, node, workflow, type WorkflowInput } from '../../harness';
import { regionDiff } from '../../emulator/images';
import {
	celanturNode,
	fixtureNode,
	requestsSince,
	useCelanturEnv,
} from '../../support/celantur-env';
import { streetImage, STREET_OBJECTS, useImageFolder } from '../../support/images';

describe('Create, Wait Mode Callback: parked with task ids only, resumed once by a confirmed callback', () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();

	/** Runs the batch until it parks; what the waiting execution holds, and where Celantur will call. */
	const park = async (count: number, options: IDataObject = {}) => {
		const images = Array.from({ length: count }, (_, n) => streetImage('jpeg', 80 + n));
		const flow: WorkflowInput = workflow([
			node('Start', MANUAL_START_TYPE),
			fixtureNode(
				'Read',
				images.map((bytes, n) => ({
					path: folder.write(`street-${n}.jpg`, bytes),
					mimeType: 'image/jpeg',
				})),
			),
			celanturNode('Anonymize', {
				operation: 'create',
				objects: ['face', 'licensePlate'],
				options: { waitMode: 'callback', timeout: 120, ...options },
			}),
		]);
		// Tasks stay queued past the upload, as at a busy Celantur: the batch has not ended when it parks.
		const { latency } = env.emulator.knobs;
		const queued = latency.queuedMs;
		latency.queuedMs = 1500;
		const result = await env.harness.run(flow).finally(() => (latency.queuedMs = queued));
		expect(result.error).toBeUndefined();
		const data: IRunExecutionData = result.run.data;
		const stack = data.executionData!.nodeExecutionStack[0];
		const held = stack.data.main[0]!;
		const ids = held.map((item) => item.json.task_id as number);
		const webhook = new URL(env.emulator.task(ids[0])!.settings.webhook!);
		return { flow, result, data, held, ids, images, webhook };
	};

	/** A callback as Celantur sends one, to the waiting execution. */
	const callBack = async (
		parked: Awaited<ReturnType<typeof park>>,
		taskId: number,
		query: Record<string, string> = Object.fromEntries(parked.webhook.searchParams),
	) =>
		await env.harness.callWebhook(parked.flow, 'Anonymize', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: { customer_id: 'c-1', task_id: taskId, task_status: 'done' },
			query,
			waiting: { executionId: parked.webhook.pathname.split('/').pop()!, data: parked.data },
		});

	it('parks the execution waiting, every task calling back to its resume URL, the items holding no image', async () => {
		const parked = await park(3);
		expect(parked.result.status).toBe('waiting');
		expect(parked.result.run.data.waitTill).toBeInstanceOf(Date);
		expect(parked.webhook.pathname).toMatch(/^\/webhook-waiting\/[^/]+$/);
		const nonce = parked.webhook.searchParams.get('celantur_batch');
		expect(nonce).toMatch(/^[0-9a-f]{32}$/);
		for (const id of parked.ids)
			expect(env.emulator.task(id)!.settings.webhook).toBe(parked.webhook.toString());
		expect(parked.held).toEqual(
			parked.ids.map((task_id, item) => ({
				json: expect.objectContaining({
					task_id,
					file_name: `street-${item}.jpg`,
					task_status: 'waiting',
				}),
				pairedItem: { item },
			})),
		);
		for (const item of parked.held) expect(item.binary).toBeUndefined();
		expect(parked.result.output('Anonymize').every((item) => item.binary === undefined)).toBe(true);
	});

	it('a confirmed callback resumes once with every result in input order; later callbacks resume nothing', async () => {
		const parked = await park(3);
		for (const id of parked.ids) await env.emulator.waitForTask(id, 'done');
		const before = env.emulator.counters();
		const first = await callBack(parked, parked.ids[1]);
		expect(first.statusCode).toBe(200);
		// Answered before the list and the downloads: Celantur gives up on a slow receiver.
		expect(first.responseBody).toEqual({ received: true });
		expect(first.answeredInMs).toBeLessThan(first.returnedInMs!);
		const items = first.workflowData![0];
		expect(items.map((item) => item.json.task_id)).toEqual(parked.ids);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [n, item] of items.entries()) {
			expect(item.json.task_status).toBe('done');
			// The short form, as in Poll mode: the settings come from the task as it was created.
			expect(item.json.anonymization_method).toBe('blur');
			expect(item.json.objects).toEqual(['face', 'license_plate']);
			expect(item.binary?.anonymized.fileName).toBe(`street-${n}-anonymized.jpg`);
		}
		const bytes = await env.harness.readBinary(items[0], 'anonymized');
		expect(regionDiff(parked.images[0], bytes, STREET_OBJECTS[0])).toBeGreaterThan(8);
		// One list request confirms the batch; results are downloaded once each.
		expect(requestsSince(env.emulator, before)).toEqual(
			expect.objectContaining({ listTasks: 1, downloadAnonymized: 3 }),
		);

		const again = await callBack(parked, parked.ids[2]);
		expect(again.workflowData).toBeUndefined();
		expect(again.responseBody).toEqual({ received: true });
		expect(requestsSince(env.emulator, before)).toEqual(
			expect.objectContaining({ listTasks: 1, downloadAnonymized: 3 }),
		);
	});

	it('a failed task, which never calls back, comes out as an error item when the last one calls', async () => {
		env.emulator.failNextTask('IMAGE_DEFECT');
		const parked = await park(2, {});
		await env.emulator.waitForTask(parked.ids[0], 'failed');
		await env.emulator.waitForTask(parked.ids[1], 'done');
		const call = await callBack(parked, parked.ids[1]);
		const [failed, done] = call.workflowData![0];
		expect(failed.json).toEqual({
			error: expect.stringMatching(/^Celantur task \d+ for street-0\.jpg failed: IMAGE_DEFECT/),
			task_id: parked.ids[0],
			file_name: 'street-0.jpg',
			failure_cause: 'IMAGE_DEFECT',
		});
		expect(failed.binary).toBeUndefined();
		expect(done.json.task_status).toBe('done');
	});

	it('a batch that ended before it could park is finished at once, as in Poll mode', async () => {
		// No queue and no pixel work: the task is done by the time the node looks.
		const { knobs } = env.emulator;
		const saved = { ...knobs.latency, pixelWork: knobs.pixelWork };
		Object.assign(knobs.latency, { queuedMs: 0, processingMs: 0 });
		knobs.pixelWork = 'copy';
		const before = env.emulator.counters();
		const result = await env.harness
			.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					fixtureNode('Read', [
						{ path: folder.write('quick.jpg', streetImage('jpeg', 90)), mimeType: 'image/jpeg' },
					]),
					celanturNode('Anonymize', {
						operation: 'create',
						objects: ['face'],
						options: { waitMode: 'callback', pollInterval: 0.2 },
					}),
				]),
			)
			.finally(() => {
				const { pixelWork, ...latency } = saved;
				Object.assign(knobs.latency, latency);
				knobs.pixelWork = pixelWork;
			});
		expect(result.status).toBe('success');
		const [item] = result.output('Anonymize');
		expect(item.json.task_status).toBe('done');
		expect(item.binary?.anonymized.fileName).toBe('quick-anonymized.jpg');
		expect(requestsSince(env.emulator, before)).toEqual(expect.objectContaining({ listTasks: 1 }));
	});

	it('parks all the same when the check before parking fails: the uploaded tasks are not lost', async () => {
		env.emulator.knobs.faults.serverError.push({ endpoint: 'listTasks', count: 6, status: 500 });
		const parked = await park(2);
		expect(parked.result.status).toBe('waiting');
		expect(parked.held.map((item) => item.json.task_status)).toEqual(['waiting', 'waiting']);
	});

	it('refuses a callback without the batch secret, without asking Celantur', async () => {
		const parked = await park(1);
		const before = env.emulator.counters();
		const call = await callBack(parked, parked.ids[0], { celantur_batch: 'guessed' });
		expect(call.statusCode).toBe(403);
		expect(call.workflowData).toBeUndefined();
		expect(requestsSince(env.emulator, before)).toEqual({});
	});

	it('a task list answering 500 is asked again: the callback, answered at once, resumes the batch when it answers', async () => {
		const parked = await park(1);
		await env.emulator.waitForTask(parked.ids[0], 'done');
		const seen = env.emulator.log.length;
		env.emulator.knobs.faults.serverError.push({ endpoint: 'listTasks', count: 6, status: 500 });
		const call = await callBack(parked, parked.ids[0]);
		expect(call.statusCode).toBe(200);
		expect(call.workflowData![0][0].json.task_status).toBe('done');
		const list = env.emulator.log.slice(seen).filter((entry) => entry.endpoint === 'listTasks');
		expect(list.map((entry) => entry.status)).toEqual([...Array<number>(6).fill(500), 200]);
	});

	it('a batch still working when its only callback came is followed until it ends, a task failing after it', async () => {
		env.emulator.failNextTask('IMAGE_DEFECT');
		const parked = await park(2);
		// Celantur's own callbacks go nowhere here: nothing but the follow-up asks can see the batch end.
		const call = await callBack(parked, parked.ids[1]);
		const [failed, done] = call.workflowData![0];
		expect(failed.json).toMatchObject({ task_id: parked.ids[0], failure_cause: 'IMAGE_DEFECT' });
		expect(done.json.task_status).toBe('done');
		expect(call.answeredInMs).toBeLessThan(1000);
		expect(call.returnedInMs).toBeGreaterThan(1000);
	});

	it('resumes in the process that received the callback of the last done task, not in another', async () => {
		// Celantur's callbacks are delivered elsewhere, as to a second webhook process that is
		// slow to answer: the deciding callback is still on its way (`set`) when the batch ends.
		const other = await receiver(1500);
		env.emulator.knobs.callbacks.route = () => other.url;
		try {
			const parked = await park(2);
			for (const id of parked.ids) await env.emulator.waitForTask(id, 'done');
			const [lower, deciding] = [...parked.ids].sort((a, b) => a - b);
			const before = env.emulator.counters();
			const first = await callBack(parked, lower);
			expect(first.workflowData).toBeUndefined();
			// Asked once, after the deciding callback had time to arrive: not `set`, then `sent`.
			expect(requestsSince(env.emulator, before)).toEqual({ listTasks: 1, getStatus: 1 });
			expect(env.emulator.task(deciding)!.webhookStatus).toBe('sent');
			const last = await callBack(parked, deciding);
			expect(last.workflowData![0].map((item) => item.json.task_status)).toEqual(['done', 'done']);
		} finally {
			env.emulator.knobs.callbacks.route = undefined;
			await other.close();
		}
	});
});

/** An HTTP receiver that answers every POST 200 after `delayMs`, as another n8n process would. */
async function receiver(delayMs: number): Promise<{ url: string; close: () => Promise<void> }> {
	const server = createServer((request, response) => {
		request.resume();
		request.on('end', () => setTimeout(() => response.writeHead(200).end('{}'), delayMs));
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/`,
		close: async () => await new Promise<void>((closed) => server.close(() => closed())),
	};
}
