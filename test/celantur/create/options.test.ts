import type { INodeParameters, NodeParameterValueType } from 'n8n-workflow';

import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import { celanturNode, fixtureNode, useCelanturEnv } from '../../support/celantur-env';
import { streetImage, useImageFolder } from '../../support/images';

type Collection = 'options' | 'outputSettings' | 'detectionSettings';

/** Every create setting, a value, and the exact body field and value the reference documents. */
const SETTINGS: Array<
	[option: string, value: NodeParameterValueType, field: string, sent: unknown]
> = [
	['format', 'pano:4096', 'format', 'pano:4096'],
	['bbox', true, 'bbox', true],
	['debug', true, 'debug', true],
	['score', true, 'score', true],
	[
		'ignoreAreas',
		{ area: [{ topLeftX: 182, topLeftY: 154, width: 20, height: 30 }] },
		'ignores',
		'[{"topLeftX":182,"topLeftY":154,"width":20,"height":30}]',
	],
	['webhookUrl', 'http://127.0.0.1:9/hook?job=7', 'webhook', 'http://127.0.0.1:9/hook?job=7'],
	['startOn', 'start_request', 'start_on', 'start_request'],
	['binarySegmentationMask', true, 'binary_segmentation_mask', true],
	['instanceSegmentationMask', true, 'instance_segmentation_mask', true],
	['maskScale', 40, 'mask-scale', 40],
	['quality', 70, 'quality', 70],
	['compressLevel', 8, 'compress-level', 8],
	['kernelSizeFace', 0.4, 'kernel-size-face', 0.4],
	['kernelSizePerson', 99, 'kernel-size-person', 99],
	['kernelSizeLicensePlate', 0.6, 'kernel-size-license-plate', 0.6],
	['kernelSizeVehicle', 55, 'kernel-size-vehicle', 55],
	['faceGradientStart', 0.25, 'face-anonymization-gradient-start', 0.25],
	['faceGradientStop', 0.05, 'face-anonymization-gradient-stop', 0.05],
	['licensePlateGradientStart', 0.2, 'license-plate-anonymization-gradient-start', 0.2],
	['licensePlateGradientStop', 0.1, 'license-plate-anonymization-gradient-stop', 0.1],
	['faceThreshold', 0.7, 'face_threshold', 0.7],
	['personThreshold', 0.45, 'person_threshold', 0.45],
	['licensePlateThreshold', 0.55, 'license_plate_threshold', 0.55],
	['vehicleThreshold', 0.35, 'vehicle_threshold', 0.35],
];

/** Where each setting lives in the editor, as CONTRACT.md groups them. */
const COLLECTION_OF: Record<string, Collection> = {
	webhookUrl: 'options',
	startOn: 'options',
	...Object.fromEntries(
		[
			'format',
			'bbox',
			'debug',
			'score',
			'ignoreAreas',
			'binarySegmentationMask',
			'instanceSegmentationMask',
			'maskScale',
			'quality',
			'compressLevel',
		].map((name) => [name, 'outputSettings' as const]),
	),
};
const collectionOf = (option: string): Collection => COLLECTION_OF[option] ?? 'detectionSettings';
const OPTIONS = SETTINGS.map(
	([option, value, field, sent]) => [option, collectionOf(option), value, field, sent] as const,
);

describe('create options reach Celantur under their documented names, and unset ones are not sent', () => {
	const env = useCelanturEnv();
	const folder = useImageFolder();
	let image: string;

	beforeAll(() => {
		image = folder.write('street.jpg', streetImage('jpeg', 81));
	});

	async function sentBody(
		settings: Partial<Record<Collection, INodeParameters>>,
		extra: INodeParameters = {},
	): Promise<Record<string, unknown>> {
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [{ path: image, mimeType: 'image/jpeg' }]),
				celanturNode('Anonymize', {
					operation: 'create',
					anonymizationMethod: 'blur',
					objects: ['face'],
					waitForCompletion: false,
					...settings,
					...extra,
				}),
			]),
		);
		expect(result.error).toBeUndefined();
		const taskId = result.output('Anonymize')[0].json.task_id as number;
		return env.emulator.task(taskId)!.requestBody;
	}

	it('with no option set, the body holds only the method and the objects', async () => {
		expect(
			await sentBody(
				{},
				{ anonymizationMethod: 'blacken', objects: ['face', 'licensePlate', 'person', 'vehicle'] },
			),
		).toEqual({
			anonymization_method: 'blacken',
			face: true,
			'license-plate': true,
			person: true,
			vehicle: true,
		});
	});

	it.each(OPTIONS)(
		'setting %s in %s is sent as its documented field, and nothing else is added',
		async (option, collection, value, field, sent) => {
			expect(await sentBody({ [collection]: { [option]: value } })).toEqual({
				anonymization_method: 'blur',
				face: true,
				[field]: sent,
			});
		},
	);

	it('a setting outside its collection is not a setting: n8n drops it and nothing is sent', async () => {
		expect(
			await sentBody({
				options: { quality: 70, faceThreshold: 0.7 },
				outputSettings: { faceThreshold: 0.7 },
			}),
		).toEqual({
			anonymization_method: 'blur',
			face: true,
		});
	});

	it('settings from all three collections go out together', async () => {
		const body = await sentBody({
			options: { startOn: 'start_request' },
			outputSettings: { quality: 70 },
			detectionSettings: { faceThreshold: 0.7 },
		});
		expect(body).toEqual({
			anonymization_method: 'blur',
			face: true,
			start_on: 'start_request',
			quality: 70,
			face_threshold: 0.7,
		});
	});

	it('node-only options (waiting, output, transfers) are never sent', async () => {
		const body = await sentBody({
			options: {
				pollInterval: 2,
				timeout: 30,
				includeMetadata: true,
				outputBinaryPropertyName: 'out',
				deleteFilesAfterDownload: true,
				concurrency: 3,
			},
		});
		expect(body).toEqual({ anonymization_method: 'blur', face: true });
	});
});
