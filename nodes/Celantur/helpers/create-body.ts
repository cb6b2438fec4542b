import type { IDataObject } from 'n8n-workflow';

import { NODE_OPTION_LABELS } from './defaults';
import { checkBoolean, checkChoice, checkHttpUrl, checkNumber, type Checked } from '../../shared/helpers/validate';

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
const number = (min: number, max: number, integer = false): Rule => (v) => checkNumber(v, min, max, integer);
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
	maskScale: { api: 'mask-scale', rule: number(1, 100, true) },
	quality: { api: 'quality', rule: number(0, 100, true) },
	compressLevel: { api: 'compress-level', rule: number(0, 9, true) },
	kernelSizeFace: { api: 'kernel-size-face', rule: number(0, 1000) },
	kernelSizePerson: { api: 'kernel-size-person', rule: number(0, 1000) },
	kernelSizeLicensePlate: { api: 'kernel-size-license-plate', rule: number(0, 1000) },
	kernelSizeVehicle: { api: 'kernel-size-vehicle', rule: number(0, 1000) },
	faceGradientStart: { api: 'face-anonymization-gradient-start', rule: number(0, 10) },
	faceGradientStop: { api: 'face-anonymization-gradient-stop', rule: number(0, 10) },
	licensePlateGradientStart: { api: 'license-plate-anonymization-gradient-start', rule: number(0, 10) },
	licensePlateGradientStop: { api: 'license-plate-anonymization-gradient-stop', rule: number(0, 10) },
	faceThreshold: { api: 'face_threshold', rule: number(0, 1) },
	personThreshold: { api: 'person_threshold', rule: number(0, 1) },
	licensePlateThreshold: { api: 'license_plate_threshold', rule: number(0, 1) },
	vehicleThreshold: { api: 'vehicle_threshold', rule: number(0, 1) },
};

const AREA_LABELS = { topLeftX: 'Top Left X', topLeftY: 'Top Left Y', width: 'Width', height: 'Height' } as const;
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
	if (!Array.isArray(areas)) throw new BodyError('ignoreAreas', value, 'it must be a list of areas');
	if (areas.length === 0) return undefined;
	const cleaned = areas.map((area: unknown, index) => {
		const entry: Record<string, number> = {};
		for (const key of AREA_KEYS) {
			const raw = (area as IDataObject | null)?.[key];
			const min = key === 'width' || key === 'height' ? 1 : 0;
			entry[key] = take(`ignoreAreas > Area ${index + 1} > ${AREA_LABELS[key]}`, raw, checkNumber(raw, min, Infinity, true));
		}
		return entry;
	});
	return JSON.stringify(cleaned);
}

/**
 * The create body from the node's parameters: only what the user set is sent, so the API's own
 * defaults hold for the rest. A bad value gives a BodyError naming the field.
 */
export function buildCreateBody(anonymizationMethod: unknown, objects: unknown, options: IDataObject): IDataObject | BodyError {
	try {
		return collectBody(anonymizationMethod, objects, options);
	} catch (error) {
		if (error instanceof BodyError) return error;
		return new BodyError('Options', options, `they could not be read (${String(error)})`);
	}
}

function collectBody(anonymizationMethod: unknown, objects: unknown, options: IDataObject): IDataObject {
	const body: IDataObject = {
		anonymization_method: take('Anonymization Method', anonymizationMethod, checkChoice(anonymizationMethod, ANONYMIZATION_METHODS)),
	};
	const selected = Array.isArray(objects) ? objects : typeof objects === 'string' ? objects.split(',').map((o) => o.trim()) : undefined;
	if (!selected || selected.length === 0) {
		throw new BodyError('Objects to Anonymize', objects, 'at least one of face, licensePlate, person, vehicle must be chosen');
	}
	for (const object of selected) {
		const key = take('Objects to Anonymize', object, checkChoice(object, OBJECT_TYPES));
		body[OBJECT_FIELDS[key]] = true;
	}
	for (const [name, value] of Object.entries(options)) {
		if (Object.prototype.hasOwnProperty.call(NODE_OPTION_LABELS, name) || value === undefined || value === null || value === '') continue;
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
