// POST /v2/task: the body the reference documents, and its error messages, over raw HTTP.
import fc from 'fast-check';
import { http, obj, useEmulator, type JsonObject } from '../testkit';

const MINIMAL = { anonymization_method: 'blur', face: true };
const PREFIX = 'Could not create task.';

describe('emulator: POST /v2/task', () => {
	const env = useEmulator();

	const create = (body: unknown) =>
		http('POST', `${env.emu.baseUrl}/task`, { token: env.token, body });
	const expectError = async (body: unknown, error: string) => {
		const before = env.emu.tasksCreated();
		const response = await create(body);
		expect({ status: response.status, body: response.json }).toEqual({
			status: 400,
			body: { status_code: 400, error },
		});
		expect(env.emu.tasksCreated()).toBe(before);
	};

	it('answers the reference create response: snake_case names, real numbers and booleans, reference defaults', async () => {
		const response = await create(MINIMAL);
		expect(response.status).toBe(200);
		const task = obj(response.json);
		expect(task).toEqual({
			customer_id: expect.stringMatching(
				/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
			),
			task_id: expect.any(Number),
			create_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/),
			delete_time: null,
			name: null,
			debug: false,
			score: false,
			anonymization_method: 'blur',
			face: true,
			license_plate: false,
			person: false,
			vehicle: false,
			format: 'whole',
			bbox: false,
			ignores: '',
			mask_scale: 100,
			quality: 90,
			compress_level: 5,
			kernel_size_face: 0.35,
			kernel_size_person: 95,
			kernel_size_license_plate: 0.5,
			kernel_size_vehicle: 61,
			face_anonymization_gradient_start: 0.3,
			face_anonymization_gradient_stop: 0,
			license_plate_anonymization_gradient_start: 0.3,
			license_plate_anonymization_gradient_stop: 0,
			webhook: null,
			start_on: 'upload',
			extraction_types: null,
			binary_segmentation_mask: false,
			instance_segmentation_mask: false,
			face_threshold: 0.5,
			vehicle_threshold: 0.4,
			person_threshold: 0.4,
			license_plate_threshold: 0.5,
			task_status: 'new',
			webhook_status: 'empty',
			upload_url: expect.any(String),
			upload_url_expiration_duration: 3600,
		});
		const upload = new URL(String(task.upload_url));
		expect(upload.origin).toBe(env.emu.storageOrigin);
		expect(upload.pathname).toBe(`/${task.customer_id}/${task.task_id}/1/original`);
		expect(upload.searchParams.get('X-Amz-Expires')).toBe('3600');
		expect(upload.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
		expect(upload.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
	});

	it('gives integer task ids around 1.7e15, below 2^53, unique and increasing', async () => {
		const ids: number[] = [];
		for (let i = 0; i < 20; i++) ids.push(Number(obj((await create(MINIMAL)).json).task_id));
		for (const id of ids) {
			expect(Number.isSafeInteger(id)).toBe(true);
			expect(id).toBeGreaterThan(1.6e15);
			expect(id).toBeLessThan(2 ** 53);
		}
		for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
		const first = obj((await create(MINIMAL)).json);
		// create_time is the id read as microseconds since the epoch.
		expect(Date.parse(`${String(first.create_time).slice(0, 23)}Z`)).toBe(
			Math.floor(Number(first.task_id) / 1000),
		);
	});

	const VALID: Array<[string, unknown, string, unknown]> = [
		['anonymization_method', 'pixelate', 'anonymization_method', 'pixelate'],
		['license-plate', true, 'license_plate', true],
		['person', true, 'person', true],
		['vehicle', true, 'vehicle', true],
		['debug', true, 'debug', true],
		['score', true, 'score', true],
		['format', 'pano:8000', 'format', 'pano:8000'],
		['bbox', true, 'bbox', true],
		[
			'ignores',
			'[{"topLeftX":1,"topLeftY":2,"width":3,"height":4}]',
			'ignores',
			'[{"topLeftX":1,"topLeftY":2,"width":3,"height":4}]',
		],
		[
			'webhook',
			'https://example.com/hook?param=test',
			'webhook',
			'https://example.com/hook?param=test',
		],
		['start_on', 'start_request', 'start_on', 'start_request'],
		['binary_segmentation_mask', true, 'binary_segmentation_mask', true],
		['instance_segmentation_mask', true, 'instance_segmentation_mask', true],
		['mask-scale', 25, 'mask_scale', 25],
		['quality', 40, 'quality', 40],
		['compress-level', 9, 'compress_level', 9],
		['kernel-size-face', 0.6, 'kernel_size_face', 0.6],
		['kernel-size-person', 31, 'kernel_size_person', 31],
		['kernel-size-license-plate', 0.2, 'kernel_size_license_plate', 0.2],
		['kernel-size-vehicle', 101, 'kernel_size_vehicle', 101],
		['face-anonymization-gradient-start', 0.5, 'face_anonymization_gradient_start', 0.5],
		['face-anonymization-gradient-stop', 0.1, 'face_anonymization_gradient_stop', 0.1],
		[
			'license-plate-anonymization-gradient-start',
			0.6,
			'license_plate_anonymization_gradient_start',
			0.6,
		],
		[
			'license-plate-anonymization-gradient-stop',
			0.2,
			'license_plate_anonymization_gradient_stop',
			0.2,
		],
		['face_threshold', 0.9, 'face_threshold', 0.9],
		['vehicle_threshold', 0.1, 'vehicle_threshold', 0.1],
		['person_threshold', 0.7, 'person_threshold', 0.7],
		['license_plate_threshold', 0.3, 'license_plate_threshold', 0.3],
	];

	it.each(VALID)(
		'accepts the documented name %s and answers it as %s',
		async (name, value, field, echoed) => {
			const response = await create({ ...MINIMAL, [name]: value });
			expect(response.status).toBe(200);
			expect(obj(response.json)[field]).toEqual(echoed);
		},
	);

	it('sets webhook_status to "set" when a webhook is given', async () => {
		const task = obj((await create({ ...MINIMAL, webhook: 'http://127.0.0.1:9/x' })).json);
		expect(task.webhook_status).toBe('set');
	});

	it.each([
		'license_plate',
		'mask_scale',
		'compress_level',
		'kernel_size_face',
		'face_anonymization_gradient_start',
		'anonymizationMethod',
		'name',
		'extraction_types',
		'Face',
		'threshold',
	])('refuses the undocumented name %s as a parameter that does not exist', async (name) => {
		await expectError(
			{ ...MINIMAL, [name]: true },
			`${PREFIX} ${name} parameter caused an error. This parameter does not exist.`,
		);
	});

	const WRONG_TYPE: Array<[string, unknown]> = [
		['anonymization_method', 'smudge'],
		['anonymization_method', 'BLUR'],
		['anonymization_method', 1],
		['face', 'true'],
		['face', 1],
		['face', null],
		['license-plate', 'yes'],
		['person', 0],
		['vehicle', {}],
		['debug', 'false'],
		['score', []],
		['format', 'pano:1234'],
		['format', 'pano'],
		['bbox', 'true'],
		['ignores', [{ topLeftX: 1, topLeftY: 2, width: 3, height: 4 }]],
		['ignores', null],
		['webhook', 42],
		['webhook', null],
		['start_on', 'now'],
		['binary_segmentation_mask', 'true'],
		['instance_segmentation_mask', 1],
		['mask-scale', '50'],
		['quality', '90'],
		['compress-level', true],
		['kernel-size-face', '0.35'],
		['kernel-size-person', null],
		['face-anonymization-gradient-start', '0.3'],
		['license-plate-anonymization-gradient-stop', false],
		['face_threshold', '0.5'],
		['vehicle_threshold', null],
		['person_threshold', [0.4]],
		['license_plate_threshold', 'high'],
	];

	it.each(WRONG_TYPE)('refuses %s = %j as an unexpected value', async (name, value) => {
		await expectError(
			{ ...MINIMAL, [name]: value },
			`${PREFIX} ${name} parameter received an unexpected value.`,
		);
	});

	const OUT_OF_RANGE: Array<[string, number, string]> = [
		['mask-scale', 101, 'Value must be between 0 and 100.'],
		['mask-scale', -1, 'Value must be between 0 and 100.'],
		['quality', 101, 'Value must be between 0 and 100.'],
		['quality', -5, 'Value must be between 0 and 100.'],
		['quality', 90.5, 'Value must be an integer.'],
		['compress-level', 10, 'Value must be between 0 and 9.'],
		['compress-level', 4.5, 'Value must be an integer.'],
		['kernel-size-face', 0, 'Value must be greater than 0 and at most 1000.'],
		['kernel-size-person', -3, 'Value must be greater than 0 and at most 1000.'],
		['kernel-size-vehicle', 5000, 'Value must be greater than 0 and at most 1000.'],
		['face-anonymization-gradient-start', 1.5, 'Value must be between 0 and 1.'],
		['license-plate-anonymization-gradient-stop', -0.1, 'Value must be between 0 and 1.'],
		['face_threshold', 1.01, 'Value must be between 0 and 1.'],
		['person_threshold', -0.2, 'Value must be between 0 and 1.'],
	];

	it.each(OUT_OF_RANGE)(
		'refuses %s = %d as a value that caused an error',
		async (name, value, cause) => {
			await expectError(
				{ ...MINIMAL, [name]: value },
				`${PREFIX} ${name} parameter value caused an error. ${cause}`,
			);
		},
	);

	it.each([
		['not JSON', '[{topLeftX:1}'],
		['not a list', '{"topLeftX":1,"topLeftY":2,"width":3,"height":4}'],
		['a missing height', '[{"topLeftX":1,"topLeftY":2,"width":3}]'],
		['an extra key', '[{"topLeftX":1,"topLeftY":2,"width":3,"height":4,"x":1}]'],
		['a string number', '[{"topLeftX":"1","topLeftY":2,"width":3,"height":4}]'],
		['a zero width', '[{"topLeftX":1,"topLeftY":2,"width":0,"height":4}]'],
	])('refuses ignores with %s', async (_label, ignores) => {
		await expectError(
			{ ...MINIMAL, ignores },
			`${PREFIX} ignores parameter value caused an error. ignores has to be a JSON list of objects with the numbers topLeftX, topLeftY, width and height.`,
		);
	});

	it.each(['not a url', 'ftp://example.com/x', '/relative/hook', ''])(
		'refuses the webhook %j',
		async (webhook) => {
			await expectError(
				{ ...MINIMAL, webhook },
				`${PREFIX} webhook parameter value caused an error. The webhook has to be a valid http(s) URL.`,
			);
		},
	);

	it.each([
		['an empty body', ''],
		['whitespace', '  \n'],
		['null', 'null'],
		['an empty object', '{}'],
		['an empty list', '[]'],
	])('asks for a JSON body when given %s', async (_label, raw) => {
		await expectError(raw, `${PREFIX} Please add a JSON body.`);
	});

	it('refuses a request with no body at all', async () => {
		const response = await http('POST', `${env.emu.baseUrl}/task`, { token: env.token });
		expect(response.json).toEqual({ status_code: 400, error: `${PREFIX} Please add a JSON body.` });
	});

	it.each([
		['broken JSON', '{"anonymization_method": "blur",'],
		['single quotes', "{'face': true}"],
	])('says the body is not correct for %s', async (_label, raw) => {
		const response = await create(raw);
		expect(response.status).toBe(400);
		expect(obj(response.json).status_code).toBe(400);
		expect(String(obj(response.json).error)).toMatch(
			/^Could not create task\. Request body is not correct\. \S/,
		);
	});

	it.each([
		['a list', '[{"anonymization_method":"blur","face":true}]'],
		['a string', '"blur"'],
		['a number', '7'],
	])('says the body is not correct for %s', async (_label, raw) => {
		await expectError(
			raw,
			`${PREFIX} Request body is not correct. The body must be a JSON object.`,
		);
	});

	it('requires anonymization_method', async () => {
		await expectError(
			{ face: true },
			`${PREFIX} Request body is not correct. anonymization_method is a required parameter.`,
		);
	});

	it.each([
		['no object type', { anonymization_method: 'blur' }],
		[
			'every object type false',
			{
				anonymization_method: 'blur',
				face: false,
				'license-plate': false,
				person: false,
				vehicle: false,
			},
		],
	])('requires one object type to be true (%s)', async (_label, body) => {
		await expectError(
			body,
			`${PREFIX} Request body is not correct. At least one of face, license-plate, person or vehicle has to be true.`,
		);
	});

	it('reports the first problem in body order, unknown names before values', async () => {
		await expectError(
			{ quality: 500, bogus: 1, anonymization_method: 'blur', face: true },
			`${PREFIX} quality parameter value caused an error. Value must be between 0 and 100.`,
		);
		await expectError(
			{ bogus: 1, quality: 500, face: true },
			`${PREFIX} bogus parameter caused an error. This parameter does not exist.`,
		);
	});

	it('accepts any valid combination of documented parameters and echoes it (property)', async () => {
		const unit = fc.double({ min: 0, max: 1, noNaN: true });
		const body = fc.record(
			{
				anonymization_method: fc.constantFrom('blur', 'pixelate', 'blacken'),
				face: fc.boolean(),
				'license-plate': fc.boolean(),
				person: fc.boolean(),
				vehicle: fc.constant(true),
				bbox: fc.boolean(),
				quality: fc.integer({ min: 0, max: 100 }),
				'compress-level': fc.integer({ min: 0, max: 9 }),
				'mask-scale': fc.double({ min: 0, max: 100, noNaN: true }),
				'kernel-size-person': fc.double({ min: 0.01, max: 1000, noNaN: true }),
				face_threshold: unit,
				'license-plate-anonymization-gradient-start': unit,
				format: fc.constantFrom('whole', 'pano:4096', 'pano:11000'),
				start_on: fc.constantFrom('upload', 'start_request'),
			},
			{ requiredKeys: ['anonymization_method', 'vehicle'] },
		);
		await fc.assert(
			fc.asyncProperty(body, async (generated) => {
				const response = await create(generated);
				expect(response.status).toBe(200);
				const task = obj(response.json);
				const names: Record<string, string> = {
					'license-plate': 'license_plate',
					'compress-level': 'compress_level',
					'mask-scale': 'mask_scale',
					'kernel-size-person': 'kernel_size_person',
					'license-plate-anonymization-gradient-start':
						'license_plate_anonymization_gradient_start',
				};
				for (const [name, value] of Object.entries(generated as JsonObject))
					expect(task[names[name] ?? name]).toBe(value);
			}),
			{ numRuns: 40 },
		);
	});

	it('refuses any body with an undocumented name (property)', async () => {
		const documented = new Set([
			'anonymization_method',
			'face',
			'license-plate',
			'person',
			'vehicle',
			'debug',
			'score',
			'format',
			'bbox',
			'ignores',
			'webhook',
			'start_on',
			'binary_segmentation_mask',
			'instance_segmentation_mask',
			'mask-scale',
			'quality',
			'compress-level',
			'kernel-size-face',
			'kernel-size-person',
			'kernel-size-license-plate',
			'kernel-size-vehicle',
			'face-anonymization-gradient-start',
			'face-anonymization-gradient-stop',
			'license-plate-anonymization-gradient-start',
			'license-plate-anonymization-gradient-stop',
			'face_threshold',
			'vehicle_threshold',
			'person_threshold',
			'license_plate_threshold',
		]);
		const name = fc
			.string({ minLength: 1, maxLength: 20 })
			.filter((candidate) => !documented.has(candidate) && candidate !== '__proto__');
		await fc.assert(
			fc.asyncProperty(name, fc.jsonValue(), async (key, value) => {
				const response = await create({ [key]: value, ...MINIMAL });
				expect(response.json).toEqual({
					status_code: 400,
					error: `${PREFIX} ${key} parameter caused an error. This parameter does not exist.`,
				});
			}),
			{ numRuns: 40 },
		);
	});
});
