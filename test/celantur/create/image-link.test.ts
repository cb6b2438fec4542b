import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import { regionDiff } from '../../emulator/images';
import {
	celanturNode,
	fixtureNode,
	requestsSince,
	useCelanturEnv,
} from '../../support/celantur-env';
import { startImageServer, type ImageServer } from '../../support/image-server';
import { streetImage, STREET_OBJECTS } from '../../support/images';

describe('Create from an image link: fetched by the node, checked before any Celantur request', () => {
	const env = useCelanturEnv();
	let site: ImageServer;
	beforeAll(async () => {
		site = await startImageServer();
	});
	afterAll(async () => await site.close());

	const anonymizeLinks = async (links: string[], extra: Record<string, unknown> = {}) => {
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode(
					'Sheet',
					links.map((link) => ({ json: { link } })),
				),
				celanturNode('Anonymize', {
					operation: 'create',
					imageSource: 'url',
					imageUrl: '={{ $json.link }}',
					anonymizationMethod: 'blur',
					objects: ['face', 'licensePlate'],
					options: { pollInterval: 0.2 },
					...extra,
				}),
			]),
		);
		return { result, requests: requestsSince(env.emulator, before) };
	};

	it('anonymizes a JPEG and a PNG given by link, with no Celantur token sent to the site', async () => {
		const { result, requests } = await anonymizeLinks([
			`${site.origin}/street.jpg`,
			`${site.origin}/redirect/2`,
			`${site.origin}/square.png?sig=abc`,
		]);
		expect(result.error).toBeUndefined();
		const items = result.output('Anonymize');
		expect(items.map((item) => item.json.output_file_name)).toEqual([
			'street-anonymized.jpg',
			'street-anonymized.jpg',
			'square-anonymized.png',
		]);
		for (const [index, format] of (['jpeg', 'jpeg', 'png'] as const).entries()) {
			const bytes = await env.harness.readBinary(items[index], 'anonymized');
			const original = streetImage(format, format === 'jpeg' ? 71 : 72);
			expect(regionDiff(original, bytes, STREET_OBJECTS[0])).toBeGreaterThan(8);
		}
		expect(requests).toEqual(expect.objectContaining({ createTask: 3, upload: 3 }));
		for (const { headers } of site.requests) expect(headers.authorization).toBeUndefined();
	});

	it.each([
		['a file: link', 'file:///etc/passwd', 'is not an http:// or https:// link'],
		['a link that is no URL', 'street.jpg', 'is not an http:// or https:// link'],
		[
			'an unreachable host',
			'http://127.0.0.1:9/street.jpg',
			'could not be reached (connection refused)',
		],
		['a missing file', '/missing.jpg?token=secret', 'answered HTTP 404 (not found)'],
		[
			'a web page',
			'/page.html',
			'the file is text/html, but Celantur only anonymizes JPEG and PNG',
		],
		['a file over 50 MB', '/huge.jpg', 'is bigger than 50 MB'],
		['too many redirects', '/redirect/6', 'redirects more than 5 times'],
		['a redirect to a file: link', '/to-file', 'redirects to a link that is not http or https'],
	])(
		'refuses %s before any Celantur request, naming the link without its query',
		async (_what, path, words) => {
			const link = path.startsWith('/') ? `${site.origin}${path}` : path;
			const { result, requests } = await anonymizeLinks([link]);
			expect(result.error?.message).toContain('Item 1: the image link ');
			expect(result.error?.message).toContain(words);
			expect(result.error?.message).not.toContain('secret');
			expect(requests).toEqual({});
		},
	);

	it('with Continue On Fail, a bad link is one error item and the good ones are anonymized', async () => {
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Sheet', [
					{ json: { link: `${site.origin}/street.jpg` } },
					{ json: { link: `${site.origin}/missing.jpg` } },
				]),
				{
					...celanturNode('Anonymize', {
						operation: 'create',
						imageSource: 'url',
						imageUrl: '={{ $json.link }}',
						objects: ['face'],
						options: { pollInterval: 0.2 },
					}),
					onError: 'continueRegularOutput',
				},
			]),
		);
		const [good, bad] = result.output('Anonymize');
		expect(good.json.task_status).toBe('done');
		expect(bad.json.error).toMatch(
			/^Item 2: the image link http:\/\/127\.0\.0\.1:\d+\/missing\.jpg answered HTTP 404/,
		);
	});
});
