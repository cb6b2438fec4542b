import { createHash } from 'node:crypto';

export interface StoredObject {
	body: Buffer;
	contentType: string;
	etag: string;
	lastModified: Date;
}

const etags = new WeakMap<Buffer, string>();

/**
 * S3's ETag of a single-part object, the MD5 of its bytes. Hashed once per body however often it
 * is stored or answered (an upload's reply, the stored original, a result that is the same bytes):
 * a benchmark of a thousand images must not spend the machine's CPU hashing each one three times.
 */
export function etagOf(body: Buffer): string {
	let etag = etags.get(body);
	if (etag === undefined) {
		etag = `"${createHash('md5').update(body).digest('hex')}"`;
		etags.set(body, etag);
	}
	return etag;
}

/** The bucket behind the presigned URLs, keyed by URL path. */
export class ObjectStore {
	private readonly objects = new Map<string, StoredObject>();

	put(path: string, body: Buffer, contentType: string): StoredObject {
		const object = {
			body,
			contentType,
			etag: etagOf(body),
			lastModified: new Date(),
		};
		this.objects.set(path, object);
		return object;
	}

	get(path: string): StoredObject | undefined {
		return this.objects.get(path);
	}

	delete(path: string): void {
		this.objects.delete(path);
	}

	clear(): void {
		this.objects.clear();
	}
}

/** Object paths of one task: `/{customer_id}/{task_id}/1/{file}`, like Celantur's bucket layout. */
export function taskObjectPaths(
	customerId: string,
	taskId: number,
	outputExtension: 'jpeg' | 'png',
) {
	const base = `/${customerId}/${taskId}/1`;
	return {
		original: `${base}/original`,
		anonymized: `${base}/anonymized.${outputExtension}`,
		binaryMask: `${base}/binary_segmentation_mask.png`,
		instanceMask: `${base}/instance_segmentation_mask.png`,
	};
}

export const STORAGE_PATH =
	/^\/([0-9a-f-]{36})\/(\d+)\/1\/(original|anonymized\.(?:jpeg|png)|(?:binary|instance)_segmentation_mask\.png)$/;
