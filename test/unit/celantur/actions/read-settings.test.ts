// The settings table as the node reads it: every create setting goes into the body under the name
// the reference documents, unset ones stay unsent, bad values are refused naming the field as the
// editor shows it, and every number field is checked to exactly the range the editor offers.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { readSettings } from '../../../../nodes/Celantur/actions/task/read-settings';
import { Celantur } from '../../../../nodes/Celantur/Celantur.node';
import { settingsContext } from './settings-context';

/** Every create setting with a value, its collection, and the body field and value the reference documents. */
const SENT: Array<
	[option: string, collection: string, value: unknown, field: string, sent: unknown]
> = [
	['format', 'outputSettings', 'pano:8000', 'format', 'pano:8000'],
	['bbox', 'outputSettings', true, 'bbox', true],
	['debug', 'outputSettings', true, 'debug', true],
	['score', 'outputSettings', false, 'score', false],
	[
		'webhookUrl',
		'options',
		'https://n8n.example.com/webhook/abc?job=7',
		'webhook',
		'https://n8n.example.com/webhook/abc?job=7',
	],
	['startOn', 'options', 'start_request', 'start_on', 'start_request'],
	['binarySegmentationMask', 'outputSettings', true, 'binary_segmentation_mask', true],
	['instanceSegmentationMask', 'outputSettings', true, 'instance_segmentation_mask', true],
	['maskScale', 'outputSettings', 50, 'mask-scale', 50],
	['quality', 'outputSettings', 75, 'quality', 75],
	['compressLevel', 'outputSettings', 9, 'compress-level', 9],
	['kernelSizeFace', 'detectionSettings', 0.4, 'kernel-size-face', 0.4],
	['kernelSizePerson', 'detectionSettings', 95, 'kernel-size-person', 95],
	['kernelSizeLicensePlate', 'detectionSettings', 0.6, 'kernel-size-license-plate', 0.6],
	['kernelSizeVehicle', 'detectionSettings', 61, 'kernel-size-vehicle', 61],
	['faceGradientStart', 'detectionSettings', 0.3, 'face-anonymization-gradient-start', 0.3],
	['faceGradientStop', 'detectionSettings', 0.1, 'face-anonymization-gradient-stop', 0.1],
	[
		'licensePlateGradientStart',
		'detectionSettings',
		0.25,
		'license-plate-anonymization-gradient-start',
		0.25,
	],
	[
		'licensePlateGradientStop',
		'detectionSettings',
		0.05,
		'license-plate-anonymization-gradient-stop',
		0.05,
	],
	['faceThreshold', 'detectionSettings', 0.7, 'face_threshold', 0.7],
	['personThreshold', 'detectionSettings', 0.45, 'person_threshold', 0.45],
	['licensePlateThreshold', 'detectionSettings', 0.55, 'license_plate_threshold', 0.55],
	['vehicleThreshold', 'detectionSettings', 0.35, 'vehicle_threshold', 0.35],
];

const ALL = ['main', 'options', 'outputSettings', 'detectionSettings'] as const;

function body(parameters: IDataObject): IDataObject {
	return readSettings(settingsContext(parameters), 0, [...ALL]).body();
}

function refusal(parameters: IDataObject): string {
	try {
		readSettings(settingsContext(parameters), 0, [...ALL]);
	} catch (error) {
		return (error as Error).message;
	}
	throw new Error('the settings were accepted');
}

