import type { IDataObject } from 'n8n-workflow';

import {
	checkBoolean,
	checkChoice,
	checkHttpUrl,
	type Checked,
} from '../../shared/helpers/validate';
import { NODE_OPTIONS } from './defaults';
import { checkBounded, type BoundedOption } from './option-bounds';

export const ANONYMIZATION_METHODS = ['blur', 'pixelate', 'blacken'] as const;
export const OBJECT_TYPES = ['face', 'licensePlate', 'person', 'vehicle'] as const;
export const FORMATS = [
	'whole',
	'pano:4096',
	'pano:5400',
	'pano:5640',
	'pano:7060',
	'pano:7680',
	'pano:8000',
	'pano:8192',
	'pano:11000',
] as const;
export const START_ON = ['upload', 'start_request'] as const;

/** The object multi-select values and the request-body names the reference documents for them. */
const OBJECT_FIELDS: Record<(typeof OBJECT_TYPES)[number], string> = {
	face: 'face',
	licensePlate: 'license-plate',
	person: 'person',
	vehicle: 'vehicle',
};

type Rule = (value: unknown) => Checked<unknown>;
const bounded =
	(name: BoundedOption): Rule =>
	(v) =>
		checkBounded(name, v);
const boolean: Rule = checkBoolean;

/**
 * Every create option, its request-body name exactly as the reference's table spells it (the
 * styles are mixed on purpose: the API refuses any other spelling), and its rule.
 */
const OPTION_FIELDS: Record<string, { api: string; rule: Rule }> = {
	format: { api: 'format', rule: (v) => checkChoice(v, FORMATS) },
	bbox: { api: 'bbox', rule: boolean },
	debug: { api: 'debug', rule: boolean },
	score: { api: 'score', rule: boolean },
	webhookUrl: { api: 'webhook', rule: checkHttpUrl },
	startOn: { api: 'start_on', rule: (v) => checkChoice(v, START_ON) },
	binarySegmentationMask: { api: 'binary_segmentation_mask', rule: boolean },
	instanceSegmentationMask: { api: 'instance_segmentation_mask', rule: boolean },
	maskScale: { api: 'mask-scale', rule: bounded('maskScale') },
	quality: { api: 'quality', rule: bounded('quality') },
	compressLevel: { api: 'compress-level', rule: bounded('compressLevel') },
	kernelSizeFace: { api: 'kernel-size-face', rule: bounded('kernelSizeFace') },
	kernelSizePerson: { api: 'kernel-size-person', rule: bounded('kernelSizePerson') },
	kernelSizeLicensePlate: {
		api: 'kernel-size-license-plate',
		rule: bounded('kernelSizeLicensePlate'),
	},
	kernelSizeVehicle: { api: 'kernel-size-vehicle', rule: bounded('kernelSizeVehicle') },
	faceGradientStart: {
		api: 'face-anonymization-gradient-start',
		rule: bounded('faceGradientStart'),
	},
	faceGradientStop: { api: 'face-anonymization-gradient-stop', rule: bounded('faceGradientStop') },
	licensePlateGradientStart: {
		api: 'license-plate-anonymization-gradient-start',
		rule: bounded('licensePlateGradientStart'),
	},
	licensePlateGradientStop: {
		api: 'license-plate-anonymization-gradient-stop',
		rule: bounded('licensePlateGradientStop'),
	},
	faceThreshold: { api: 'face_threshold', rule: bounded('faceThreshold') },
	personThreshold: { api: 'person_threshold', rule: bounded('personThreshold') },
	licensePlateThreshold: { api: 'license_plate_threshold', rule: bounded('licensePlateThreshold') },
	vehicleThreshold: { api: 'vehicle_threshold', rule: bounded('vehicleThreshold') },
};

const AREA_LABELS = {
	topLeftX: 'Top Left X',
	topLeftY: 'Top Left Y',
	width: 'Width',
	height: 'Height',
} as const;
const AREA_KEYS = Object.keys(AREA_LABELS) as Array<keyof typeof AREA_LABELS>;

export class BodyError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		readonly allowed: string,
	) {
		super(`${field}: ${allowed}`);
	}
}

function take<T>(field: string, value: unknown, checked: Checked<T>): T {
	if (!checked.ok) throw new BodyError(field, value, checked.allowed);
	return checked.value;
}

/** `ignoreAreas.area` (a fixedCollection) becomes the `ignores` JSON text the API reads. */
function ignoresFrom(value: unknown): string | undefined {
	const areas = (value as { area?: unknown } | undefined)?.area;
	if (areas === undefined) return undefined;
	if (!Array.isArray(areas))
		throw new BodyError('ignoreAreas', value, 'it must be a list of areas');
	if (areas.length === 0) return undefined;
	const cleaned = areas.map((area: unknown, index) => {
		const entry: Record<string, number> = {};
		for (const key of AREA_KEYS) {
			const raw = (area as IDataObject | null)?.[key];
			entry[key] = take(
				`ignoreAreas > Area ${index + 1} > ${AREA_LABELS[key]}`,
				raw,
				checkBounded(key, raw),
			);
		}
		return entry;
	});
	return JSON.stringify(cleaned);
}

/**
 * The create body from the node's parameters: only what the user set is sent, so the API's own
 * defaults hold for the rest. A bad value gives a BodyError naming the field.
 */
export function buildCreateBody(
	anonymizationMethod: unknown,
	objects: unknown,
	options: IDataObject,
): IDataObject | BodyError {
	try {
		return collectBody(anonymizationMethod, objects, options);
	} catch (error) {
		if (error instanceof BodyError) return error;
		return new BodyError('Options', options, `they could not be read (${String(error)})`);
	}
}

function collectBody(
	anonymizationMethod: unknown,
	objects: unknown,
	options: IDataObject,
): IDataObject {
	const body: IDataObject = {
		anonymization_method: take(
			'Anonymization Method',
			anonymizationMethod,
			checkChoice(anonymizationMethod, ANONYMIZATION_METHODS),
		),
	};
	const selected = Array.isArray(objects)
		? objects
		: typeof objects === 'string'
			? objects.split(',').map((o) => o.trim())
			: undefined;
	if (!selected || selected.length === 0) {
		throw new BodyError(
			'Objects to Anonymize',
			objects,
			'at least one of face, licensePlate, person, vehicle must be chosen',
		);
	}
	for (const object of selected) {
		const key = take('Objects to Anonymize', object, checkChoice(object, OBJECT_TYPES));
		body[OBJECT_FIELDS[key]] = true;
	}
	for (const [name, value] of Object.entries(options)) {
		if (
			(NODE_OPTIONS as readonly string[]).includes(name) ||
			value === undefined ||
			value === null ||
			value === ''
		)
			continue;
		if (name === 'ignoreAreas') {
			const ignores = ignoresFrom(value);
			if (ignores !== undefined) body.ignores = ignores;
			continue;
		}
		const field = OPTION_FIELDS[name];
		if (!field) throw new BodyError(name, value, 'it is not an option of Celantur tasks');
		body[field.api] = take(name, value, field.rule(value)) as IDataObject[string];
	}
	return body;
}
