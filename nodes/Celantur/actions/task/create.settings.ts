import type { IDataObject } from 'n8n-workflow';

import { checkHttpUrl } from '../../../shared/helpers/validate';
import { setting, type Setting } from './setting';

/**
 * Every setting of Create, one row each: the collection it is shown in, its editor field, its
 * request-body name exactly as the reference spells it (the styles are mixed on purpose: the API
 * refuses any other spelling) and, for numbers, its limits in the field's `typeOptions`. The
 * editor's collections, the checks, the error labels and the create body are all made from this
 * table (read-settings.ts). Rows without `api` steer the node and are never sent.
 */

// Tuning per object kind, written once per kind of setting.
const kernelSize = <N extends string>(
	object: string,
	name: N,
	api: string,
	dflt: number,
	unit: string,
) =>
	setting({
		in: 'detectionSettings',
		api,
		field: {
			displayName: `${object} Kernel Size`,
			name,
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1000, numberPrecision: 2 },
			default: dflt,
			description: `Blur strength for ${object.toLowerCase()}s: ${unit}. Larger blurs more. Celantur's default is ${dflt}.`,
		},
	});
const gradient = <N extends string>(
	object: string,
	name: N,
	api: string,
	end: 'Start' | 'Stop',
	dflt: number,
) =>
	setting({
		in: 'detectionSettings',
		api,
		field: {
			displayName: `${object} Gradient ${end}`,
			name,
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 2 },
			default: dflt,
			description: `Soft edge of the ${object.toLowerCase()} blur: ${end === 'Start' ? 'nothing is blurred outside the box grown' : 'the blur is full inside the box shrunk'} by this fraction of its size. Celantur's default is ${dflt}.`,
		},
	});
const threshold = <N extends string>(object: string, name: N, api: string, dflt: number) =>
	setting({
		in: 'detectionSettings',
		api,
		field: {
			displayName: `${object} Threshold`,
			name,
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: dflt,
			description: `Detection confidence (0 to 1) above which a ${object.toLowerCase()} is anonymized. Lower finds more, with more false alarms. Celantur's default is ${dflt}.`,
		},
	});
const RELATIVE = 'a fraction of the object’s size';
const PIXELS = 'a kernel size in pixels';

/** By size, not alphabetically: a person looks for the size of their camera's panoramas. */
const FORMATS = [
	{ name: 'Whole Image (Any Resolution)', value: 'whole' },
	{ name: 'Panorama 4096 × 2048', value: 'pano:4096' },
	{ name: 'Panorama 5400 × 2700', value: 'pano:5400' },
	{ name: 'Panorama 5640 × 2816', value: 'pano:5640' },
	{ name: 'Panorama 7060 × 3530', value: 'pano:7060' },
	{ name: 'Panorama 7680 × 3840', value: 'pano:7680' },
	{ name: 'Panorama 8000 × 4000', value: 'pano:8000' },
	{ name: 'Panorama 8192 × 4096', value: 'pano:8192' },
	{ name: 'Panorama 11000 × 5500', value: 'pano:11000' },
];

/** The object choices and the request-body flag the reference documents for each. */
const OBJECT_FLAGS: Record<string, string> = {
	face: 'face',
	licensePlate: 'license-plate',
	person: 'person',
	vehicle: 'vehicle',
};

