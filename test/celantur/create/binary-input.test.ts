// helpers/binary-input.ts through a real workflow: what the node accepts as an image.
import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import { regionDiff } from '../../emulator/images';
import { celanturNode, fixtureNode, useCelanturEnv } from '../../support/celantur-env';
import { streetImage, STREET_OBJECTS, useImageFolder } from '../../support/images';

describe('Celantur create: the image it reads', () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();

	it('takes the file from the field an expression names, such as the Chat Trigger’s data0', async () => {
		const jpeg = streetImage('jpeg', 75);
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Chat', [
					{
						path: folder.write('upload.jpg', jpeg),
						mimeType: 'image/jpeg',
						property: 'data0',
						json: { chatInput: 'anonymize this', file: 'data0' },
					},
				]),
				celanturNode('Anonymize', {
					operation: 'create',
					binaryPropertyName: '={{ $json.file }}',
					objects: ['face'],
					options: { pollInterval: 0.2 },
				}),
			]),
		);
		expect(result.error).toBeUndefined();
		const [item] = result.output('Anonymize');
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['anonymized', 'data0']);
		expect(
			regionDiff(jpeg, await result.binary(item, 'anonymized'), STREET_OBJECTS[0]),
		).toBeGreaterThan(8);
	});

	it('accepts an image whose declared type says nothing (application/octet-stream) and a JPEG with data after its end', async () => {
		const jpeg = streetImage('jpeg', 74);
		const motionPhoto = Buffer.concat([
			jpeg,
			Buffer.from('ftypmp42 trailing video data'.repeat(50)),
		]);
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ path: folder.write('from-s3', jpeg), mimeType: 'application/octet-stream' },
					{ path: folder.write('motion.jpg', motionPhoto), mimeType: 'image/jpeg' },
				]),
				celanturNode('Anonymize', {
					operation: 'create',
					anonymizationMethod: 'blur',
					objects: ['face'],
					options: { pollInterval: 0.2 },
				}),
			]),
		);
		expect(result.error).toBeUndefined();
		const [fromS3, motion] = result.output('Anonymize');
		expect(fromS3.binary?.anonymized.mimeType).toBe('image/jpeg');
		expect(env.emulator.task(fromS3.json.task_id as number)?.upload?.contentType).toBe(
			'image/jpeg',
		);
		expect(motion.json.task_status).toBe('done');
		expect(
			regionDiff(jpeg, await result.binary(fromS3, 'anonymized'), STREET_OBJECTS[0]),
		).toBeGreaterThan(8);
	});
});
