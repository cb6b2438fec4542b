import type { IDataObject } from 'n8n-workflow';

import { ENDPOINTS } from '../api';
import type { CelanturTask, Detection, TaskListPage } from '../types';
import type { CelanturClient } from './client';
import { normalizeNumbers, normalizeTask } from './normalize';

/**
 * One function per Celantur endpoint the package calls, each returning the reply normalised
 * (numbers as numbers). Nothing else names an endpoint.
 */

type TaskId = number;

/** Celantur's answer when a task's files are gone already, e.g. after a retried DELETE whose first answer was lost. */
const ALREADY_DELETED = /already deleted/i;

/** `POST /task`. Not safe to repeat: a lost answer may hide a task that was made (and billed). */
export async function createTask(
	client: CelanturClient,
	body: IDataObject,
	itemIndex: number,
): Promise<CelanturTask> {
	return normalizeTask(
		await client.api('POST', ENDPOINTS.createTask, { body, itemIndex, createsTask: true }),
	);
}

/** `GET /task/{id}`: the task with all its settings and links. */
export async function getTask(
	client: CelanturClient,
	taskId: TaskId,
	itemIndex?: number,
): Promise<CelanturTask> {
	return normalizeTask(await client.api('GET', ENDPOINTS.task(taskId), { itemIndex }));
}

/** `GET /task/{id}/status`: the status and, once done, the anonymized image's link. */
export async function getTaskStatus(
	client: CelanturClient,
	taskId: TaskId,
	itemIndex: number,
): Promise<CelanturTask> {
	return normalizeTask(await client.api('GET', ENDPOINTS.taskStatus(taskId), { itemIndex }));
}

/** `POST /task/{id}/start`; Celantur answers with an object or a bare sentence. */
export async function startTask(
	client: CelanturClient,
	taskId: TaskId,
	itemIndex: number,
): Promise<IDataObject> {
	const reply = await client.api<IDataObject | string>('POST', ENDPOINTS.startTask(taskId), {
		itemIndex,
	});
	return normalizeTask(typeof reply === 'object' ? reply : { message: reply });
}

/** `GET /task/{id}/metadata`: the detections; Celantur answers 204 (no body) when there are none. */
export async function getTaskDetections(
	client: CelanturClient,
	taskId: TaskId,
	itemIndex: number,
): Promise<Detection[]> {
	const reply = await client.api<IDataObject | string | undefined>(
		'GET',
		ENDPOINTS.taskMetadata(taskId),
		{ itemIndex },
	);
	if (typeof reply !== 'object' || reply === null || !Array.isArray(reply.detections)) return [];
	return (reply.detections as Detection[]).map((detection) => {
		// Both spellings occur; the British one is the documented key.
		const { is_anonymized: american, ...rest } = detection as Detection & {
			is_anonymized?: boolean;
		};
		return american !== undefined && rest.is_anonymised === undefined
			? { ...rest, is_anonymised: american }
			: rest;
	});
}

/**
 * `DELETE /task/{id}/files`: the task's images and detections. Files that are gone already count
 * as deleted: a workflow run again must not fail on them.
 */
export async function deleteTaskFiles(
	client: CelanturClient,
	taskId: TaskId,
	itemIndex: number,
): Promise<{ already_deleted: boolean }> {
	return await client.api('DELETE', ENDPOINTS.taskFiles(taskId), { itemIndex }).then(
		() => ({ already_deleted: false }),
		async (error: unknown) => {
			const gone = error instanceof Error && ALREADY_DELETED.test(error.message);
			// The client's error, already an n8n error naming the request.
			return !client.signal?.aborted && gone
				? { already_deleted: true }
				: await Promise.reject(error);
		},
	);
}

/** `GET /task/list`: one page of tasks, filtered by `qs` (days, status, page size and key). */
export async function listTaskPage(
	client: CelanturClient,
	qs: IDataObject,
	itemIndex?: number,
): Promise<TaskListPage> {
	return normalizeNumbers(
		(await client.api<TaskListPage>('GET', ENDPOINTS.listTasks, { qs, itemIndex })) as IDataObject,
	) as TaskListPage;
}
