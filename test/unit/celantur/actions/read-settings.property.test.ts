import fc from 'fast-check';

import { readSettings } from '../../../../nodes/Celantur/actions/task/read-settings';
import { settingsContext } from './settings-context';

/** Each numeric setting, its body field, and its valid range. */
const NUMERIC: Array<[option: string, field: string, min: number, max: number, integer: boolean]> =
	[
		['maskScale', 'mask-scale', 1, 100, true],
		['quality', 'quality', 0, 100, true],
		['compressLevel', 'compress-level', 0, 9, true],
		['kernelSizeFace', 'kernel-size-face', 0, 1000, false],
		['kernelSizePerson', 'kernel-size-person', 0, 1000, false],
		['kernelSizeLicensePlate', 'kernel-size-license-plate', 0, 1000, false],
		['kernelSizeVehicle', 'kernel-size-vehicle', 0, 1000, false],
		['faceGradientStart', 'face-anonymization-gradient-start', 0, 10, false],
		['faceGradientStop', 'face-anonymization-gradient-stop', 0, 10, false],
		['licensePlateGradientStart', 'license-plate-anonymization-gradient-start', 0, 10, false],
		['licensePlateGradientStop', 'license-plate-anonymization-gradient-stop', 0, 10, false],
		['faceThreshold', 'face_threshold', 0, 1, false],
		['personThreshold', 'person_threshold', 0, 1, false],
		['licensePlateThreshold', 'license_plate_threshold', 0, 1, false],
		['vehicleThreshold', 'vehicle_threshold', 0, 1, false],
	];
const BOOLEAN: Array<[string, string]> = [
	['bbox', 'bbox'],
	['debug', 'debug'],
	['score', 'score'],
	['binarySegmentationMask', 'binary_segmentation_mask'],
	['instanceSegmentationMask', 'instance_segmentation_mask'],
];
const OBJECTS: Record<string, string> = {
	face: 'face',
	licensePlate: 'license-plate',
	person: 'person',
	vehicle: 'vehicle',
};

const validValue = ([, , min, max, integer]: (typeof NUMERIC)[number]) =>
	integer
		? fc.integer({ min, max })
		: fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Any valid choice of options, each with a value, as a user could set them. */
const validOptions = fc.record(
	Object.fromEntries([
		...NUMERIC.map((entry) => [entry[0], validValue(entry)]),
		...BOOLEAN.map(([option]) => [option, fc.boolean()]),
	]),
	{ requiredKeys: [] },
);

describe('parameters -> create body (property-based)', () => {
	it('sends exactly the options set, under their documented names, with their values', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('blur', 'pixelate', 'blacken'),
				fc.uniqueArray(fc.constantFrom(...Object.keys(OBJECTS)), { minLength: 1 }),
				validOptions,
				(method, objects, options) => {
					const body = buildCreateBody(method, objects, options);
					if (body instanceof Error) return false;
					const expected: Record<string, unknown> = { anonymization_method: method };
					for (const object of objects) expected[OBJECTS[object]] = true;
					for (const [option, field] of [...NUMERIC.map(([o, f]) => [o, f] as const), ...BOOLEAN]) {
						if (option in options) expected[field] = (options as Record<string, unknown>)[option];
					}
					expect(body).toEqual(expected);
					return true;
				},
			),
		);
	});

	it('refuses any numeric option outside its range, naming it', () => {
		const outside = fc.constantFrom(...NUMERIC).chain((entry) =>
			fc.tuple(
				fc.constant(entry),
				// -0 is below 0 to fast-check, but it is the valid value 0.
				fc
					.oneof(
						fc.double({ max: entry[2], maxExcluded: true, noNaN: true }),
						fc.double({ min: entry[3], minExcluded: true, noNaN: true }),
					)
					.filter((value) => !Object.is(value, -0)),
			),
		);
		fc.assert(
			fc.property(outside, ([[option], value]) => {
				const result = buildCreateBody('blur', ['face'], { [option]: value });
				return (
					result instanceof Error &&
					result.message.startsWith(
						`Item 1: ${OUTPUT_SETTINGS.has(option) ? 'Output' : 'Detection'} Settings > `,
					)
				);
			}),
		);
	});
});

/** The collection each setting of the tables above is shown in. */
const OUTPUT_SETTINGS = new Set([
	'maskScale',
	'quality',
	'compressLevel',
	'bbox',
	'debug',
	'score',
	'binarySegmentationMask',
	'instanceSegmentationMask',
]);

/** The node's parameters for a method, objects and settings, each setting in its collection. */
function parameters(method: unknown, objects: unknown, settings: Record<string, unknown>) {
	const outputSettings: Record<string, unknown> = {};
	const detectionSettings: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(settings))
		(OUTPUT_SETTINGS.has(name) ? outputSettings : detectionSettings)[name] = value;
	return { anonymizationMethod: method, objects, outputSettings, detectionSettings };
}

/** The body, or the refusal's message. */
function buildCreateBody(method: unknown, objects: unknown, settings: Record<string, unknown>) {
	try {
		return readSettings(settingsContext(parameters(method, objects, settings) as never), 0, [
			'main',
			'outputSettings',
			'detectionSettings',
		]).body();
	} catch (error) {
		return error as Error;
	}
}
