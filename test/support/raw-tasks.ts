// Tasks made directly at the emulator with raw HTTP, to set up a state before the node under test runs.
import type { Emulator, TaskStatus } from '../emulator';
import { http, obj, signIn } from '../emulator/testkit';

export interface RawTaskOptions {
	/** Upload this image (and so start processing, unless start_on is start_request). */
	image?: { bytes: Buffer; contentType: string };
	body?: Record<string, unknown>;
}

export async function createRawTask(
	emulator: Emulator,
	options: RawTaskOptions = {},
): Promise<number> {
	const token = await signIn(emulator);
	const created = await http('POST', `${emulator.baseUrl}/task`, {
		token,
		body: { anonymization_method: 'blur', face: true, 'license-plate': true, ...options.body },
	});
	if (created.status !== 200) throw new Error(`create failed: ${created.status} ${created.text}`);
	const task = obj(created.json);
	if (options.image) {
		const uploaded = await http('PUT', String(task.upload_url), {
			body: options.image.bytes,
			headers: { 'content-type': options.image.contentType },
		});
		if (uploaded.status !== 200)
			throw new Error(`upload failed: ${uploaded.status} ${uploaded.text}`);
	}
	return Number(task.task_id);
}

/** Resolves when the emulator moves the task into `status`: waits on the event, with no deadline of its own. */
export async function waitForStatus(
	emulator: Emulator,
	taskId: number,
	status: TaskStatus,
): Promise<void> {
	await emulator.waitForTask(taskId, status);
}
