import type { INodeParameters } from 'n8n-workflow';

import { MANUAL_START_TYPE, node, workflow } from '../harness';
import type { FixtureEntry } from '../harness';
import { celanturNode, fixtureNode, requestsSince, useCelanturEnv } from '../support/celantur-env';
import { streetImage, useImageFolder } from '../support/images';

const V = '={{ $json.v }}';

interface BadInput {
	/** What is wrong, as a user would put it. */
	what: string;
	/** The node's parameters; `V` reads the bad value from the item, as an expression would. */
	parameters: INodeParameters;
	value?: unknown;
	/** The item's binary: an image by default for create, none otherwise. */
	binary?: 'image' | 'none' | 'truncated' | 'empty' | 'text-as-png';
	/** The field the message must name, as the editor labels it. */
	field: string;
	/** For problems with the file rather than a field: how the message must begin instead. */
	begins?: string;
}

const create = (options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'create',
	anonymizationMethod: 'blur',
	objects: ['face'],
	options,
	...extra,
});
const output = (settings: INodeParameters): INodeParameters =>
	create({}, { outputSettings: settings });
const detection = (settings: INodeParameters): INodeParameters =>
	create({}, { detectionSettings: settings });
const area = (patch: Record<string, unknown>) =>
	output({
		ignoreAreas: { area: [{ topLeftX: 0, topLeftY: 0, width: 10, height: 10, ...patch }] },
	});

