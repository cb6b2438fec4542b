import type { INodeParameters } from 'n8n-workflow';

import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import {
	celanturNode,
	fixtureNode,
	requestsSince,
	useCelanturEnv,
} from '../../support/celantur-env';
import { streetImage, useImageFolder } from '../../support/images';
import { createRawTask, waitForStatus } from '../../support/raw-tasks';

/** Anything that looks like a link: presigned ones carry a signature and a security token. */
const LINK = /https?:\/\/|X-Amz-/;

describe('Simplify: a short, stable output for create, get, getStatus and download, at no extra request', () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();

	const anonymize = async (parameters: INodeParameters) => {
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('street.jpg', streetImage('jpeg', 61)), mimeType: 'image/jpeg' },
				]),
				celanturNode('Anonymize', {
					operation: 'create',
					anonymizationMethod: 'pixelate',
					objects: ['face', 'licensePlate'],
					options: { pollInterval: 0.2, includeMetadata: true },
					...parameters,
				}),
			]),
		);
		expect(result.error).toBeUndefined();
		return { item: result.output('Anonymize')[0], requests: requestsSince(env.emulator, before) };
	};

	it('create is simplified by default: the fields a person reads, the output file name, detections, no link', async () => {
		const { item } = await anonymize({});
		expect(Object.keys(item.json)).toEqual([
			'task_id',
			'task_status',
			'failure_cause',
			'anonymization_method',
			'objects',
			'create_time',
			'output_file_name',
			'detections',
		]);
		expect(item.json).toEqual(
			expect.objectContaining({
				task_id: expect.any(Number),
				task_status: 'done',
				failure_cause: null,
				anonymization_method: 'pixelate',
				objects: ['face', 'license_plate'],
				create_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				output_file_name: 'street-anonymized.jpg',
			}),
		);
		expect((item.json.detections as unknown[]).length).toBeGreaterThan(0);
		expect(JSON.stringify(item.json)).not.toMatch(LINK);
		expect(item.binary?.anonymized.fileName).toBe('street-anonymized.jpg');
	});

	it('Simplify off gives the task as the API returns it, links included, for the same requests', async () => {
		const simple = await anonymize({ simplify: true });
		const raw = await anonymize({ simplify: false });
		expect(raw.item.json).toEqual(
			expect.objectContaining({
				customer_id: expect.any(String),
				kernel_size_face: expect.any(Number),
				anonymized_url: expect.stringMatching(LINK),
			}),
		);
		expect(raw.item.json.task_status).toBe('done');
		// Polling rounds depend on timing; every other request must be the same, and no GET /task is added.
		const { getStatus: _a, ...simpleRest } = simple.requests;
		const { getStatus: _b, ...rawRest } = raw.requests;
		expect(simpleRest).toEqual(rawRest);
		expect(simple.requests.getTask).toBeUndefined();
	});

	it('get, getStatus and download are simplified too; getStatus says null for what a status reply does not tell', async () => {
		const id = await createRawTask(env.emulator, {
			image: { bytes: streetImage('png', 62), contentType: 'image/png' },
			body: { face: true, 'license-plate': false },
		});
		await waitForStatus(env.emulator, id, 'done');
		const run = async (parameters: INodeParameters) => {
			const before = env.emulator.counters();
			const result = await env.harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					fixtureNode('Ids', [{ json: { id } }]),
					celanturNode('Task', { taskId: '={{ $json.id }}', ...parameters }),
				]),
			);
			expect(result.error).toBeUndefined();
			return { json: result.output('Task')[0].json, requests: requestsSince(env.emulator, before) };
		};
		const got = await run({ operation: 'get' });
		expect(got.json).toEqual({
			task_id: id,
			task_status: 'done',
			failure_cause: null,
			anonymization_method: 'blur',
			objects: ['face'],
			create_time: expect.any(String),
		});
		expect(got.requests).toEqual({ getTask: 1 });

		const status = await run({ operation: 'getStatus' });
		expect(status.json).toEqual({
			task_id: id,
			task_status: 'done',
			failure_cause: null,
			anonymization_method: null,
			objects: null,
			create_time: null,
		});
		expect(status.requests).toEqual({ getStatus: 1 });
		const rawStatus = await run({ operation: 'getStatus', simplify: false });
		expect(rawStatus.json.anonymized_url).toMatch(LINK);

		const downloaded = await run({ operation: 'download' });
		expect(downloaded.json).toEqual({
			task_id: id,
			task_status: 'done',
			failure_cause: null,
			anonymization_method: 'blur',
			objects: ['face'],
			create_time: expect.any(String),
			output_file_name: `celantur-${id}-anonymized.png`,
		});
		expect(JSON.stringify(downloaded.json)).not.toMatch(LINK);
		expect(downloaded.requests).toEqual({ getTask: 1, downloadAnonymized: 1 });
		const rawDownload = await run({ operation: 'download', simplify: false });
		expect(rawDownload.json.anonymized_url).toMatch(LINK);
		expect(rawDownload.json.kernel_size_face).toEqual(expect.any(Number));
	});

	it('a failed task under Continue On Fail still names the file, task and cause', async () => {
		env.emulator.failNextTask('IMAGE_DEFECT');
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('broken.jpg', streetImage('jpeg', 63)), mimeType: 'image/jpeg' },
				]),
				{
					...celanturNode('Anonymize', {
						operation: 'create',
						anonymizationMethod: 'blur',
						objects: ['face'],
						options: { pollInterval: 0.2 },
					}),
					onError: 'continueRegularOutput',
				},
			]),
		);
		const [item] = result.output('Anonymize');
		expect(item.json).toEqual({
			error: expect.stringMatching(
				/^Celantur task \d+ for broken\.jpg failed: IMAGE_DEFECT \(Celantur could not read the image/,
			),
			task_id: expect.any(Number),
			file_name: 'broken.jpg',
			failure_cause: 'IMAGE_DEFECT',
		});
	});
});

describe('On Error: Continue (using error output)', () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();

	it('sends every failed item, failed tasks included, down the error output, with the task and file in the message', async () => {
		env.emulator.failNextTask('IMAGE_DEFECT');
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('broken.jpg', streetImage('jpeg', 64)), mimeType: 'image/jpeg' },
					{ text: 'not an image', mimeType: 'image/jpeg', fileName: 'notes.jpg' },
					{ path: folder.write('fine.png', streetImage('png', 65)), mimeType: 'image/png' },
				]),
				{
					...celanturNode('Anonymize', {
						operation: 'create',
						anonymizationMethod: 'blur',
						objects: ['face'],
						options: { pollInterval: 0.2 },
					}),
					onError: 'continueErrorOutput',
				},
			]),
		);
		expect(result.error).toBeUndefined();
		expect(result.output('Anonymize', 0).map((item) => item.json.output_file_name)).toEqual([
			'fine-anonymized.png',
		]);
		const failed = result.output('Anonymize', 1).map((item) => String(item.json.error));
		expect(failed).toHaveLength(2);
		expect(failed[0]).toMatch(/^Celantur task \d+ for broken\.jpg failed: IMAGE_DEFECT/);
		expect(failed[1]).toBe(
			"Item 2 (notes.jpg): the file's content is not a JPEG or PNG image although it is marked image/jpeg",
		);
	});
});
