import { yieldToEventLoop } from '../clock';
import type { Detection, FailureCause, IgnoreArea, ObjectType, TaskSettings } from '../types';
import { anonymize } from './anonymize';
import { decode, encodeJpeg, encodePng, type DecodedImage } from './codec';
import { TYPE_CODE } from './colorkey';
import { drawDebug } from './debug';
import { detectObjects } from './detect';
import { renderMask } from './masks';
import { Shape, isFullyIgnored } from './shape';

export type PipelineResult =
	| {
			ok: true;
			output: Buffer;
			contentType: 'image/jpeg' | 'image/png';
			width: number;
			height: number;
			detections: Detection[];
			binaryMask?: Buffer;
			instanceMask?: Buffer;
	  }
	| { ok: false; cause: FailureCause };

const SETTINGS_BY_TYPE: Record<
	ObjectType,
	{
		enabled: keyof TaskSettings;
		threshold: keyof TaskSettings;
		kernel: keyof TaskSettings;
		gradient?: [keyof TaskSettings, keyof TaskSettings];
	}
> = {
	face: {
		enabled: 'face',
		threshold: 'face_threshold',
		kernel: 'kernel_size_face',
		gradient: ['face_anonymization_gradient_start', 'face_anonymization_gradient_stop'],
	},
	license_plate: {
		enabled: 'license_plate',
		threshold: 'license_plate_threshold',
		kernel: 'kernel_size_license_plate',
		gradient: [
			'license_plate_anonymization_gradient_start',
			'license_plate_anonymization_gradient_stop',
		],
	},
	person: { enabled: 'person', threshold: 'person_threshold', kernel: 'kernel_size_person' },
	vehicle: { enabled: 'vehicle', threshold: 'vehicle_threshold', kernel: 'kernel_size_vehicle' },
};

/**
 * The whole "model": check the declared type, decode, detect, anonymize, encode in the declared
 * format, render masks. Yields to the event loop between steps so a queue of large images never
 * starves the HTTP servers for longer than one step.
 */
export async function runPipeline(
	original: Buffer,
	contentType: string,
	settings: TaskSettings,
	ignoreAreas: IgnoreArea[],
): Promise<PipelineResult> {
	// S3 keeps the Content-Type exactly as sent; Celantur compares it as is.
	if (contentType !== 'image/jpeg' && contentType !== 'image/png')
		return { ok: false, cause: 'CONTENT_TYPE_ERROR' };
	let image: DecodedImage;
	try {
		image = decode(original);
	} catch {
		return { ok: false, cause: 'IMAGE_DEFECT' };
	}
	if (image.width === 0 || image.height === 0) return { ok: false, cause: 'IMAGE_DEFECT' };
	await yieldToEventLoop();

	const found = detectObjects(image).filter((object) => {
		const config = SETTINGS_BY_TYPE[object.type];
		return (
			settings[config.enabled] === true && object.score >= (settings[config.threshold] as number)
		);
	});
	await yieldToEventLoop();

	const target = { width: image.width, height: image.height, data: Buffer.from(image.data) };
	const detections: Detection[] = [];
	const anonymised: Array<{ id: number; shape: Shape }> = [];
	for (const [id, object] of found.entries()) {
		const config = SETTINGS_BY_TYPE[object.type];
		const gradient = settings.anonymization_method === 'blur' && config.gradient;
		const shape = new Shape(
			{
				box: object.box,
				bbox: settings.bbox,
				gradientStart: gradient ? (settings[gradient[0]] as number) : 0,
				gradientStop: gradient ? (settings[gradient[1]] as number) : 0,
				ignores: ignoreAreas,
			},
			image.width,
			image.height,
		);
		const isAnonymised = !isFullyIgnored(ignoreAreas, object.box);
		if (isAnonymised) {
			anonymize(image, target, {
				method: settings.anonymization_method,
				shape,
				kernelSetting: settings[config.kernel] as number,
				box: object.box,
			});
			anonymised.push({ id, shape });
		}
		detections.push({
			score: object.score,
			offset: [0, 0],
			color: null,
			bbox: [object.box.x1, object.box.y1, object.box.x2, object.box.y2],
			parent_image: '',
			id,
			type_label: object.type,
			type: TYPE_CODE[object.type],
			is_anonymised: isAnonymised,
		});
		await yieldToEventLoop();
	}
	if (settings.debug) drawDebug(target, found, settings.score);

	const output =
		contentType === 'image/jpeg'
			? encodeJpeg(target, settings.quality)
			: encodePng(target, settings.compress_level, image.format === 'png' && image.hasAlpha);
	await yieldToEventLoop();
	const binaryMask = settings.binary_segmentation_mask
		? renderMask(image.width, image.height, settings.mask_scale, anonymised, 'binary')
		: undefined;
	const instanceMask = settings.instance_segmentation_mask
		? renderMask(image.width, image.height, settings.mask_scale, anonymised, 'instance')
		: undefined;
	return {
		ok: true,
		output,
		contentType,
		width: image.width,
		height: image.height,
		detections,
		binaryMask,
		instanceMask,
	};
}
