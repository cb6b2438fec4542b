import type { TaskManager } from './tasks';
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from './tasks';
import type { EmulatorTask, TaskSettings } from './types';

type Json = Record<string, unknown>;

/** Settings the reference's `GET /task/{id}` example prints as strings ("quality": "90"). */
const NUMERIC_SETTINGS: ReadonlyArray<keyof TaskSettings> = [
	'mask_scale',
	'quality',
	'compress_level',
	'kernel_size_face',
	'kernel_size_person',
	'kernel_size_license_plate',
	'kernel_size_vehicle',
	'face_anonymization_gradient_start',
	'face_anonymization_gradient_stop',
	'license_plate_anonymization_gradient_start',
	'license_plate_anonymization_gradient_stop',
	'face_threshold',
	'vehicle_threshold',
	'person_threshold',
	'license_plate_threshold',
];

/** `POST /task` answer: every setting with its JSON type, plus the presigned upload URL. */
export function createView(task: EmulatorTask, tasks: TaskManager): Json {
	return {
		...settingsView(task),
		name: null,
		task_status: task.status,
		webhook_status: task.webhookStatus,
		upload_url: tasks.uploadUrl(task),
		upload_url_expiration_duration: UPLOAD_URL_SECONDS,
	};
}

function settingsView(task: EmulatorTask): Json {
	const s = task.settings;
	return {
		customer_id: task.customerId,
		task_id: task.id,
		create_time: task.createTime,
		delete_time: task.deleteTime,
		debug: s.debug,
		score: s.score,
		anonymization_method: s.anonymization_method,
		face: s.face,
		license_plate: s.license_plate,
		person: s.person,
		vehicle: s.vehicle,
		format: s.format,
		bbox: s.bbox,
		ignores: s.ignores,
		mask_scale: s.mask_scale,
		quality: s.quality,
		compress_level: s.compress_level,
		kernel_size_face: s.kernel_size_face,
		kernel_size_person: s.kernel_size_person,
		kernel_size_license_plate: s.kernel_size_license_plate,
		kernel_size_vehicle: s.kernel_size_vehicle,
		face_anonymization_gradient_start: s.face_anonymization_gradient_start,
		face_anonymization_gradient_stop: s.face_anonymization_gradient_stop,
		license_plate_anonymization_gradient_start: s.license_plate_anonymization_gradient_start,
		license_plate_anonymization_gradient_stop: s.license_plate_anonymization_gradient_stop,
		webhook: s.webhook,
		start_on: s.start_on,
		extraction_types: null,
		binary_segmentation_mask: s.binary_segmentation_mask,
		instance_segmentation_mask: s.instance_segmentation_mask,
		face_threshold: s.face_threshold,
		vehicle_threshold: s.vehicle_threshold,
		person_threshold: s.person_threshold,
		license_plate_threshold: s.license_plate_threshold,
	};
}

/** `GET /task/{id}`: task_id and numeric settings as strings, like the reference's example. */
export function taskView(task: EmulatorTask, tasks: TaskManager, apiBase: string): Json {
	const view: Json = {
		...settingsView(task),
		task_id: String(task.id),
		extraction_types: [],
		task_status: task.status,
		webhook_status: task.webhookStatus,
	};
	for (const key of NUMERIC_SETTINGS) view[key] = String(task.settings[key]);
	const paths = tasks.paths(task);
	if (task.upload) view.original_url = tasks.downloadUrl(paths.original);
	Object.assign(view, resultFields(task, tasks, apiBase));
	if (task.status === 'done') {
		if (task.settings.binary_segmentation_mask)
			view.binary_segmentation_mask_url = tasks.downloadUrl(paths.binaryMask);
		if (task.settings.instance_segmentation_mask)
			view.instance_segmentation_mask_url = tasks.downloadUrl(paths.instanceMask);
	}
	return view;
}

/** `GET /task/{id}/status`: numbers stay numbers. */
export function statusView(task: EmulatorTask, tasks: TaskManager, apiBase: string): Json {
	return {
		task_id: task.id,
		task_status: task.status,
		delete_time: task.deleteTime,
		webhook: task.settings.webhook,
		webhook_status: task.webhookStatus,
		...resultFields(task, tasks, apiBase),
	};
}

function resultFields(task: EmulatorTask, tasks: TaskManager, apiBase: string): Json {
	const fields: Json = {};
	if (task.status === 'done') {
		fields.anonymized_url = tasks.downloadUrl(tasks.paths(task).anonymized);
		fields.anonymized_url_expiration_duration = DOWNLOAD_URL_SECONDS;
	}
	if (task.status === 'failed') fields.failure_cause = task.failureCause;
	fields.metadata_url = `${apiBase}/task/${task.id}/metadata`;
	return fields;
}
