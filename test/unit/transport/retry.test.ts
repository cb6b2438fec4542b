import { getEventListeners } from 'node:events';

import { taskListPages } from '../../../nodes/Celantur/transport/pagination';
import { pause } from '../../../nodes/Celantur/transport/retry';
import type { CelanturClient } from '../../../nodes/Celantur/transport';

describe('pause', () => {
	it('leaves no listener on the execution’s signal, however many pauses a long wait makes', async () => {
		const controller = new AbortController();
		for (let n = 0; n < 30; n++) await pause(1, controller.signal);
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	it('rejects at once when the execution is stopped', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const waiting = pause(10_000, controller.signal);
		setTimeout(() => controller.abort(), 20);
		await expect(waiting).rejects.toThrow(/cancelled/);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});

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