export const CREATE_SETTINGS = [
	setting({
		in: 'main',
		api: 'anonymization_method',
		field: {
			displayName: 'Anonymization Method',
			name: 'anonymizationMethod',
			type: 'options',
			options: [
				{ name: 'Blacken', value: 'blacken', description: 'Solid black, nothing recoverable' },
				{ name: 'Blur', value: 'blur', description: 'Soft blur that keeps the scene readable' },
				{ name: 'Pixelate', value: 'pixelate', description: 'Coarse blocks' },
			],
			default: 'blur',
			description: 'How detected objects are made unrecognizable',
		},
	}),
	setting({
		in: 'main',
		api: (objects) =>
			Object.fromEntries((objects as string[]).map((object) => [OBJECT_FLAGS[object], true])),
		field: {
			displayName: 'Objects to Anonymize',
			name: 'objects',
			type: 'multiOptions',
			options: [
				{
					name: 'Face',
					value: 'face',
					description: 'Human faces, also small ones in the background',
				},
				{ name: 'License Plate', value: 'licensePlate', description: 'Vehicle license plates' },
				{ name: 'Person', value: 'person', description: 'Whole bodies' },
				{ name: 'Vehicle', value: 'vehicle', description: 'Whole vehicles' },
			],
			default: ['face', 'licensePlate'],
			required: true,
			description: 'What Celantur should find and anonymize; choose at least one',
		},
	}),

	// Options: how the node behaves (waiting, output, transfers, whom Celantur tells).
	setting({
		in: 'options',
		field: {
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
			default: 10,
			description:
				'How many images to upload or download at the same time; as many tasks are created ahead of their uploads, and as many status requests sent at once. Waiting is shared by all items whatever this is. Lower it if Celantur answers "Too Many Requests". Taken from the first item for the whole batch.',
		},
	}),
	setting({
		in: 'options',
		field: {
			displayName: 'Delete Files at Celantur After Download',
			name: 'deleteFilesAfterDownload',
			type: 'boolean',
			default: false,
			description:
				'Whether to delete the task’s images and detections at Celantur once they are downloaded, so nothing stays stored there. Used only when the result is downloaded; if the deletion fails, the item says so in "files_delete_error" and keeps its image.',
		},
	}),
	setting({
		in: 'options',
		field: {
			displayName: 'Include Detections',
			name: 'includeMetadata',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the detected objects (type, score, bounding box) as "detections" to the output; costs one request per image. Used only when the node waits for the task.',
		},
	}),
	setting({
		in: 'options',
		field: {
			displayName: 'Output Binary Field',
			name: 'outputBinaryPropertyName',
			type: 'string',
			default: 'anonymized',
			description:
				'The binary field to put the anonymized image in. Masks, when requested, go in "binarySegmentationMask" and "instanceSegmentationMask". The input binary fields are kept. Used only when the result is downloaded.',
		},
	}),
	setting({
		in: 'options',
		field: {
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 300, numberPrecision: 1 },
			default: 5,
			description:
				'How often to ask Celantur whether tasks have finished. Polling starts at 1 second and slows to this interval; many tasks waiting together share one request per round. Taken from the first item for the whole batch.',
		},
	}),
	setting({
		in: 'options',
		api: 'start_on',
		field: {
			displayName: 'Start Processing',
			name: 'startOn',
			type: 'options',
			options: [
				{
					name: 'On Start Request',
					value: 'start_request',
					description:
						'Wait for the Start operation; the node then returns after the upload without waiting',
				},
				{
					name: 'On Upload',
					value: 'upload',
					description: 'Start as soon as the image is uploaded',
				},
			],
			default: 'upload',
			description: 'When Celantur starts anonymizing the uploaded image',
		},
	}),
	setting({
		in: 'options',
		field: {
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 86400 },
			default: 600,
			description:
				'How long to wait for a task to finish before the item fails. The task keeps running at Celantur: the error names its ID so "Get Status" or "Download" can pick it up.',
		},
	}),
	setting({
		in: 'options',
		field: {
			displayName: 'Wait Mode',
			name: 'waitMode',
			type: 'options',
			options: [
				{
					name: 'Callback',
					value: 'callback',
					description:
						'The execution waits in n8n’s database, holding no worker and no execution time, until Celantur’s callbacks say every task has ended (or until Timeout). Needs n8n reachable from Celantur (WEBHOOK_URL).',
				},
				{
					name: 'Poll',
					value: 'poll',
					description: 'The execution runs while Celantur works and asks it how far the tasks are',
				},
			],
			default: 'poll',
			description:
				'How the node waits for Celantur. Callback suits long batches and busy Celantur queues; where Celantur cannot call back (a local n8n address, a tool) the node polls and says so. Taken from the first item for the whole batch.',
		},
	}),
	setting({
		in: 'options',
		api: 'webhook',
		check: checkHttpUrl,
		field: {
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/...',
			description:
				'Celantur POSTs to this URL when the task is done (not when it fails). Paste the Production URL of a Celantur Trigger node here (or its Test URL while trying it out).',
		},
	}),

	// Output Settings: what the anonymized result looks like.
	setting({
		in: 'outputSettings',
		api: 'binary_segmentation_mask',
		field: {
			displayName: 'Binary Segmentation Mask',
			name: 'binarySegmentationMask',
			type: 'boolean',
			default: false,
			description:
				'Whether to also produce a black-and-white PNG mask of every anonymized pixel (output field "binarySegmentationMask")',
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'bbox',
		field: {
			displayName: 'Bounding Boxes Only',
			name: 'bbox',
			type: 'boolean',
			default: false,
			description:
				'Whether to anonymize the whole rectangle around each object instead of its exact outline',
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'compress-level',
		field: {
			displayName: 'Compress Level (PNG)',
			name: 'compressLevel',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 9, numberPrecision: 0 },
			default: 5,
			description:
				'PNG compression of the anonymized image, 0 (none) to 9 (smallest file). Celantur’s default is 5.',
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'debug',
		field: {
			displayName: 'Debug Drawing',
			name: 'debug',
			type: 'boolean',
			default: false,
			description:
				'Whether to draw the bounding boxes and masks of detected objects onto the image, to check what was found',
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'format',
		field: {
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: FORMATS,
			default: 'whole',
			description:
				'The resolution of the input, so Celantur can use presets tuned for it. "Whole Image" suits any photo; pick a panorama size for 360° images of exactly that size.',
		},
	}),
	setting({
		in: 'outputSettings',
		// The API reads the areas as one JSON text.
		api: (areas) => ({ ignores: JSON.stringify(areas) }),
		field: {
			displayName: 'Ignore Areas',
			name: 'ignoreAreas',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Area',
			default: {},
			description:
				'Rectangles, in pixels from the top-left corner, where nothing is anonymized (e.g. a logo or a dashboard)',
			options: [
				{
					displayName: 'Area',
					name: 'area',
					values: [
						{
							displayName: 'Top Left X',
							name: 'topLeftX',
							type: 'number',
							typeOptions: { minValue: 0, numberPrecision: 0 },
							default: 0,
						},
						{
							displayName: 'Top Left Y',
							name: 'topLeftY',
							type: 'number',
							typeOptions: { minValue: 0, numberPrecision: 0 },
							default: 0,
						},
						{
							displayName: 'Width',
							name: 'width',
							type: 'number',
							typeOptions: { minValue: 1, numberPrecision: 0 },
							default: 100,
						},
						{
							displayName: 'Height',
							name: 'height',
							type: 'number',
							typeOptions: { minValue: 1, numberPrecision: 0 },
							default: 100,
						},
					],
				},
			],
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'instance_segmentation_mask',
		field: {
			displayName: 'Instance Segmentation Mask',
			name: 'instanceSegmentationMask',
			type: 'boolean',
			default: false,
			description:
				'Whether to also produce a PNG mask with a distinct shade per detected object (output field "instanceSegmentationMask")',
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'mask-scale',
		field: {
			displayName: 'Mask Scale (%)',
			name: 'maskScale',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
			default: 100,
			description:
				'Size of the mask images as a percentage of the input’s size. Celantur’s default is 100.',
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'score',
		field: {
			displayName: 'Print Scores',
			name: 'score',
			type: 'boolean',
			default: false,
			description:
				'Whether to print detection scores on the image; works only with Debug Drawing on',
		},
	}),
	setting({
		in: 'outputSettings',
		api: 'quality',
		field: {
			displayName: 'Quality (JPEG)',
			name: 'quality',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 0 },
			default: 90,
			description: 'JPEG quality of the anonymized image, 0 to 100. Celantur’s default is 90.',
		},
	}),

	// Detection Settings: how sure Celantur must be, and how strongly each kind is blurred.
	gradient('Face', 'faceGradientStart', 'face-anonymization-gradient-start', 'Start', 0.3),
	gradient('Face', 'faceGradientStop', 'face-anonymization-gradient-stop', 'Stop', 0),
	kernelSize('Face', 'kernelSizeFace', 'kernel-size-face', 0.35, RELATIVE),
	threshold('Face', 'faceThreshold', 'face_threshold', 0.5),
	gradient(
		'License Plate',
		'licensePlateGradientStart',
		'license-plate-anonymization-gradient-start',
		'Start',
		0.3,
	),
	gradient(
		'License Plate',
		'licensePlateGradientStop',
		'license-plate-anonymization-gradient-stop',
		'Stop',
		0,
	),
	kernelSize('License Plate', 'kernelSizeLicensePlate', 'kernel-size-license-plate', 0.5, RELATIVE),
	threshold('License Plate', 'licensePlateThreshold', 'license_plate_threshold', 0.5),
	kernelSize('Person', 'kernelSizePerson', 'kernel-size-person', 95, PIXELS),
	threshold('Person', 'personThreshold', 'person_threshold', 0.4),
	kernelSize('Vehicle', 'kernelSizeVehicle', 'kernel-size-vehicle', 61, PIXELS),
	threshold('Vehicle', 'vehicleThreshold', 'vehicle_threshold', 0.4),
] satisfies Setting[];

export type CreateSettingName = (typeof CREATE_SETTINGS)[number]['field']['name'];

/** Whether a create body asks for masks: only the full task lists their links. */
export function asksForMasks(body: IDataObject): boolean {
	return body.binary_segmentation_mask === true || body.instance_segmentation_mask === true;
}
