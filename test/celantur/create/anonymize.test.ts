import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import { decodeImage, regionDiff } from '../../emulator/images';
import {
	celanturNode,
	fixtureNode,
	requestsSince,
	startCelanturEnv,
	useCelanturEnv,
} from '../../support/celantur-env';
import {
	streetImage,
	STREET_OBJECTS,
	UNTOUCHED_REGION,
	useImageFolder,
} from '../../support/images';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

describe('Celantur create: a folder of images through a real workflow', () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();

	const anonymize = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
		celanturNode('Anonymize', {
			operation: 'create',
			binaryPropertyName: 'data',
			anonymizationMethod: 'blur',
			objects: ['face', 'licensePlate'],
			waitForCompletion: true,
			downloadResult: true,
			options: { pollInterval: 0.2, ...options },
			...extra,
		});

	it('anonymizes a JPEG and a PNG: same type, changed inside the detected regions, unchanged outside', async () => {
		const jpeg = streetImage('jpeg', 3);
		const png = streetImage('png', 4);
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('street.jpg', jpeg), mimeType: 'image/jpeg' },
					{ path: folder.write('square.png', png), mimeType: 'image/png' },
				]),
				anonymize({ includeMetadata: true }),
			]),
		);
		expect(result.error).toBeUndefined();
		const items = result.output('Anonymize');
		expect(items).toHaveLength(2);

		for (const [index, [input, mime, name]] of (
			[
				[jpeg, 'image/jpeg', 'street-anonymized.jpg'],
				[png, 'image/png', 'square-anonymized.png'],
			] as const
		).entries()) {
			const item = items[index];
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.task_status).toBe('done');
			expect(typeof item.json.task_id).toBe('number');
			expect(item.json.upload_url).toBeUndefined();
			expect(item.binary?.anonymized.mimeType).toBe(mime);
			expect(item.binary?.anonymized.fileName).toBe(name);
			// The input's binary is kept beside the result.
			expect(item.binary?.data).toBeDefined();
			const output = await result.binary(item, 'anonymized');
			expect(decodeImage(output).format).toBe(mime === 'image/png' ? 'png' : 'jpeg');
			for (const object of STREET_OBJECTS)
				expect(regionDiff(input, output, object)).toBeGreaterThan(8);
			expect(regionDiff(input, output, UNTOUCHED_REGION)).toBeLessThan(
				mime === 'image/png' ? 0.001 : 3,
			);
			const labels = (item.json.detections as Array<{ type_label: string }>)
				.map((d) => d.type_label)
				.sort();
			expect(labels).toEqual(['face', 'license_plate']);
		}
	});

	it('returns right after the upload when not waiting, without the presigned upload URL', async () => {
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('a.png', streetImage('png')), mimeType: 'image/png' },
				]),
				anonymize({}, { waitForCompletion: false }),
			]),
		);
		const [item] = result.output('Anonymize');
		expect(item.json.task_id).toEqual(expect.any(Number));
		expect(item.json.upload_url).toBeUndefined();
		expect(item.binary?.anonymized).toBeUndefined();
		const used = requestsSince(env.emulator, before);
		expect(used.createTask).toBe(1);
		expect(used.upload).toBe(1);
		expect(used.getStatus ?? 0).toBe(0);
	});

	it('refuses an item without binary, a GIF and a text file before any request; with Continue On Fail the images still come out, in order and paired', async () => {
		const files = [
			{ path: folder.write('one.jpg', streetImage('jpeg', 5)), mimeType: 'image/jpeg' },
			{ json: { note: 'no file' } },
			{ base64: GIF.toString('base64'), mimeType: 'image/gif', fileName: 'anim.gif' },
			{ text: 'hello', mimeType: 'text/plain', fileName: 'notes.txt' },
			{ path: folder.write('two.png', streetImage('png', 6)), mimeType: 'image/png' },
		];
		const strictBefore = env.emulator.counters();
		const strict = await env.harness.run(
			workflow([node('Start', MANUAL_START_TYPE), fixtureNode('Read', files), anonymize()]),
		);
		expect(strict.error?.message).toBe('Item 2: the item has no file at all');
		// Without Continue On Fail nothing at all was sent: bad input stops the node before any request.
		expect(requestsSince(env.emulator, strictBefore)).toEqual({});

		const before = env.emulator.counters();
		const tolerant = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', files),
				{ ...anonymize(), onError: 'continueRegularOutput' },
			]),
		);
		const items = tolerant.output('Anonymize');
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items[0].json.task_status).toBe('done');
		expect(items[4].json.task_status).toBe('done');
		expect(items[1].json.error).toBe('Item 2: the item has no file at all');
		expect(items[2].json.error).toBe(
			'Item 3 (anim.gif): the file is image/gif, but Celantur only anonymizes JPEG and PNG images',
		);
		expect(items[3].json.error).toBe(
			'Item 4 (notes.txt): the file is text/plain, but Celantur only anonymizes JPEG and PNG images',
		);
		// Only the two images reached Celantur.
		const used = requestsSince(env.emulator, before);
		expect(used.createTask).toBe(2);
		expect(used.upload).toBe(2);
	});

	it('refuses bytes that are not what their MIME type says, and a truncated image', async () => {
		const jpeg = streetImage('jpeg', 7);
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ text: 'not really a jpeg', mimeType: 'image/jpeg', fileName: 'fake.jpg' },
					{
						base64: jpeg.subarray(0, jpeg.length - 200).toString('base64'),
						mimeType: 'image/jpeg',
						fileName: 'cut.jpg',
					},
					{ base64: '', mimeType: 'image/png', fileName: 'empty.png' },
				]),
				{ ...anonymize(), onError: 'continueRegularOutput' },
			]),
		);
		const errors = result.output('Anonymize').map((item) => String(item.json.error));
		expect(errors[0]).toBe(
			"Item 1 (fake.jpg): the file's content is not a JPEG or PNG image although it is marked image/jpeg",
		);
		expect(errors[1]).toMatch(
			/^Item 2 \(cut\.jpg\): the JPEG is cut short \(truncated after \d+ bytes\)$/,
		);
		expect(errors[2]).toBe('Item 3 (empty.png): the file is empty (0 bytes)');
		expect(errors.join(' ')).not.toMatch(/by name|Input Binary Field "/);
		expect(requestsSince(env.emulator, before)).toEqual({});
	});

	it('a failed task is an error naming the task id and failure cause; under Continue On Fail an item with error, task_id, failure_cause', async () => {
		env.emulator.failNextTask('IMAGE_DEFECT');
		const build = (continueOnFail: boolean) =>
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('f.jpg', streetImage('jpeg', 8)), mimeType: 'image/jpeg' },
				]),
				continueOnFail
					? { ...anonymize(), onError: 'continueRegularOutput' as const }
					: anonymize(),
			]);
		const failed = await env.harness.run(build(false));
		expect(failed.error?.message).toMatch(/^Celantur task \d+ for f\.jpg failed: IMAGE_DEFECT \(/);

		env.emulator.failNextTask('INTERNAL_ERROR');
		const [item] = (await env.harness.run(build(true))).output('Anonymize');
		expect(item.json).toEqual(
			expect.objectContaining({
				task_id: expect.any(Number),
				file_name: 'f.jpg',
				failure_cause: 'INTERNAL_ERROR',
				error: expect.stringMatching(/for f\.jpg failed: INTERNAL_ERROR/),
			}),
		);
		expect(env.emulator.task(item.json.task_id as number)?.status).toBe('failed');
	});

	it('a timeout is an error naming the task id, so the task can be picked up later', async () => {
		// On a manual clock that nobody moves, the task never leaves 'queued': the 1 s timeout always comes first.
		const held = await startCelanturEnv({ emulator: { clock: 'manual' } });
		try {
			const result = await held.harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					fixtureNode('Read', [
						{ path: folder.write('slow.jpg', streetImage('jpeg', 9)), mimeType: 'image/jpeg' },
					]),
					{ ...anonymize({ timeout: 1 }), onError: 'continueRegularOutput' },
				]),
			);
			const [item] = result.output('Anonymize');
			expect(item.json.error).toMatch(/Celantur task \d+ did not finish within 1 s .*"Get Status"/);
			expect(item.json.task_id).toEqual(expect.any(Number));
			expect(held.emulator.task(item.json.task_id as number)?.status).toBe('queued');
		} finally {
			await held.close();
		}
	});
});
