import { MANUAL_START_TYPE, node, workflow } from '../harness';
import {
	celanturNode,
	CREDENTIAL_ID,
	fixtureNode,
	requestsSince,
	startCelanturEnv,
	triggerNode,
	useCelanturEnv,
} from '../support/celantur-env';
import { streetImage } from '../support/images';
import { createRawTask, waitForStatus } from '../support/raw-tasks';

/** Everything a user or a log could see of a run's failure. */
function visible(value: unknown): string {
	return JSON.stringify(value, (_, v: unknown) =>
		v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v,
	);
}

describe('security: no secret in what we show, no data an attacker supplied', () => {
	const env = useCelanturEnv();

	const run = async (parameters: Record<string, unknown>, ids: number[]) =>
		await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode(
					'Ids',
					ids.map((id) => ({ json: { id } })),
				),
				{
					...celanturNode('Celantur', { taskId: '={{ $json.id }}', ...parameters }),
					onError: 'continueRegularOutput',
				},
			]),
		);

	it('an expired download link is reported without its signature or query', async () => {
		const id = await createRawTask(env.emulator, {
			image: { bytes: streetImage('jpeg', 51), contentType: 'image/jpeg' },
		});
		await waitForStatus(env.emulator, id, 'done');
		env.emulator.knobs.storageClockSkewSeconds = 5 * 3600;
		try {
			const result = await run({ operation: 'download' }, [id]);
			const [item] = result.output('Celantur');
			expect(item.json.error).toMatch(
				/^Could not download the anonymized image \(HTTP 403\) at http:\/\/127\.0\.0\.1:\d+\/[^?\s]+\. The link may have expired/,
			);
			const shown = visible(result.runData);
			expect(shown).not.toContain('X-Amz-Signature');
			expect(shown).not.toContain('X-Amz-Security-Token');
		} finally {
			env.emulator.knobs.storageClockSkewSeconds = 0;
		}
	});

	it('API errors carry neither the token nor the password', async () => {
		const result = await run({ operation: 'get' }, [1690000000000009]);
		const [item] = result.output('Celantur');
		expect(item.json.error).toContain('Task ID not found');
		const token = String(env.harness.credentials.get(CREDENTIAL_ID)?.accessToken);
		expect(token.length).toBeGreaterThan(10);
		const shown = visible(result.runData);
		expect(shown).not.toContain(token);
		expect(shown).not.toContain('demo-password');
	});

	it('a failed sign-in does not show the password', async () => {
		const wrong = await startCelanturEnv({ credential: { password: 'hunter2-secret' } });
		try {
			const result = await wrong.harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					celanturNode('Celantur', { operation: 'getMany', returnAll: true }),
				]),
			);
			expect(result.error?.message).toContain('Incorrect username or password');
			expect(visible(result.runData) + visible(result.error)).not.toContain('hunter2-secret');
		} finally {
			await wrong.close();
		}
	});

	it('a flood of bogus callbacks is refused without a single API request, and unknown ids cost one lookup each and emit nothing', async () => {
		const flow = workflow([triggerNode('Celantur Trigger')]);
		const before = env.emulator.counters();
		const bogus = [
			{ headers: { 'content-type': 'text/plain' }, body: 'x' },
			{ headers: { 'content-type': 'application/json' }, body: { task_id: 'abc' } },
			{ headers: { 'content-type': 'application/json' }, body: { nothing: true } },
			{ headers: { 'content-type': 'application/json' }, body: { task_id: -1 } },
		];
		for (let n = 0; n < 200; n++) {
			const result = await env.harness.callWebhook(flow, 'Celantur Trigger', {
				method: 'POST',
				...bogus[n % bogus.length],
			});
			expect(result.statusCode).toBeGreaterThanOrEqual(400);
			expect(result.workflowData).toBeUndefined();
		}
		expect(requestsSince(env.emulator, before)).toEqual({});

		for (let n = 0; n < 20; n++) {
			const result = await env.harness.callWebhook(flow, 'Celantur Trigger', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: {
					task_id: 1690000000001000 + n,
					task_status: 'done',
					anonymized_url: 'https://attacker.example/x.jpg',
				},
			});
			expect(result.statusCode).toBe(404);
			expect(result.workflowData).toBeUndefined();
		}
		expect(requestsSince(env.emulator, before)).toEqual({ getTask: 20 });
	});
});
