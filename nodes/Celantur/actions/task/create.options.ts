import type { INodeProperties } from 'n8n-workflow';

import { FORMATS } from '../../helpers/create-body';
import {
	concurrencyOption,
	deleteFilesOption,
	includeMetadataOption,
	outputBinaryPropertyOption,
	pollIntervalOption,
	timeoutOption,
} from './fields';

const FORMAT_LABELS: Record<(typeof FORMATS)[number], string> = {
	whole: 'Whole Image (Any Resolution)',
	'pano:4096': 'Panorama 4096 x 2048',
	'pano:5400': 'Panorama 5400 x 2700',
	'pano:5640': 'Panorama 5640 x 2816',
	'pano:7060': 'Panorama 7060 x 3530',
	'pano:7680': 'Panorama 7680 x 3840',
	'pano:8000': 'Panorama 8000 x 4000',
	'pano:8192': 'Panorama 8192 x 4096',
	'pano:11000': 'Panorama 11000 x 5500',
};

const kernelSize = (object: string, name: string, apiDefault: number, unit: string): INodeProperties => ({
	displayName: `${object} Kernel Size`,
	name,
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 2 },
	default: apiDefault,
	description: `Blur strength for ${object.toLowerCase()}s: ${unit}. Larger blurs more. Celantur's default is ${apiDefault}.`,
});

const gradient = (object: string, name: string, end: 'Start' | 'Stop', apiDefault: number): INodeProperties => ({
	displayName: `${object} Gradient ${end}`,
	name,
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 2 },
	default: apiDefault,
	description:
		end === 'Start'
			? `Soft edge of the ${object.toLowerCase()} blur: nothing is blurred outside the box grown by this fraction of its size. Celantur's default is ${apiDefault}.`
			: `Soft edge of the ${object.toLowerCase()} blur: the blur is full inside the box shrunk by this fraction of its size. Celantur's default is ${apiDefault}.`,
});

const threshold = (object: string, name: string, apiDefault: number): INodeProperties => ({
	displayName: `${object} Threshold`,
	name,
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
	default: apiDefault,
	description: `Detection confidence (0 to 1) above which a ${object.toLowerCase()} is anonymized. Lower finds more, with more false alarms. Celantur's default is ${apiDefault}.`,
});

const RELATIVE = 'a fraction of the object’s size';
const PIXELS = 'a kernel size in pixels';

/** The create operation's options: task settings (sent only when added) and how the node waits. */
export const createOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Binary Segmentation Mask',
			name: 'binarySegmentationMask',
			type: 'boolean',
			default: false,
			description: 'Whether to also produce a black-and-white PNG mask of every anonymized pixel (output field "binarySegmentationMask")',
		},
		{
			displayName: 'Bounding Boxes Only',
			name: 'bbox',
			type: 'boolean',
			default: false,
			description: 'Whether to anonymize the whole rectangle around each object instead of its exact outline',
		},
		{
			displayName: 'Compress Level (PNG)',
			name: 'compressLevel',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 9 },
			default: 5,
			description: 'PNG compression of the anonymized image, 0 (none) to 9 (smallest file). Celantur’s default is 5.',
		},
		concurrencyOption,
		{
			displayName: 'Debug Drawing',
			name: 'debug',
			type: 'boolean',
			default: false,
			description: 'Whether to draw the bounding boxes and masks of detected objects onto the image, to check what was found',
		},
		deleteFilesOption,
		gradient('Face', 'faceGradientStart', 'Start', 0.3),
		gradient('Face', 'faceGradientStop', 'Stop', 0),
		kernelSize('Face', 'kernelSizeFace', 0.35, RELATIVE),
		threshold('Face', 'faceThreshold', 0.5),
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: FORMATS.map((value) => ({ name: FORMAT_LABELS[value], value })),
			default: 'whole',
			description:
				'The resolution of the input, so Celantur can use presets tuned for it. "Whole Image" suits any photo; pick a panorama size for 360° images of exactly that size.',
		},
		{
			displayName: 'Ignore Areas',
			name: 'ignoreAreas',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Area',
			default: {},
			description: 'Rectangles, in pixels from the top-left corner, where nothing is anonymized (e.g. a logo or a dashboard)',
			options: [
				{
					displayName: 'Area',
					name: 'area',
					values: [
						{ displayName: 'Top Left X', name: 'topLeftX', type: 'number', typeOptions: { minValue: 0 }, default: 0 },
						{ displayName: 'Top Left Y', name: 'topLeftY', type: 'number', typeOptions: { minValue: 0 }, default: 0 },
						{ displayName: 'Width', name: 'width', type: 'number', typeOptions: { minValue: 1 }, default: 100 },
						{ displayName: 'Height', name: 'height', type: 'number', typeOptions: { minValue: 1 }, default: 100 },
					],
				},
			],
		},
		includeMetadataOption,
		{
			displayName: 'Instance Segmentation Mask',
			name: 'instanceSegmentationMask',
			type: 'boolean',
			default: false,
			description: 'Whether to also produce a PNG mask with a distinct shade per detected object (output field "instanceSegmentationMask")',
		},
		gradient('License Plate', 'licensePlateGradientStart', 'Start', 0.3),
		gradient('License Plate', 'licensePlateGradientStop', 'Stop', 0),
		kernelSize('License Plate', 'kernelSizeLicensePlate', 0.5, RELATIVE),
		threshold('License Plate', 'licensePlateThreshold', 0.5),
		{
			displayName: 'Mask Scale (%)',
			name: 'maskScale',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 100,
			description: 'Size of the mask images as a percentage of the input’s size. Celantur’s default is 100.',
		},
		outputBinaryPropertyOption,
		kernelSize('Person', 'kernelSizePerson', 95, PIXELS),
		threshold('Person', 'personThreshold', 0.4),
		pollIntervalOption,
		{
			displayName: 'Print Scores',
			name: 'score',
			type: 'boolean',
			default: false,
			description: 'Whether to print detection scores on the image; works only with Debug Drawing on',
		},
		{
			displayName: 'Quality (JPEG)',
			name: 'quality',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 90,
			description: 'JPEG quality of the anonymized image, 0 to 100. Celantur’s default is 90.',
		},
		{
			displayName: 'Start Processing',
			name: 'startOn',
			type: 'options',
			options: [
				{ name: 'On Upload', value: 'upload', description: 'Start as soon as the image is uploaded' },
				{
					name: 'On Start Request',
					value: 'start_request',
					description: 'Wait for the Start operation; the node then returns after the upload without waiting',
				},
			],
			default: 'upload',
			description: 'When Celantur starts anonymizing the uploaded image',
		},
		timeoutOption,
		kernelSize('Vehicle', 'kernelSizeVehicle', 61, PIXELS),
		threshold('Vehicle', 'vehicleThreshold', 0.4),
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/...',
			description:
				'Celantur POSTs to this URL when the task is done (not when it fails). Paste the Production URL of a Celantur Trigger node here.',
		},
	],
};
