import { BodyError, buildCreateBody } from '../../../../nodes/Celantur/helpers/create-body';

/** Every create option with a value and the exact request-body field and value the reference documents. */
const OPTION_CASES: Array<[option: string, value: unknown, field: string, sent: unknown]> = [
	['format', 'pano:8000', 'format', 'pano:8000'],
	['bbox', true, 'bbox', true],
	['debug', true, 'debug', true],
	['score', false, 'score', false],
	[
		'webhookUrl',
		'https://n8n.example.com/webhook/abc?job=7',
		'webhook',
		'https://n8n.example.com/webhook/abc?job=7',
	],
	['startOn', 'start_request', 'start_on', 'start_request'],
	['binarySegmentationMask', true, 'binary_segmentation_mask', true],
	['instanceSegmentationMask', true, 'instance_segmentation_mask', true],
	['maskScale', 50, 'mask-scale', 50],
	['quality', 75, 'quality', 75],
	['compressLevel', 9, 'compress-level', 9],
	['kernelSizeFace', 0.4, 'kernel-size-face', 0.4],
	['kernelSizePerson', 95, 'kernel-size-person', 95],
	['kernelSizeLicensePlate', 0.6, 'kernel-size-license-plate', 0.6],
	['kernelSizeVehicle', 61, 'kernel-size-vehicle', 61],
	['faceGradientStart', 0.3, 'face-anonymization-gradient-start', 0.3],
	['faceGradientStop', 0.1, 'face-anonymization-gradient-stop', 0.1],
	['licensePlateGradientStart', 0.25, 'license-plate-anonymization-gradient-start', 0.25],
	['licensePlateGradientStop', 0.05, 'license-plate-anonymization-gradient-stop', 0.05],
	['faceThreshold', 0.7, 'face_threshold', 0.7],
	['personThreshold', 0.45, 'person_threshold', 0.45],
	['licensePlateThreshold', 0.55, 'license_plate_threshold', 0.55],
	['vehicleThreshold', 0.35, 'vehicle_threshold', 0.35],
];

function body(
	options: Record<string, unknown>,
	method: unknown = 'blur',
	objects: unknown = ['face'],
) {
	const result = buildCreateBody(method, objects, options as never);
	if (result instanceof BodyError) throw result;
	return result;
}

describe('buildCreateBody', () => {
	it('sends only the method and the chosen objects when no option is set', () => {
		expect(body({}, 'pixelate', ['face', 'licensePlate', 'person', 'vehicle'])).toEqual({
			anonymization_method: 'pixelate',
			face: true,
			'license-plate': true,
			person: true,
			vehicle: true,
		});
	});

	it.each(OPTION_CASES)('maps option %s to body field', (option, value, field, sent) => {
		const result = body({ [option]: value });
		expect(result[field]).toEqual(sent);
		// Nothing else beyond the required fields: unset options stay unsent.
		expect(Object.keys(result).sort()).toEqual(['anonymization_method', 'face', field].sort());
	});

	it('turns ignore areas into the ignores JSON text', () => {
		const result = body({
			ignoreAreas: {
				area: [
					{ topLeftX: 182, topLeftY: 154, width: 2000, height: 2000 },
					{ topLeftX: 0, topLeftY: 0, width: 10, height: 5 },
				],
			},
		});
		expect(JSON.parse(result.ignores as string)).toEqual([
			{ topLeftX: 182, topLeftY: 154, width: 2000, height: 2000 },
			{ topLeftX: 0, topLeftY: 0, width: 10, height: 5 },
		]);
	});

	it('accepts numbers given as text by expressions', () => {
		expect(body({ quality: '80' }).quality).toBe(80);
	});

	it('leaves out node-only options such as timeout and output field', () => {
		const result = body({
			timeout: 5,
			pollInterval: 2,
			includeMetadata: true,
			outputBinaryPropertyName: 'x',
			deleteFilesAfterDownload: true,
			concurrency: 3,
		});
		expect(Object.keys(result).sort()).toEqual(['anonymization_method', 'face']);
	});

	it.each([
		[{ quality: 101 }, 'quality', 'from 0 to 100'],
		[{ quality: 'high' }, 'quality', 'a whole number'],
		[{ compressLevel: 10 }, 'compressLevel', 'from 0 to 9'],
		[{ maskScale: 0 }, 'maskScale', 'from 1 to 100'],
		[{ faceThreshold: 1.5 }, 'faceThreshold', 'from 0 to 1'],
		[{ format: 'pano:9999' }, 'format', '"whole"'],
		[{ startOn: 'later' }, 'startOn', '"upload", "start_request"'],
		[{ webhookUrl: 'ftp://x' }, 'webhookUrl', 'http://'],
		[{ bbox: 'yes' }, 'bbox', 'true or false'],
		[
			{ ignoreAreas: { area: [{ topLeftX: -1, topLeftY: 0, width: 1, height: 1 }] } },
			'ignoreAreas > Area 1 > Top Left X',
			'at least 0',
		],
		[
			{ ignoreAreas: { area: [{ topLeftX: 0, topLeftY: 0, width: 0, height: 1 }] } },
			'ignoreAreas > Area 1 > Width',
			'at least 1',
		],
		[{ ignoreAreas: { area: 'everything' } }, 'ignoreAreas', 'list of areas'],
		[{ colour: 'red' }, 'colour', 'not an option'],
	])('refuses %j naming the field', (options, field, allowed) => {
		const result = buildCreateBody('blur', ['face'], options as never);
		expect(result).toBeInstanceOf(BodyError);
		expect((result as BodyError).field).toBe(field);
		expect((result as BodyError).allowed).toContain(allowed);
	});

	it('refuses an unknown method and an empty or unknown object choice', () => {
		expect((buildCreateBody('smudge', ['face'], {}) as BodyError).field).toBe(
			'Anonymization Method',
		);
		expect((buildCreateBody('blur', [], {}) as BodyError).field).toBe('Objects to Anonymize');
		expect((buildCreateBody('blur', ['cat'], {}) as BodyError).field).toBe('Objects to Anonymize');
	});
});
