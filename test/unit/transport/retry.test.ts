import { getEventListeners } from 'node:events';

import { pause } from '../../../nodes/Celantur/transport/retry';

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
