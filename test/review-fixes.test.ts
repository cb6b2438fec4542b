// Behaviours found missing in review, each proven through a real workflow against the emulator.
import { MANUAL_START_TYPE, node, workflow } from './harness';
import { regionDiff } from './emulator/images';
import { celanturNode, fixtureNode, requestsSince, useCelanturEnv } from './support/celantur-env';
import { streetImage, STREET_OBJECTS, useImageFolder } from './support/images';
import { createRawTask, waitForStatus } from './support/raw-tasks';

describe('review fixes', () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();

	const ids = (values: Array<number | string>) => fixtureNode('Ids', values.map((id) => ({ json: { id } })));

	it('getStatus waits for a task id that appears in several items, and answers each', async () => {
		const id = await createRawTask(env.emulator, { image: { bytes: streetImage('jpeg', 71), contentType: 'image/jpeg' } });
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				ids([id, id, id]),
				celanturNode('Status', { operation: 'getStatus', taskId: '={{ $json.id }}', waitForCompletion: true, options: { pollInterval: 0.2, timeout: 10 } }),
			]),
			{ timeoutMs: 15_000 },
		);
		expect(result.output('Status').map((item) => [item.json.task_id, item.json.task_status])).toEqual([
			[id, 'done'],
			[id, 'done'],
			[id, 'done'],
		]);
	});

	it('deleting files twice is done, not an error', async () => {
		const id = await createRawTask(env.emulator, { image: { bytes: streetImage('jpeg', 72), contentType: 'image/jpeg' } });
		await waitForStatus(env.emulator, id, 'done');
		const run = async () =>
			(await env.harness.run(workflow([node('Start', MANUAL_START_TYPE), ids([id]), celanturNode('Delete', { operation: 'deleteFiles', taskId: '={{ $json.id }}' })]))).output('Delete')[0].json;
		expect(await run()).toEqual({ task_id: id, files_deleted: true, already_deleted: false });
		expect(await run()).toEqual({ task_id: id, files_deleted: true, already_deleted: true });
	});

	it('without Continue On Fail, the first failure keeps later items from starting', async () => {
		const good = await createRawTask(env.emulator, { image: { bytes: streetImage('jpeg', 73), contentType: 'image/jpeg' } });
		await waitForStatus(env.emulator, good, 'done');
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				ids([1690000000000123, good, good, good]),
				celanturNode('Download', { operation: 'download', taskId: '={{ $json.id }}', options: { concurrency: 1 } }),
			]),
		);
		expect(result.error?.message).toContain('Task ID not found');
		expect(requestsSince(env.emulator, before)).toEqual({ getTask: 1 });
	});

	it('accepts an image whose declared type says nothing (application/octet-stream) and a JPEG with data after its end', async () => {
		const jpeg = streetImage('jpeg', 74);
		const motionPhoto = Buffer.concat([jpeg, Buffer.from('ftypmp42 trailing video data'.repeat(50))]);
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('from-s3', jpeg), mimeType: 'application/octet-stream' },
					{ path: folder.write('motion.jpg', motionPhoto), mimeType: 'image/jpeg' },
				]),
				celanturNode('Anonymize', { operation: 'create', anonymizationMethod: 'blur', objects: ['face'], options: { pollInterval: 0.2 } }),
			]),
		);
		expect(result.error).toBeUndefined();
		const [fromS3, motion] = result.output('Anonymize');
		expect(fromS3.binary?.anonymized.mimeType).toBe('image/jpeg');
		expect(env.emulator.task(fromS3.json.task_id as number)?.upload?.contentType).toBe('image/jpeg');
		expect(motion.json.task_status).toBe('done');
		expect(regionDiff(jpeg, await result.binary(fromS3, 'anonymized'), STREET_OBJECTS[0])).toBeGreaterThan(8);
	});

	it('a date picked in the editor is the day sent, whatever the server’s time zone', async () => {
		const zone = process.env.TZ;
		process.env.TZ = 'Europe/Berlin';
		try {
			env.emulator.resetLog();
			await env.harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					celanturNode('List', { operation: 'getMany', returnAll: true, filters: { createdAfter: '2024-05-31T00:00:00', createdBefore: '2024-06-02T00:00:00' } }),
				]),
			);
			const query = new URLSearchParams(env.emulator.log.find((entry) => entry.endpoint === 'listTasks')!.query);
			expect([query.get('create_time_after'), query.get('create_time_before')]).toEqual(['2024-05-31', '2024-06-02']);
		} finally {
			process.env.TZ = zone;
		}
	});

	it('the trigger reads a JSON callback sent without a Content-Type', async () => {
		const id = await createRawTask(env.emulator, { image: { bytes: streetImage('png', 75), contentType: 'image/png' } });
		await waitForStatus(env.emulator, id, 'done');
		const { triggerNode } = await import('./support/celantur-env');
		const body = JSON.stringify({ task_id: id, task_status: 'done' });
		const result = await env.harness.callWebhook(workflow([triggerNode('Trigger')]), 'Trigger', { method: 'POST', headers: {}, rawBody: Buffer.from(body) });
		expect(result.workflowData?.[0][0].json.task_id).toBe(id);
	});
});
