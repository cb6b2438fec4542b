import { s3Error } from './errors';
import type { ActiveFault } from './faults';
import type { Exchange, Reply, ServerSpec } from './http';
import type { Presigner } from './presign';
import { etagOf, STORAGE_PATH, type ObjectStore } from './store';
import type { TaskManager } from './tasks';
import type { EmulatorKnobs, EndpointKey } from './types';

export interface StorageDeps {
	presigner: Presigner;
	store: ObjectStore;
	tasks: TaskManager;
	knobs: EmulatorKnobs;
	/** The emulator's clock. */
	now: () => number;
}

/** S3's single-PUT limit is 5 GB; the emulator holds uploads in memory, so it stops earlier. */
const MAX_UPLOAD = 200 * 1024 * 1024;

export function classifyStorage(method: string, path: string): EndpointKey {
	const match = STORAGE_PATH.exec(path);
	if (!match) return 'unknown';
	const file = match[3];
	if (file === 'original')
		return method === 'PUT' ? 'upload' : method === 'GET' ? 'downloadOriginal' : 'unknown';
	if (method !== 'GET') return 'unknown';
	return file.startsWith('anonymized') ? 'downloadAnonymized' : 'downloadMask';
}

export function storageSpec(deps: StorageDeps): ServerSpec {
	return {
		name: 'storage',
		classify: classifyStorage,
		latencyMs: (endpoint) =>
			endpoint === 'upload' ? deps.knobs.latency.uploadMs : deps.knobs.latency.downloadMs,
		handle: (exchange) => handleStorage(deps, exchange),
		faultReply: storageFaultReply,
		errorReply: () =>
			s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'),
	};
}

function storageFaultReply(fault: Exclude<ActiveFault, { kind: 'reset' }>): Reply {
	if (fault.kind === 'rateLimit') {
		return s3Error(429, 'SlowDown', 'Please reduce your request rate.', {
			'retry-after': String(fault.retryAfterSeconds),
		});
	}
	const codes: Record<number, [string, string]> = {
		500: ['InternalError', 'We encountered an internal error. Please try again.'],
		502: ['BadGateway', 'Bad Gateway'],
		503: ['ServiceUnavailable', 'Service is unable to handle request.'],
		504: ['GatewayTimeout', 'Gateway Timeout'],
	};
	const [code, message] = codes[fault.status];
	return s3Error(fault.status, code, message);
}

/**
 * The checks come in S3's order: a second auth mechanism, then the framing of a PUT, then the
 * query signature and its expiry. Error bodies are S3's XML. The body of a refused request is
 * read and thrown away so the client sees the answer instead of a broken pipe.
 */
async function handleStorage(deps: StorageDeps, exchange: Exchange): Promise<Reply> {
	const { req, method, url } = exchange;
	if (req.headers.authorization !== undefined) {
		await exchange.drain();
		return s3Error(
			400,
			'InvalidArgument',
			'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
		);
	}
	if (method === 'PUT') {
		if (req.headers['transfer-encoding'] !== undefined) {
			await exchange.drain();
			return s3Error(
				501,
				'NotImplemented',
				'A header you provided implies functionality that is not implemented',
			);
		}
		if (req.headers['content-length'] === undefined) {
			await exchange.drain();
			return s3Error(
				411,
				'MissingContentLength',
				'You must provide the Content-Length HTTP header.',
			);
		}
	}
	const now = deps.now() + deps.knobs.storageClockSkewSeconds * 1000;
	const check = deps.presigner.verify(method, url.pathname, url.searchParams, now);
	if (!check.ok) {
		await exchange.drain();
		return s3Error(check.status, check.code, check.message);
	}
	if (method === 'PUT') return upload(deps, exchange);
	await exchange.drain();
	const object = deps.store.get(url.pathname);
	if (!object) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
	return {
		status: 200,
		headers: {
			'content-type': object.contentType,
			etag: object.etag,
			'last-modified': object.lastModified.toUTCString(),
			'accept-ranges': 'bytes',
		},
		body: object.body,
	};
}

async function upload(deps: StorageDeps, exchange: Exchange): Promise<Reply> {
	const body = await exchange.readBody(MAX_UPLOAD);
	if (body === 'tooLarge') {
		return s3Error(
			400,
			'EntityTooLarge',
			'Your proposed upload exceeds the maximum allowed size (emulator limit).',
		);
	}
	const match = STORAGE_PATH.exec(exchange.url.pathname);
	// S3 stores whatever Content-Type arrives; without one it records binary/octet-stream.
	const contentType = exchange.req.headers['content-type'] ?? 'binary/octet-stream';
	if (match) deps.tasks.acceptUpload(Number(match[2]), body, contentType);
	return { status: 200, headers: { etag: etagOf(body) } };
}
