import type { IDataObject } from 'n8n-workflow';

import { listTaskPage } from './endpoints';
import type { CelanturClient } from './client';

/** The API clamps page sizes to this range. */
export const MIN_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 300;

/**
 * The pages of `GET /task/list`, following `next_page_key` until the last page; the caller stops
 * early by leaving the loop. `pageSize` may change between pages (a limit that is nearly reached).
 * `startAfter` is a task id to begin after, as the API's page key. A key seen before, or an empty
 * page with a key, ends the walk rather than looping forever.
 */
export async function* taskListPages(
	client: CelanturClient,
	filters: IDataObject,
	pageSize: () => number,
	itemIndex?: number,
	startAfter?: number,
): AsyncGenerator<IDataObject[]> {
	const seen = new Set<string>();
	let nextPageKey = startAfter === undefined ? undefined : String(startAfter);
	do {
		const qs: IDataObject = {
			...filters,
			limit: Math.min(MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, pageSize())),
		};
		if (nextPageKey !== undefined) qs.next_page_key = nextPageKey;
		const page = await listTaskPage(client, qs, itemIndex);
		const items = page.items ?? [];
		yield items;
		const key = page.next_page_key;
		nextPageKey =
			key === undefined || key === null || key === '' || items.length === 0
				? undefined
				: String(key);
		if (nextPageKey !== undefined && seen.has(nextPageKey)) nextPageKey = undefined;
		if (nextPageKey !== undefined) seen.add(nextPageKey);
	} while (nextPageKey !== undefined);
}
