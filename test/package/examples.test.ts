import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { CelanturApi } from '../../credentials/CelanturApi.credentials';
import { Celantur } from '../../nodes/Celantur/Celantur.node';
import { DEFAULT_USER, startEmulator, type Emulator } from '../emulator';
import { createHarness, type Harness } from '../harness';
import { exampleNodeTypes, FOLDER_EXAMPLE, loadExample } from '../support/examples';
import { imageFolder, streetImage, type ImageFolder } from '../support/images';

/** The example names its credential by this id; the harness provides it, pointed at the emulator. */
const CREDENTIAL_ID = (
	JSON.parse(readFileSync(FOLDER_EXAMPLE, 'utf8')) as {
		nodes: Array<{ credentials?: { celanturApi?: { id: string } } }>;
	}
).nodes.find((node) => node.credentials?.celanturApi)!.credentials!.celanturApi!.id;

describe('examples/folder-to-folder.json with bad files in the folder', () => {
	let emulator: Emulator;
	let harness: Harness;
	let folder: ImageFolder;

	beforeAll(async () => {
		emulator = await startEmulator();
		harness = await createHarness({
			nodeTypes: { ...exampleNodeTypes(), 'n8n-nodes-celantur.celantur': new Celantur() },
			credentialTypes: { celanturApi: new CelanturApi() },
			credentials: [
				{
					id: CREDENTIAL_ID,
					name: 'Celantur account',
					type: 'celanturApi',
					data: {
						email: DEFAULT_USER.username,
						password: DEFAULT_USER.password,
						baseUrl: emulator.baseUrl,
					},
				},
			],
		});
		folder = imageFolder('celantur-example-');
	});

	afterAll(async () => {
		await harness?.close();
		await emulator?.close();
		folder?.remove();
	});

	it('stays green, writes the good images, and lists the failures with file name, task id and reason on their own branch', async () => {
		const input = path.join(folder.dir, 'in');
		const output = path.join(folder.dir, 'out');
		mkdirSync(input);
		writeFileSync(path.join(input, 'a-street.jpg'), streetImage('jpeg', 91));
		writeFileSync(path.join(input, 'b-square.png'), streetImage('png', 92));
		writeFileSync(path.join(input, 'c-notes.jpg'), 'not an image at all');
		// The first task Celantur makes fails there: a-street.jpg, read first.
		emulator.failNextTask('IMAGE_DEFECT');

		const result = await harness.run(loadExample(FOLDER_EXAMPLE, input, output));

		expect(result.error).toBeUndefined();
		expect(result.output('Anonymized?', 0).map((item) => item.json.output_file_name)).toEqual([
			'b-square-anonymized.png',
		]);
		expect(existsSync(path.join(output, 'b-square-anonymized.png'))).toBe(true);
		expect(existsSync(path.join(output, 'a-street-anonymized.jpg'))).toBe(false);

		const failed = result.output('Anonymized?', 1).map((item) => item.json);
		const listed = JSON.parse(
			readFileSync(path.join(output, 'failed-images.json'), 'utf8'),
		) as unknown[];
		expect(listed).toEqual(failed);
		expect(listed).toEqual([
			{
				error: expect.stringMatching(
					/^Celantur task \d+ for a-street\.jpg failed: IMAGE_DEFECT \(/,
				),
				task_id: expect.any(Number),
				file_name: 'a-street.jpg',
				failure_cause: 'IMAGE_DEFECT',
			},
			{
				error:
					"Item 3 (c-notes.jpg): the file's content is not a JPEG or PNG image although it is marked image/jpeg",
				file_name: 'c-notes.jpg',
			},
		]);
		expect(emulator.task(failed[0].task_id as number)?.status).toBe('failed');
	});
});
