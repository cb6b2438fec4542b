import { taskListPages } from '../../../../nodes/shared/transport/pagination';
import type { CelanturClient } from '../../../../nodes/shared/transport/client';

describe('taskListPages', () => {
	it('stops when the API repeats a page key instead of looping forever', async () => {
		let calls = 0;
		const client = {
			api: async () => {
				calls++;
				return { items: [{ task_id: calls }], next_page_key: 42 };
			},
		} as unknown as CelanturClient;
		const pages: unknown[] = [];
		for await (const page of taskListPages(client, {}, () => 300)) pages.push(page);
		expect(calls).toBe(2);
		expect(pages).toHaveLength(2);
	});
});
