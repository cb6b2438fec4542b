// actions/router.ts: per-item dispatch, and what a failure does to the items after it.
import { MANUAL_START_TYPE, node, workflow } from '../harness';
import { celanturNode, fixtureNode, requestsSince, useCelanturEnv } from '../support/celantur-env';
import { streetImage } from '../support/images';
import { createRawTask, waitForStatus } from '../support/raw-tasks';

describe('Celantur node: items after a failure', () => {
	const env = useCelanturEnv();

	it('without Continue On Fail, the first failure keeps later items from starting', async () => {
		const good = await createRawTask(env.emulator, {
			image: { bytes: streetImage('jpeg', 73), contentType: 'image/jpeg' },
		});
		await waitForStatus(env.emulator, good, 'done');
		const before = env.emulator.counters();
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode(
					'Ids',
					[1690000000000123, good, good, good].map((id) => ({ json: { id } })),
				),
				celanturNode('Download', {
					operation: 'download',
					taskId: '={{ $json.id }}',
					options: { concurrency: 1 },
				}),
			]),
		);
		expect(result.error?.message).toContain('Task ID not found');
		// One sign-in (the first request of this fresh credential) and the failing item's read: nothing for the items after it.
		expect(requestsSince(env.emulator, before)).toEqual({ signin: 1, getTask: 1 });
	});
});
