// Celantur calls back for a batch of tasks at once, and a proxy or a replay can repeat a callback.
// n8n loads a workflow's static data per request and saves it whole after answering (last write
// wins), so these run the calls truly at the same time through the harness, which loads and
// saves static data exactly that way.
import { workflow } from '../harness';
import { triggerNode, useCelanturEnv } from '../support/celantur-env';
import { streetImage } from '../support/images';
import { createRawTask, waitForStatus } from '../support/raw-tasks';

const JSON_HEADERS = { 'content-type': 'application/json' };

const callback = (taskId: number) => ({
	method: 'POST',
	headers: JSON_HEADERS,
	body: { customer_id: 'c-1', task_id: taskId, task_status: 'done' },
});

describe('Celantur Trigger: simultaneous callbacks in one n8n process', () => {
	const env = useCelanturEnv();
	const tasks: number[] = [];

	beforeAll(async () => {
		for (let n = 0; n < 7; n++) {
			tasks.push(
				await createRawTask(env.emulator, {
					image: { bytes: streetImage('png', 40 + n), contentType: 'image/png' },
				}),
			);
		}
		for (const id of tasks) await waitForStatus(env.emulator, id, 'done');
	});

	it('five copies of one callback arriving together start exactly one execution', async () => {
		const flow = workflow([triggerNode('Celantur Trigger')]);
		const calls = await Promise.all(
			Array.from({ length: 5 }, () =>
				env.harness.callWebhook(flow, 'Celantur Trigger', callback(tasks[0])),
			),
		);
		expect(calls.filter((call) => call.workflowData !== undefined)).toHaveLength(1);
		expect(calls.map((call) => call.statusCode)).toEqual([200, 200, 200, 200, 200]);
		const duplicates = calls.filter((call) => call.workflowData === undefined);
		for (const call of duplicates)
			expect(call.responseBody).toEqual({ received: true, duplicate: true, task_id: tasks[0] });
	});

	it('six tasks called back together start six executions, and replaying all six starts none', async () => {
		const flow = workflow([triggerNode('Celantur Trigger')]);
		const batch = tasks.slice(1, 7);
		const first = await Promise.all(
			batch.map((id) => env.harness.callWebhook(flow, 'Celantur Trigger', callback(id))),
		);
		const emitted = first
			.flatMap((call) => call.workflowData?.[0] ?? [])
			.map((item) => item.json.task_id);
		expect(emitted.sort()).toEqual([...batch].sort());
		for (const call of first)
			expect(call.responseBody).toEqual({ received: true, task_id: expect.any(Number) });

		// Whatever order n8n saved the six answers in, the saved record holds all six, so a
		// restarted n8n (or another process reading the database) still knows them.
		const again = await env.harness.callWebhook(flow, 'Celantur Trigger', callback(batch[0]));
		expect(again.workflowData).toBeUndefined();
		const record = (again.staticData['node:Celantur Trigger'] as { emittedTaskIds: string[] })
			.emittedTaskIds;
		expect([...record].sort()).toEqual(batch.map(String).sort());

		const replay = await Promise.all(
			batch.map((id) => env.harness.callWebhook(flow, 'Celantur Trigger', callback(id))),
		);
		expect(replay.filter((call) => call.workflowData !== undefined)).toHaveLength(0);
	});
});
