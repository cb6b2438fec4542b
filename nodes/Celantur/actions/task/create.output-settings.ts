import type { INodeProperties } from 'n8n-workflow';

import { FORMATS } from '../../helpers/create-body';
import { boundsTypeOptions } from '../../helpers/option-bounds';

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

/** What the anonymized result looks like; each is sent only when added, so Celantur's default holds otherwise. */
export const outputSettings: INodeProperties = {
	displayName: 'Output Settings',
	name: 'outputSettings',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	description:
		'What the anonymized image looks like: format, quality, masks, areas to leave alone, debug drawing',
	options: [
		{
			displayName: 'Binary Segmentation Mask',
			name: 'binarySegmentationMask',
			type: 'boolean',
			default: false,
			description:
				'Whether to also produce a black-and-white PNG mask of every anonymized pixel (output field "binarySegmentationMask")',
		},
		{
			displayName: 'Bounding Boxes Only',
			name: 'bbox',
			type: 'boolean',
			default: false,
			description:
				'Whether to anonymize the whole rectangle around each object instead of its exact outline',
		},
		{
			displayName: 'Compress Level (PNG)',
			name: 'compressLevel',
			type: 'number',
			typeOptions: boundsTypeOptions('compressLevel'),
			default: 5,
			description:
				'PNG compression of the anonymized image, 0 (none) to 9 (smallest file). Celantur’s default is 5.',
		},
		{
			displayName: 'Debug Drawing',
			name: 'debug',
			type: 'boolean',
			default: false,
			description:
				'Whether to draw the bounding boxes and masks of detected objects onto the image, to check what was found',
		},
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
							typeOptions: boundsTypeOptions('topLeftX'),
							default: 0,
						},
						{
							displayName: 'Top Left Y',
							name: 'topLeftY',
							type: 'number',
							typeOptions: boundsTypeOptions('topLeftY'),
							default: 0,
						},
						{
							displayName: 'Width',
							name: 'width',
							type: 'number',
							typeOptions: boundsTypeOptions('width'),
							default: 100,
						},
						{
							displayName: 'Height',
							name: 'height',
							type: 'number',
							typeOptions: boundsTypeOptions('height'),
							default: 100,
						},
					],
				},
			],
		},
		{
			displayName: 'Instance Segmentation Mask',
			name: 'instanceSegmentationMask',
			type: 'boolean',
			default: false,
			description:
				'Whether to also produce a PNG mask with a distinct shade per detected object (output field "instanceSegmentationMask")',
		},
		{
			displayName: 'Mask Scale (%)',
			name: 'maskScale',
			type: 'number',
			typeOptions: boundsTypeOptions('maskScale'),
			default: 100,
			description:
				'Size of the mask images as a percentage of the input’s size. Celantur’s default is 100.',
		},
		{
			displayName: 'Print Scores',
			name: 'score',
			type: 'boolean',
			default: false,
			description:
				'Whether to print detection scores on the image; works only with Debug Drawing on',
		},
		{
			displayName: 'Quality (JPEG)',
			name: 'quality',
			type: 'number',
			typeOptions: boundsTypeOptions('quality'),
			default: 90,
			description: 'JPEG quality of the anonymized image, 0 to 100. Celantur’s default is 90.',
		},
	],
};
