import type { IDataObject } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';
import { parse as parseQueryString } from 'node:querystring';

import type { WebhookRequest } from './types';
import type { HarnessRequest } from './webhook-http';

/** The bytes on the wire for a test's request: raw bytes as given, a string as text, else JSON. */
export function encodeBody(request: WebhookRequest): {
	rawBody: Buffer;
	headers: Record<string, string>;
} {
	const headers = Object.fromEntries(
		Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
	);
	const { body, rawBody } = request;
	if (rawBody) return { rawBody, headers };
	if (body === undefined) return { rawBody: Buffer.alloc(0), headers };
	if (Buffer.isBuffer(body)) return { rawBody: body, headers };
	if (typeof body === 'string') {
		headers['content-type'] ??= 'text/plain';
		return { rawBody: Buffer.from(body), headers };
	}
	headers['content-type'] ??= 'application/json';
	return { rawBody: Buffer.from(JSON.stringify(body)), headers };
}

/** As n8n's webhook body parser: JSON, form and plain text; other types keep `{}` and the raw body. */
export function parseBody(req: HarnessRequest): string | undefined {
	const { rawBody, contentType } = req;
	const encoding = req.encoding ?? 'utf-8';
	if (!rawBody.length) return undefined;
	try {
		if (contentType === 'application/json') {
			req.body = jsonParse<IDataObject>(rawBody.toString(encoding));
		} else if (contentType === 'application/x-www-form-urlencoded') {
			req.body = parseQueryString(rawBody.toString(encoding), undefined, undefined, {
				maxKeys: 1000,
			});
		} else if (contentType === 'text/plain') {
			req.body = rawBody.toString(encoding);
		}
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
	return undefined;
}