const CASES: BadInput[] = [
	{
		what: 'JPEG quality above 100',
		parameters: output({ quality: V }),
		value: 101,
		field: 'Output Settings > Quality (JPEG)',
	},
	{
		what: 'JPEG quality as a word',
		parameters: output({ quality: V }),
		value: 'high',
		field: 'Output Settings > Quality (JPEG)',
	},
	{
		what: 'negative JPEG quality',
		parameters: output({ quality: V }),
		value: -1,
		field: 'Output Settings > Quality (JPEG)',
	},
	{
		what: 'PNG compress level above 9',
		parameters: output({ compressLevel: V }),
		value: 10,
		field: 'Output Settings > Compress Level (PNG)',
	},
	{
		what: 'fractional compress level',
		parameters: output({ compressLevel: V }),
		value: 2.5,
		field: 'Output Settings > Compress Level (PNG)',
	},
	{
		what: 'mask scale 0',
		parameters: output({ maskScale: V }),
		value: 0,
		field: 'Output Settings > Mask Scale (%)',
	},
	{
		what: 'mask scale above 100',
		parameters: output({ maskScale: V }),
		value: 150,
		field: 'Output Settings > Mask Scale (%)',
	},
	{
		what: 'face threshold above 1',
		parameters: detection({ faceThreshold: V }),
		value: 1.2,
		field: 'Detection Settings > Face Threshold',
	},
	{
		what: 'negative person threshold',
		parameters: detection({ personThreshold: V }),
		value: -0.1,
		field: 'Detection Settings > Person Threshold',
	},
	{
		what: 'plate threshold as text',
		parameters: detection({ licensePlateThreshold: V }),
		value: 'x',
		field: 'Detection Settings > License Plate Threshold',
	},
	{
		what: 'vehicle threshold as an object',
		parameters: detection({ vehicleThreshold: V }),
		value: { a: 1 },
		field: 'Detection Settings > Vehicle Threshold',
	},
	{
		what: 'negative face kernel',
		parameters: detection({ kernelSizeFace: V }),
		value: -1,
		field: 'Detection Settings > Face Kernel Size',
	},
	{
		what: 'person kernel as a word',
		parameters: detection({ kernelSizePerson: V }),
		value: 'big',
		field: 'Detection Settings > Person Kernel Size',
	},
	{
		what: 'face gradient start above 10',
		parameters: detection({ faceGradientStart: V }),
		value: 11,
		field: 'Detection Settings > Face Gradient Start',
	},
	{
		what: 'negative plate gradient stop',
		parameters: detection({ licensePlateGradientStop: V }),
		value: -0.5,
		field: 'Detection Settings > License Plate Gradient Stop',
	},
	{
		what: 'unknown panorama format',
		parameters: output({ format: V }),
		value: 'pano:9999',
		field: 'Output Settings > Format',
	},
	{
		what: 'unknown start mode',
		parameters: create({ startOn: V }),
		value: 'never',
		field: 'Options > Start Processing',
	},
	{
		what: 'webhook that is not a URL',
		parameters: create({ webhookUrl: V }),
		value: 'not a url',
		field: 'Options > Webhook URL',
	},
	{
		what: 'webhook that is not http(s)',
		parameters: create({ webhookUrl: V }),
		value: 'ftp://host/x',
		field: 'Options > Webhook URL',
	},
	{
		what: 'bbox as "yes"',
		parameters: output({ bbox: V }),
		value: 'yes',
		field: 'Output Settings > Bounding Boxes Only',
	},
	{
		what: 'debug as a number',
		parameters: output({ debug: V }),
		value: 3,
		field: 'Output Settings > Debug Drawing',
	},
	{
		what: 'ignore area left of the image',
		parameters: area({ topLeftX: V }),
		value: -5,
		field: 'Output Settings > Ignore Areas > Area 1 > Top Left X',
	},
	{
		what: 'ignore area of width 0',
		parameters: area({ width: V }),
		value: 0,
		field: 'Output Settings > Ignore Areas > Area 1 > Width',
	},
	{
		what: 'ignore area height as a word',
		parameters: area({ height: V }),
		value: 'tall',
		field: 'Output Settings > Ignore Areas > Area 1 > Height',
	},
	{
		what: 'ignore area at a fractional pixel',
		parameters: area({ topLeftY: V }),
		value: 1.5,
		field: 'Output Settings > Ignore Areas > Area 1 > Top Left Y',
	},
	{
		what: 'unknown anonymization method',
		parameters: create({}, { anonymizationMethod: V }),
		value: 'smudge',
		field: 'Anonymization Method',
	},
	{
		what: 'no object chosen',
		parameters: create({}, { objects: V }),
		value: [],
		field: 'Objects to Anonymize',
	},
	{
		what: 'unknown object',
		parameters: create({}, { objects: V }),
		value: ['cat'],
		field: 'Objects to Anonymize',
	},
	{
		what: 'timeout 0',
		parameters: create({ timeout: V }),
		value: 0,
		field: 'Options > Timeout (Seconds)',
	},
	{
		what: 'poll interval as a word',
		parameters: create({ pollInterval: V }),
		value: 'soon',
		field: 'Options > Poll Interval (Seconds)',
	},
	{
		what: 'concurrency 0',
		parameters: create({ concurrency: V }),
		value: 0,
		field: 'Options > Concurrency',
	},
	{
		what: 'output field as a number',
		parameters: create({ outputBinaryPropertyName: V }),
		value: 42,
		field: 'Options > Output Binary Field',
	},
	{
		what: 'empty input field name',
		parameters: create({}, { binaryPropertyName: V }),
		value: '',
		field: 'Input Binary Field',
	},
	{
		what: 'input field that does not exist',
		parameters: create({}, { binaryPropertyName: V }),
		value: 'photo',
		field: 'Input Binary Field',
	},
	{
		what: 'no binary at all',
		parameters: create(),
		binary: 'none',
		field: 'Input Binary Field',
		begins: 'Item 1: the item has no file at all',
	},
	{
		what: 'truncated image',
		parameters: create(),
		binary: 'truncated',
		field: 'Input Binary Field',
		begins: 'Item 1 (cut.png): the PNG is cut short (truncated after',
	},
	{
		what: 'empty file',
		parameters: create(),
		binary: 'empty',
		field: 'Input Binary Field',
		begins: 'Item 1 (empty.jpg): the file is empty (0 bytes)',
	},
	{
		what: 'text declared as PNG',
		parameters: create(),
		binary: 'text-as-png',
		field: 'Input Binary Field',
		begins:
			"Item 1 (hello.png): the file's content is not a JPEG or PNG image although it is marked image/png",
	},
	{
		what: 'task id with letters (get)',
		parameters: { operation: 'get', taskId: V },
		value: 'abc',
		field: 'Task ID',
	},
	{
		what: 'negative task id (getStatus)',
		parameters: { operation: 'getStatus', taskId: V },
		value: -5,
		field: 'Task ID',
	},
	{
		what: 'fractional task id (getMetadata)',
		parameters: { operation: 'getMetadata', taskId: V },
		value: 1.5,
		field: 'Task ID',
	},
	{
		what: 'empty task id (deleteFiles)',
		parameters: { operation: 'deleteFiles', taskId: V },
		value: '',
		field: 'Task ID',
	},
	{
		what: 'task id beyond 2^53 (start)',
		parameters: { operation: 'start', taskId: V },
		value: '99999999999999999999',
		field: 'Task ID',
	},
	{
		what: 'null task id (download)',
		parameters: { operation: 'download', taskId: V },
		value: null,
		field: 'Task ID',
	},
	{
		what: 'negative wait timeout (getStatus)',
		parameters: {
			operation: 'getStatus',
			taskId: '1690264444814157',
			waitForCompletion: true,
			options: { timeout: V },
		},
		value: -1,
		field: 'Options > Timeout (Seconds)',
	},
	{
		what: 'download concurrency 100',
		parameters: { operation: 'download', taskId: '1690264444814157', options: { concurrency: V } },
		value: 100,
		field: 'Options > Concurrency',
	},
	{
		what: 'limit 0 (getMany)',
		parameters: { operation: 'getMany', returnAll: false, limit: V },
		value: 0,
		field: 'Limit',
	},
	{
		what: 'limit as a word (getMany)',
		parameters: { operation: 'getMany', returnAll: false, limit: V },
		value: 'many',
		field: 'Limit',
	},
	{
		what: 'created after "yesterday"',
		parameters: { operation: 'getMany', returnAll: true, filters: { createdAfter: V } },
		value: 'yesterday',
		field: 'Filters > Created After (UTC Day)',
	},
	{
		what: 'created before in day/month/year',
		parameters: { operation: 'getMany', returnAll: true, filters: { createdBefore: V } },
		value: '31/12/2024',
		field: 'Filters > Created Before (UTC Day)',
	},
	{
		what: 'dates in the wrong order',
		parameters: {
			operation: 'getMany',
			returnAll: true,
			filters: { createdAfter: '2024-06-01', createdBefore: V },
		},
		value: '2024-05-01',
		field: 'Filters > Created After (UTC Day)',
	},
	{
		what: 'unknown status filter',
		parameters: { operation: 'getMany', returnAll: true, filters: { status: V } },
		value: 'finished',
		field: 'Filters > Status',
	},
];

