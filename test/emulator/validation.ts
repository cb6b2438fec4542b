import type { IgnoreArea, TaskSettings } from './types';

type Spec =
	| { kind: 'boolean' }
	| { kind: 'enum'; values: readonly string[] }
	| { kind: 'number'; min: number; max: number; integer?: boolean; exclusiveMin?: boolean }
	| { kind: 'webhook' }
	| { kind: 'ignores' };

type SettingKey = keyof TaskSettings;

const bool: Spec = { kind: 'boolean' };
const unit: Spec = { kind: 'number', min: 0, max: 1 };
const kernel: Spec = { kind: 'number', min: 0, max: 1000, exclusiveMin: true };

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

/** The request-body names of the reference, exactly; the name answered with is `field`. */
export const CREATE_PARAMETERS: Readonly<Record<string, { field: SettingKey; spec: Spec }>> = {
	anonymization_method: {
		field: 'anonymization_method',
		spec: { kind: 'enum', values: ['blur', 'pixelate', 'blacken'] },
	},
	face: { field: 'face', spec: bool },
	'license-plate': { field: 'license_plate', spec: bool },
	person: { field: 'person', spec: bool },
	vehicle: { field: 'vehicle', spec: bool },
	debug: { field: 'debug', spec: bool },
	score: { field: 'score', spec: bool },
	format: { field: 'format', spec: { kind: 'enum', values: FORMATS } },
	bbox: { field: 'bbox', spec: bool },
	ignores: { field: 'ignores', spec: { kind: 'ignores' } },
	webhook: { field: 'webhook', spec: { kind: 'webhook' } },
	start_on: { field: 'start_on', spec: { kind: 'enum', values: ['upload', 'start_request'] } },
	binary_segmentation_mask: { field: 'binary_segmentation_mask', spec: bool },
	instance_segmentation_mask: { field: 'instance_segmentation_mask', spec: bool },
	'mask-scale': { field: 'mask_scale', spec: { kind: 'number', min: 0, max: 100 } },
	quality: { field: 'quality', spec: { kind: 'number', min: 0, max: 100, integer: true } },
	'compress-level': {
		field: 'compress_level',
		spec: { kind: 'number', min: 0, max: 9, integer: true },
	},
	'kernel-size-face': { field: 'kernel_size_face', spec: kernel },
	'kernel-size-person': { field: 'kernel_size_person', spec: kernel },
	'kernel-size-license-plate': { field: 'kernel_size_license_plate', spec: kernel },
	'kernel-size-vehicle': { field: 'kernel_size_vehicle', spec: kernel },
	'face-anonymization-gradient-start': { field: 'face_anonymization_gradient_start', spec: unit },
	'face-anonymization-gradient-stop': { field: 'face_anonymization_gradient_stop', spec: unit },
	'license-plate-anonymization-gradient-start': {
		field: 'license_plate_anonymization_gradient_start',
		spec: unit,
	},
	'license-plate-anonymization-gradient-stop': {
		field: 'license_plate_anonymization_gradient_stop',
		spec: unit,
	},
	face_threshold: { field: 'face_threshold', spec: unit },
	vehicle_threshold: { field: 'vehicle_threshold', spec: unit },
	person_threshold: { field: 'person_threshold', spec: unit },
	license_plate_threshold: { field: 'license_plate_threshold', spec: unit },
};

/** Defaults of the reference's request-body table. */
export const DEFAULT_SETTINGS: Readonly<Omit<TaskSettings, 'anonymization_method'>> = {
	face: false,
	license_plate: false,
	person: false,
	vehicle: false,
	debug: false,
	score: false,
	format: 'whole',
	bbox: false,
	ignores: '',
	webhook: null,
	start_on: 'upload',
	binary_segmentation_mask: false,
	instance_segmentation_mask: false,
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
	face_threshold: 0.5,
	vehicle_threshold: 0.4,
	person_threshold: 0.4,
	license_plate_threshold: 0.5,
};

export type CreateValidation =
	{ ok: true; settings: TaskSettings; ignoreAreas: IgnoreArea[] } | { ok: false; error: string };

const PREFIX = 'Could not create task.';
const fail = (error: string): CreateValidation => ({ ok: false, error: `${PREFIX} ${error}` });

