import { createHash } from 'node:crypto';

export interface StoredObject {
	body: Buffer;
	contentType: string;
	etag: string;
	lastModified: Date;
}

/** The bucket behind the presigned URLs, keyed by URL path. */
export class ObjectStore {
	private readonly objects = new Map<string, StoredObject>();

	put(path: string, body: Buffer, contentType: string): StoredObject {
		const object = {
			body,
			contentType,
			etag: `"${createHash('md5').update(body).digest('hex')}"`,
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
