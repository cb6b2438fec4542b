import { randomBytes, randomUUID } from 'node:crypto';
import { jsonReply, type Reply } from './http';

export const SUPPORT_MESSAGE =
	'An unexpected error occurred. If the problem persists, please contact Celantur support (support@celantur.com).';

/** Celantur's own error shape: `{"status_code": N, "error": "..."}`. */
export function celanturError(status: number, error: string): Reply {
	return jsonReply(status, { status_code: status, error });
}

/** S3's XML error document, as a presigned-URL client really receives it. */
export function s3Error(
	status: number,
	code: string,
	message: string,
	headers: Record<string, string> = {},
): Reply {
	const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
	const body =
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		`<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId>` +
		`<HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
	return {
		status,
		headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, ...headers },
		body,
	};
}