describe(`bad input: ${CASES.length} invalid inputs across all operations, each refused before any request`, () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();
	let image: string;

	beforeAll(() => {
		image = folder.write('ok.jpg', streetImage('jpeg', 41));
	});

	const item = (testCase: BadInput): FixtureEntry => {
		const json = { v: testCase.value as FixtureEntry['json'] };
		const binary =
			testCase.binary ?? (testCase.parameters.operation === 'create' ? 'image' : 'none');
		const png = streetImage('png', 42);
		switch (binary) {
			case 'image':
				return { json, path: image, mimeType: 'image/jpeg' };
			case 'truncated':
				return {
					json,
					base64: png.subarray(0, png.length - 30).toString('base64'),
					mimeType: 'image/png',
					fileName: 'cut.png',
				};
			case 'empty':
				return { json, base64: '', mimeType: 'image/jpeg', fileName: 'empty.jpg' };
			case 'text-as-png':
				return { json, text: 'hello', mimeType: 'image/png', fileName: 'hello.png' };
			default:
				return { json };
		}
	};

	it.each(CASES.map((c) => [c.what, c] as const))('%s', async (_, testCase) => {
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Item', [item(testCase)]),
				celanturNode('Celantur', testCase.parameters),
			]),
		);
		const message = result.error?.message ?? '';
		// Items count from 1, as in the editor; the field is named as the editor labels it, unquoted.
		const begins = testCase.begins ?? `Item 1: ${testCase.field} is `;
		expect(message.slice(0, begins.length)).toBe(begins);
		if (!testCase.begins) expect(message).toMatch(/, but /);
		expect(message).not.toMatch(/Item 0|counting from 0|\[item \d+\]/);
		expect(requestsSince(env.emulator, before)).toEqual({});
	});

	it('the suite is as large as promised', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(40);
	});
});