describe('readSettings: the create body', () => {
	it('sends only the method and the chosen objects when no setting is added', () => {
		expect(
			body({
				anonymizationMethod: 'pixelate',
				objects: ['face', 'licensePlate', 'person', 'vehicle'],
			}),
		).toEqual({
			anonymization_method: 'pixelate',
			face: true,
			'license-plate': true,
			person: true,
			vehicle: true,
		});
	});

	it.each(SENT)(
		'sends %s (%s) as its documented body field',
		(option, collection, value, field, sent) => {
			const result = body({ objects: ['face'], [collection]: { [option]: value } });
			expect(result[field]).toEqual(sent);
			// Nothing else beyond the required fields: unset settings stay unsent.
			expect(Object.keys(result).sort()).toEqual(['anonymization_method', 'face', field].sort());
		},
	);

	it('turns ignore areas into the ignores JSON text', () => {
		const areas = [
			{ topLeftX: 182, topLeftY: 154, width: 2000, height: 2000 },
			{ topLeftX: 0, topLeftY: 0, width: 10, height: 5 },
		];
		const result = body({ objects: ['face'], outputSettings: { ignoreAreas: { area: areas } } });
		expect(JSON.parse(result.ignores as string)).toEqual(areas);
	});

	it('accepts numbers given as text by expressions', () => {
		expect(body({ objects: ['face'], outputSettings: { quality: '80' } }).quality).toBe(80);
	});

	it('never sends the node’s own options', () => {
		const options = {
			timeout: 5,
			pollInterval: 2,
			includeMetadata: true,
			outputBinaryPropertyName: 'x',
			deleteFilesAfterDownload: true,
			concurrency: 3,
		};
		const settings = readSettings(settingsContext({ objects: ['face'], options }), 0, [...ALL]);
		expect(Object.keys(settings.body()).sort()).toEqual(['anonymization_method', 'face']);
		expect([settings.number('timeout'), settings.text('outputBinaryPropertyName')]).toEqual([
			5,
			'x',
		]);
	});

	it('gives each node option its editor default when it is not added', () => {
		const settings = readSettings(settingsContext({}), 0, ['options']);
		expect(settings.number('pollInterval')).toBe(5);
		expect(settings.number('timeout')).toBe(600);
		expect(settings.number('concurrency')).toBe(10);
		expect(settings.text('outputBinaryPropertyName')).toBe('anonymized');
		expect(settings.flag('includeMetadata')).toBe(false);
	});

	it.each([
		[
			{ outputSettings: { quality: 101 } },
			'Output Settings > Quality (JPEG) is 101',
			'from 0 to 100',
		],
		[{ outputSettings: { quality: 'high' } }, 'Output Settings > Quality (JPEG)', 'a whole number'],
		[{ outputSettings: { format: 'pano:9999' } }, 'Output Settings > Format', '"whole"'],
		[{ options: { startOn: 'later' } }, 'Options > Start Processing', '"start_request", "upload"'],
		[{ options: { webhookUrl: 'ftp://x' } }, 'Options > Webhook URL', 'http://'],
		[{ options: { outputBinaryPropertyName: '  ' } }, 'Options > Output Binary Field', 'not empty'],
		[{ outputSettings: { bbox: 'yes' } }, 'Output Settings > Bounding Boxes Only', 'true or false'],
		[
			{
				outputSettings: {
					ignoreAreas: { area: [{ topLeftX: -1, topLeftY: 0, width: 1, height: 1 }] },
				},
			},
			'Output Settings > Ignore Areas > Area 1 > Top Left X',
			'at least 0',
		],
		[
			{
				outputSettings: {
					ignoreAreas: { area: [{ topLeftX: 0, topLeftY: 0, width: 0, height: 1 }] },
				},
			},
			'Output Settings > Ignore Areas > Area 1 > Width',
			'at least 1',
		],
		[
			{ outputSettings: { ignoreAreas: { area: 'everything' } } },
			'Output Settings > Ignore Areas',
			'a list',
		],
		[{ outputSettings: { colour: 'red' } }, 'Output Settings > colour', 'not a setting'],
		[{ detectionSettings: 'strong' }, 'Detection Settings is "strong"', 'a set of options'],
		[{ anonymizationMethod: 'smudge' }, 'Anonymization Method', '"blacken", "blur", "pixelate"'],
		[{ objects: [] }, 'Objects to Anonymize', 'at least one of'],
		[{ objects: ['cat'] }, 'Objects to Anonymize', 'at least one of'],
	])('refuses %j naming the field', (parameters, field, allowed) => {
		const message = refusal({ objects: ['face'], ...parameters });
		expect(message).toContain(`Item 1: ${field}`);
		expect(message).toContain(allowed);
	});
});

interface NumberField {
	field: INodeProperties;
	parent: string;
}

/** Every number field of Create's collections, walked from the node's real description. */
function numberFields(): NumberField[] {
	const found = new Map<string, NumberField>();
	const visit = (list: INodeProperties[], parent: string) => {
		for (const property of list) {
			if (property.type === 'number')
				found.set(`${parent}>${property.name}`, { field: property, parent });
			if (property.type === 'collection')
				visit((property.options ?? []) as INodeProperties[], property.name);
			if (property.type === 'fixedCollection')
				for (const group of (property.options ?? []) as Array<{ values: INodeProperties[] }>)
					visit(group.values, property.name);
		}
	};
	const create = new Celantur().description.properties.filter((p) =>
		(p.displayOptions?.show?.operation as string[] | undefined)?.includes('create'),
	);
	visit(create, '');
	return [...found.values()];
}

/** The parameters that set one number field to `value`. */
function withNumber({ field, parent }: NumberField, value: number): IDataObject {
	if (parent === 'ignoreAreas') {
		const area = { topLeftX: 0, topLeftY: 0, width: 1, height: 1, [field.name]: value };
		return { objects: ['face'], outputSettings: { ignoreAreas: { area: [area] } } };
	}
	return { objects: ['face'], [parent]: { [field.name]: value } };
}

const accepted = (parameters: IDataObject) => {
	try {
		readSettings(settingsContext(parameters), 0, [...ALL]);
		return true;
	} catch {
		return false;
	}
};

describe('readSettings: number fields are checked to the range the editor offers', () => {
	const fields = numberFields();

	it('finds the number fields of every collection', () => {
		expect(fields.map(({ parent, field }) => `${parent}>${field.name}`)).toEqual(
			expect.arrayContaining([
				'options>pollInterval',
				'options>timeout',
				'outputSettings>quality',
				'detectionSettings>kernelSizeFace',
				'ignoreAreas>width',
			]),
		);
		expect(fields.length).toBe(22);
	});

	it.each(fields.map((entry) => [`${entry.parent} > ${entry.field.name}`, entry] as const))(
		'%s: both ends pass, just beyond them is refused',
		(_label, entry) => {
			const { minValue, maxValue, numberPrecision } = entry.field.typeOptions ?? {};
			expect(typeof minValue).toBe('number');
			const min = minValue as number;
			const step = numberPrecision === 0 ? 1 : 1e-6;
			expect(entry.field.default).toBeGreaterThanOrEqual(min);
			expect(accepted(withNumber(entry, min))).toBe(true);
			expect(accepted(withNumber(entry, min - step))).toBe(false);
			if (typeof maxValue === 'number') {
				expect(entry.field.default).toBeLessThanOrEqual(maxValue);
				expect(accepted(withNumber(entry, maxValue))).toBe(true);
				expect(accepted(withNumber(entry, maxValue + step))).toBe(false);
			}
			if (numberPrecision === 0) expect(accepted(withNumber(entry, min + 0.5))).toBe(false);
		},
	);
});
