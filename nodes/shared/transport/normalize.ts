import type { IDataObject } from 'n8n-workflow';

import type { CelanturTask } from '../types';

// GET /task/{id} returns ids and numeric settings as strings ("quality": "90"); these are the
// fields that are numbers by nature, so a string-valued name or URL is never turned into one.
const NUMERIC_FIELDS = new Set([
	'task_id',
	'mask_scale',
	'quality',
	'compress_level',
	'upload_url_expiration_duration',
	'anonymized_url_expiration_duration',
	'limit',
	'count',
	'next_page_key',
]);
const NUMERIC_PATTERNS = [/^kernel_size_/, /_gradient_(start|stop)$/, /_threshold$/];

function isNumericField(key: string): boolean {
	return NUMERIC_FIELDS.has(key) || NUMERIC_PATTERNS.some((pattern) => pattern.test(key));
}

function toNumber(value: unknown): unknown {
	if (typeof value !== 'string' || value.trim() === '') return value;
	const number = Number(value);
	return Number.isFinite(number) ? number : value;
}

/** A copy with numeric fields as numbers, recursively for nested lists (task lists). */
export function normalizeNumbers<T extends IDataObject>(data: T): T {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(data)) {
		if (Array.isArray(value)) {
			result[key] = value.map((entry) =>
				typeof entry === 'object' && entry !== null && !Array.isArray(entry)
					? normalizeNumbers(entry as IDataObject)
					: entry,
			) as IDataObject[];
		} else if (isNumericField(key)) {
			result[key] = toNumber(value) as IDataObject[string];
		} else {
			result[key] = value;
		}
	}
	return result as T;
}

export function normalizeTask(data: unknown): CelanturTask {
	const task = normalizeNumbers(
		(typeof data === 'object' && data !== null ? data : {}) as IDataObject,
	);
	return task as CelanturTask;
}
