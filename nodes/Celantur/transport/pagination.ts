import type { IDataObject } from 'n8n-workflow';

import type { TaskListPage } from '../helpers/types';
import type { CelanturClient } from './index';

/** The API clamps page sizes to this range. */
export const MIN_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 300;

/**
 * The pages of `GET /task/list`, following `next_page_key` until the last page; the caller stops
 * early by leaving the loop. `pageSize` may change between pages (a limit that is nearly reached).
 */
export async function* taskListPages(
	client: CelanturClient,
	filters: IDataObject,
	pageSize: () => number,
	itemIndex?: number,
): AsyncGenerator<IDataObject[]> {
	let nextPageKey: string | undefined;
	do {
		const qs: IDataObject = { ...filters, limit: Math.min(MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, pageSize())) };
		if (nextPageKey !== undefined) qs.next_page_key = nextPageKey;
		const page = await client.api<TaskListPage>('GET', '/task/list', { qs, itemIndex });
		yield page.items ?? [];
		const key = page.next_page_key;
		nextPageKey = key === undefined || key === null || key === '' ? undefined : String(key);
	} while (nextPageKey !== undefined);
}