/**
 * Validates the raw body of `POST /v2/task`. Problems are reported one at a time, in the
 * body's key order, then the required fields, so a client sees the same first error each time.
 */
export function validateCreateBody(raw: Buffer): CreateValidation {
	const text = raw.toString('utf8');
	if (text.trim() === '') return fail('Please add a JSON body.');
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch (error) {
		return fail(`Request body is not correct. ${(error as Error).message}`);
	}
	// The real service tests the body for truthiness: null, {} and [] count as no body.
	if (
		body === null ||
		body === false ||
		(typeof body === 'object' && Object.keys(body).length === 0)
	) {
		return fail('Please add a JSON body.');
	}
	if (typeof body !== 'object' || Array.isArray(body)) {
		return fail('Request body is not correct. The body must be a JSON object.');
	}

	const values: Record<string, unknown> = {};
	let ignoreAreas: IgnoreArea[] = [];
	for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
		const parameter = Object.prototype.hasOwnProperty.call(CREATE_PARAMETERS, name)
			? CREATE_PARAMETERS[name]
			: undefined;
		if (!parameter)
			return fail(`${name} parameter caused an error. This parameter does not exist.`);
		const problem = checkValue(parameter.spec, value);
		if (problem === 'unexpected') return fail(`${name} parameter received an unexpected value.`);
		if (problem) return fail(`${name} parameter value caused an error. ${problem}`);
		if (parameter.spec.kind === 'ignores') ignoreAreas = parseIgnores(value as string) ?? [];
		values[parameter.field] = value;
	}

	if (values.anonymization_method === undefined) {
		return fail('Request body is not correct. anonymization_method is a required parameter.');
	}
	if (!values.face && !values.license_plate && !values.person && !values.vehicle) {
		return fail(
			'Request body is not correct. At least one of face, license-plate, person or vehicle has to be true.',
		);
	}
	const settings = { ...DEFAULT_SETTINGS, ...values } as TaskSettings;
	return { ok: true, settings, ignoreAreas };
}

/** undefined when fine, 'unexpected' for a wrong type or enum value, else the cause. */
function checkValue(spec: Spec, value: unknown): 'unexpected' | string | undefined {
	switch (spec.kind) {
		case 'boolean':
			return typeof value === 'boolean' ? undefined : 'unexpected';
		case 'enum':
			return typeof value === 'string' && spec.values.includes(value) ? undefined : 'unexpected';
		case 'number': {
			if (typeof value !== 'number' || !Number.isFinite(value)) return 'unexpected';
			if (spec.integer && !Number.isInteger(value)) return 'Value must be an integer.';
			const belowMin = spec.exclusiveMin ? value <= spec.min : value < spec.min;
			if (belowMin || value > spec.max) {
				return spec.exclusiveMin
					? `Value must be greater than ${spec.min} and at most ${spec.max}.`
					: `Value must be between ${spec.min} and ${spec.max}.`;
			}
			return undefined;
		}
		case 'webhook': {
			if (typeof value !== 'string') return 'unexpected';
			try {
				const url = new URL(value);
				if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
			} catch {
				// fall through to the cause below
			}
			return 'The webhook has to be a valid http(s) URL.';
		}
		case 'ignores': {
			if (typeof value !== 'string') return 'unexpected';
			if (value === '') return undefined;
			return parseIgnores(value)
				? undefined
				: 'ignores has to be a JSON list of objects with the numbers topLeftX, topLeftY, width and height.';
		}
	}
}

const IGNORE_KEYS = ['topLeftX', 'topLeftY', 'width', 'height'];

export function parseIgnores(text: string): IgnoreArea[] | undefined {
	if (text === '') return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!Array.isArray(parsed)) return undefined;
	const areas: IgnoreArea[] = [];
	for (const item of parsed) {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
		const record = item as Record<string, unknown>;
		const keys = Object.keys(record);
		if (keys.length !== IGNORE_KEYS.length || !IGNORE_KEYS.every((key) => keys.includes(key)))
			return undefined;
		if (
			!IGNORE_KEYS.every((key) => typeof record[key] === 'number' && Number.isFinite(record[key]))
		)
			return undefined;
		const area = record as unknown as IgnoreArea;
		if (area.topLeftX < 0 || area.topLeftY < 0 || area.width <= 0 || area.height <= 0)
			return undefined;
		areas.push(area);
	}
	return areas;
}
