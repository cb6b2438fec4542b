import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { regionDiff } from '../../emulator/images';
import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import {
	celanturToolNode,
	fixtureNode,
	requestsSince,
	useCelanturEnv,
} from '../../support/celantur-env';
import { startImageServer, type ImageServer } from '../../support/image-server';
import { streetImage, STREET_OBJECTS } from '../../support/images';
import { Celantur } from '../../../nodes/Celantur/Celantur.node';

/** What a model reads of a tool's answer: n8n hands it the items' JSON, never their binary. */
describe('Celantur as an AI tool: a link in, JSON with the result link out, failures as items', () => {
	const env = useCelanturEnv();
	let site: ImageServer;
	beforeAll(async () => {
		site = await startImageServer();
	});
	afterAll(async () => await site.close());

	/** One tool call: the agent's arguments as the one input item, as n8n's agent and MCP trigger give them. */
	const call = async (args: IDataObject, parameters: INodeParameters) => {
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Arguments', [{ json: args }]),
				celanturToolNode('Celantur Tool', parameters),
			]),
		);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		return { items: result.output('Celantur Tool'), requests: requestsSince(env.emulator, before) };
	};

	it('create takes image_url from the agent and answers with the short form and the anonymized image’s link', async () => {
		const { items, requests } = await call(
			{ image_url: `${site.origin}/street.jpg` },
			{ operation: 'create', options: { pollInterval: 0.2 } },
		);
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json).toEqual({
			task_id: expect.any(Number),
			task_status: 'done',
			failure_cause: null,
			anonymization_method: 'blur',
			objects: ['face', 'license_plate'],
			create_time: expect.any(String),
			anonymized_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
			anonymized_url_expiration_duration: 14400,
		});
		// The link is the anonymized image, downloadable without any credential.
		const fetched = Buffer.from(
			await (await fetch(items[0].json.anonymized_url as string)).arrayBuffer(),
		);
		expect(regionDiff(streetImage('jpeg', 71), fetched, STREET_OBJECTS[0])).toBeGreaterThan(8);
		expect(requests).toEqual(expect.objectContaining({ createTask: 1, upload: 1 }));
		expect(requests.downloadAnonymized).toBeUndefined();
	});

	it.each([
		['a missing image', '/missing.jpg', 'answered HTTP 404'],
		['a web page', '/page.html', 'text/html'],
		['not a link', 'file:///etc/passwd', 'is not an http:// or https:// link'],
	])(
		'%s comes back as an item with error, and the run succeeds without Continue On Fail',
		async (_what, path, words) => {
			const link = path.startsWith('/') ? `${site.origin}${path}` : path;
			const { items, requests } = await call({ image_url: link }, { operation: 'create' });
			expect(items).toEqual([
				{ json: { error: expect.stringContaining(words) }, pairedItem: { item: 0 } },
			]);
			// One call, one image: no "Item 1:" for the model to puzzle over.
			expect(items[0].json.error).toMatch(/^the image link /);
			expect(requests).toEqual({});
		},
	);

	it('a failed task comes back as an item with error, task_id and failure_cause', async () => {
		env.emulator.failNextTask('IMAGE_DEFECT');
		const { items } = await call(
			{ image_url: `${site.origin}/street.jpg` },
			{ operation: 'create', options: { pollInterval: 0.2 } },
		);
		expect(items[0].json).toEqual({
			error: expect.stringMatching(/^Celantur task \d+ for street\.jpg failed: IMAGE_DEFECT/),
			task_id: expect.any(Number),
			file_name: 'street.jpg',
			failure_cause: 'IMAGE_DEFECT',
		});
	});

	it('get status, get and download take task_id from the agent and answer with the link once done', async () => {
		const made = await call(
			{ image_url: `${site.origin}/street.jpg` },
			{ operation: 'create', options: { pollInterval: 0.2 } },
		);
		const taskId = made.items[0].json.task_id as number;
		for (const operation of ['getStatus', 'get', 'download']) {
			const { items } = await call({ task_id: taskId }, { operation });
			expect(items[0].binary).toBeUndefined();
			expect(items[0].json).toEqual(
				expect.objectContaining({
					task_id: taskId,
					task_status: 'done',
					anonymized_url: expect.stringMatching(/^http:/),
					anonymized_url_expiration_duration: 14400,
				}),
			);
		}
		const missing = await call({ task_id: 1690000000000009 }, { operation: 'download' });
		expect(missing.items[0].json.error).toEqual(expect.any(String));
		expect(missing.items[0].json.task_id).toBeUndefined();
	});

	it('a bad task id from the agent is an item with error naming the field', async () => {
		const { items, requests } = await call({ task_id: 'the last one' }, { operation: 'getStatus' });
		expect(items[0].json.error).toMatch(
			/^Task ID is "the last one", but a Celantur task ID is a positive whole number/,
		);
		expect(requests).toEqual({});
	});

	it('describes each operation to the agent in plain text, and takes its arguments with $fromAI', () => {
		const properties = new Celantur().description.properties;
		const described = properties.filter((property) => property.name === 'toolDescription');
		const operations = described.flatMap(
			(property) => property.displayOptions?.show?.operation as string[],
		);
		expect(operations.sort()).toEqual(
			[
				'create',
				'deleteFiles',
				'download',
				'get',
				'getMany',
				'getMetadata',
				'getStatus',
				'start',
			].sort(),
		);
		for (const property of described) {
			expect(String(property.default)).not.toMatch(/[{}$]/);
			expect(String(property.default)).toMatch(/returns JSON/i);
		}
		const toolDefaults = properties
			.filter(
				(property) =>
					(property.displayOptions?.show?.['@tool'] as boolean[] | undefined)?.[0] === true,
			)
			.map((property) => `${property.name}=${String(property.default)}`);
		expect(toolDefaults).toEqual(
			expect.arrayContaining([
				'imageSource=url',
				expect.stringMatching(/^imageUrl==\{\{ \$fromAI\('image_url', /) as unknown as string,
				expect.stringMatching(
					/^taskId==\{\{ \$fromAI\('task_id', .*'number'\) \}\}$/,
				) as unknown as string,
			]),
		);
	});
});
