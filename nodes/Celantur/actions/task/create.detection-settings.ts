import type { INodeProperties } from 'n8n-workflow';

import { boundsTypeOptions, type BoundedOption } from '../../helpers/option-bounds';

const kernelSize = (
	object: string,
	name: BoundedOption,
	apiDefault: number,
	unit: string,
): INodeProperties => ({
	displayName: `${object} Kernel Size`,
	name,
	type: 'number',
	typeOptions: boundsTypeOptions(name),
	default: apiDefault,
	description: `Blur strength for ${object.toLowerCase()}s: ${unit}. Larger blurs more. Celantur's default is ${apiDefault}.`,
});

const gradient = (
	object: string,
	name: BoundedOption,
	end: 'Start' | 'Stop',
	apiDefault: number,
): INodeProperties => ({
	displayName: `${object} Gradient ${end}`,
	name,
	type: 'number',
	typeOptions: boundsTypeOptions(name),
	default: apiDefault,
	description:
		end === 'Start'
			? `Soft edge of the ${object.toLowerCase()} blur: nothing is blurred outside the box grown by this fraction of its size. Celantur's default is ${apiDefault}.`
			: `Soft edge of the ${object.toLowerCase()} blur: the blur is full inside the box shrunk by this fraction of its size. Celantur's default is ${apiDefault}.`,
});

const threshold = (object: string, name: BoundedOption, apiDefault: number): INodeProperties => ({
	displayName: `${object} Threshold`,
	name,
	type: 'number',
	typeOptions: boundsTypeOptions(name),
	default: apiDefault,
	description: `Detection confidence (0 to 1) above which a ${object.toLowerCase()} is anonymized. Lower finds more, with more false alarms. Celantur's default is ${apiDefault}.`,
});

const RELATIVE = 'a fraction of the object’s size';
const PIXELS = 'a kernel size in pixels';

/** Per-object tuning of detection and blur; each is sent only when added, so Celantur's default holds otherwise. */
export const detectionSettings: INodeProperties = {
	displayName: 'Detection Settings',
	name: 'detectionSettings',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	description:
		'How sure Celantur must be before it anonymizes an object, and how strongly it blurs each kind of object',
	options: [
		gradient('Face', 'faceGradientStart', 'Start', 0.3),
		gradient('Face', 'faceGradientStop', 'Stop', 0),
		kernelSize('Face', 'kernelSizeFace', 0.35, RELATIVE),
		threshold('Face', 'faceThreshold', 0.5),
		gradient('License Plate', 'licensePlateGradientStart', 'Start', 0.3),
		gradient('License Plate', 'licensePlateGradientStop', 'Stop', 0),
		kernelSize('License Plate', 'kernelSizeLicensePlate', 0.5, RELATIVE),
		threshold('License Plate', 'licensePlateThreshold', 0.5),
		kernelSize('Person', 'kernelSizePerson', 95, PIXELS),
		threshold('Person', 'personThreshold', 0.4),
		kernelSize('Vehicle', 'kernelSizeVehicle', 61, PIXELS),
		threshold('Vehicle', 'vehicleThreshold', 0.4),
	],
};
