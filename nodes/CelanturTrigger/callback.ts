import type { IDataObject } from 'n8n-workflow';

import { checkTaskId } from '../shared/helpers/validate';

export type CallbackCheck =
	{ ok: true; taskId: number; body: IDataObject } | { ok: false; status: number; error: string };

function isJsonContentType(contentType: unknown): boolean {
	return (
		typeof contentType === 'string' && /^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())
	);
}

/** Celantur does not retry a callback, so one sent without a Content-Type is still read if it is JSON. */
function bodyWithoutType(body: unknown, rawBody: Buffer | undefined): unknown {
	if (typeof body === 'object' && body !== null && Object.keys(body).length > 0) return body;
	if (!rawBody?.length) return body;
	try {
		return JSON.parse(rawBody.toString('utf8')) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * Checks a callback before anything costs a request: it must be a JSON object with a well-formed
 * `task_id`. Celantur only calls back after success, so any other status is not a real callback.
 */
export function checkCallback(
	contentType: unknown,
	body: unknown,
	rawBody?: Buffer,
): CallbackCheck {
	const untyped = contentType === undefined || contentType === '';
	if (untyped) body = bodyWithoutType(body, rawBody);
	else if (!isJsonContentType(contentType)) {
		return {
			ok: false,
			status: 415,
			error: 'Expected a JSON body (Content-Type: application/json)',
		};
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, status: 400, error: 'Expected a JSON object' };
	}
	const payload = body as IDataObject;
	if (payload.task_id === undefined || payload.task_id === null || payload.task_id === '') {
		return { ok: false, status: 400, error: 'The callback has no task_id' };
	}
	const checked = checkTaskId(payload.task_id);
	if (!checked.ok)
		return { ok: false, status: 400, error: "The callback's task_id is not a task ID" };
	if (payload.task_status !== undefined && payload.task_status !== 'done') {
		return { ok: false, status: 422, error: 'The callback\'s task_status is not "done"' };
	}
	return { ok: true, taskId: checked.value, body: payload };
}
