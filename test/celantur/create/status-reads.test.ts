import type { RequestLogEntry } from '../../emulator';
import { http, signIn } from '../../emulator/testkit';
import { anonymizeFilesWorkflow, useCelanturEnv } from '../../support/celantur-env';
import { useImageFolder, writeStreetImages } from '../../support/images';

const STATUS_PATH = /^\/v2\/task\/(\d+)\/status$/;

/** The emulator's log, read per task: the times each task's status was asked for. */
function statusReadsByTask(log: RequestLogEntry[]): Map<number, number[]> {
	const reads = new Map<number, number[]>();
	for (const entry of log) {
		const id = STATUS_PATH.exec(entry.path)?.[1];
		if (entry.endpoint !== 'getStatus' || id === undefined) continue;
		reads.set(Number(id), [...(reads.get(Number(id)) ?? []), entry.time]);
	}
	return reads;
}

/** Tasks of the same account made earlier today, as a busy account has: they fill the task list. */
async function createEarlierTasks(baseUrl: string, token: string, count: number): Promise<void> {
	const body = { anonymization_method: 'blur', face: true, start_on: 'start_request' };
	for (let made = 0; made < count; made += 50) {
		await Promise.all(
			Array.from({ length: Math.min(50, count - made) }, async () => {
				const created = await http('POST', `${baseUrl}/task`, { token, body });
				if (created.status !== 200) throw new Error(`create failed: ${created.status}`);
			}),
		);
	}
}

describe('Celantur create: each task’s status is read once, after it ended', () => {
	const env = useCelanturEnv({ emulator: { latency: { queuedMs: 0, processingMs: 2500 } } });
	const folder = useImageFolder();

	it('reads no status while tasks run and none twice, even behind thousands of earlier tasks in the list', async () => {
		// More earlier tasks than ten pages of the list hold (10 × 300).
		await createEarlierTasks(env.emulator.baseUrl, await signIn(env.emulator), 3100);
		const files = writeStreetImages(folder, 24, 'png');
		env.emulator.resetLog();

		const result = await env.harness.run(
			anonymizeFilesWorkflow(files, { pollInterval: 1, concurrency: 8 }),
		);

		expect(result.error).toBeUndefined();
		const items = result.output('Anonymize');
		expect(items).toHaveLength(files.length);
		const reads = statusReadsByTask(env.emulator.log);
		for (const item of items) {
			const id = item.json.task_id as number;
			const ended = env.emulator.task(id)!.history.find((step) => step.status === 'done')!.at;
			const times = reads.get(id) ?? [];
			// Exactly one read: the one that fetches the result's link once the list showed the task done.
			expect({ id, reads: times.length }).toEqual({ id, reads: 1 });
			expect(times[0]).toBeGreaterThanOrEqual(ended);
		}
		expect(env.emulator.counters().getStatus).toBe(files.length);
	});
});
