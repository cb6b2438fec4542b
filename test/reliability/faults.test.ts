import type { Emulator, EmulatorOptions, FaultKnobs, RequestLogEntry } from '../emulator';
import { MANUAL_START_TYPE, node, workflow } from '../harness';
import {
	celanturNode,
	fixtureNode,
	startCelanturEnv,
	type CelanturEnv,
} from '../support/celantur-env';
import { imageFolder, streetImage, type ImageFolder } from '../support/images';

const IMAGES = 3;

type Expected = 'all succeed' | 'errors name the task' | 'errors without a task';

interface FaultCase {
	fault: string;
	/** Options of the case's emulator, e.g. a manual clock that holds tasks until the test moves it. */
	emulator?: EmulatorOptions;
	/** The node's Timeout option; unset, the default (10 minutes) never decides a case. */
	timeoutSeconds?: number;
	/** Sets the fault up on the running emulator; may return a hook to run mid-batch. */
	arrange(env: CelanturEnv): void;
	expected: Expected;
	/** Tasks the emulator must hold afterwards: a retried create never makes a duplicate. */
	tasks: number;
	check?(env: CelanturEnv, errors: string[]): void;
}

/** The first request of a polling round (a list, or a status read) that arrives once every upload is in. */
const isPollAfterUploads = (emulator: Emulator, entry: RequestLogEntry, uploads: number) =>
	(entry.endpoint === 'listTasks' || entry.endpoint === 'getStatus') &&
	emulator.counters().upload >= uploads;

const fault = (env: CelanturEnv, patch: Partial<FaultKnobs>) => {
	const faults = env.emulator.knobs.faults;
	faults.rateLimit.push(...(patch.rateLimit ?? []));
	faults.serverError.push(...(patch.serverError ?? []));
	faults.reset.push(...(patch.reset ?? []));
};

/** Every fault at every phase it can strike, and what a user must see. */
const CASES: FaultCase[] = [
	{
		fault: '429 burst on create (Retry-After honoured)',
		arrange: (env) =>
			fault(env, { rateLimit: [{ endpoint: 'createTask', count: 3, retryAfterSeconds: 1 }] }),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: '503 burst on create (proves no task was made)',
		arrange: (env) =>
			fault(env, { serverError: [{ endpoint: 'createTask', count: 2, status: 503 }] }),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: '502 on create after the task was made (gateway lost the answer)',
		arrange: (env) =>
			fault(env, {
				serverError: [{ endpoint: 'createTask', count: 1, status: 502, phase: 'after' }],
			}),
		expected: 'errors without a task',
		// Not retried: a retry would have made a second task for the same image.
		tasks: IMAGES,
		check: (_, errors) => expect(errors).toEqual([expect.stringContaining('HTTP 502')]),
	},
	{
		fault: 'connection reset on create',
		arrange: (env) => fault(env, { reset: [{ endpoint: 'createTask', count: 1 }] }),
		expected: 'errors without a task',
		tasks: IMAGES - 1,
		check: (_, errors) => expect(errors).toEqual([expect.stringContaining('connection reset')]),
	},
	{
		fault: '429 burst on upload',
		arrange: (env) =>
			fault(env, { rateLimit: [{ endpoint: 'upload', count: 2, retryAfterSeconds: 0 }] }),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: 'connection reset during upload',
		arrange: (env) => fault(env, { reset: [{ endpoint: 'upload', count: 2 }] }),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: '503 burst while waiting (status)',
		arrange: (env) =>
			fault(env, { serverError: [{ endpoint: 'getStatus', count: 3, status: 503 }] }),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: '500 while waiting (list)',
		arrange: (env) =>
			fault(env, { serverError: [{ endpoint: 'listTasks', count: 2, status: 500 }] }),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: '429 burst on download',
		arrange: (env) =>
			fault(env, {
				rateLimit: [{ endpoint: 'downloadAnonymized', count: 2, retryAfterSeconds: 1 }],
			}),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: 'connection reset during download',
		arrange: (env) => fault(env, { reset: [{ endpoint: 'downloadAnonymized', count: 2 }] }),
		expected: 'all succeed',
		tasks: IMAGES,
	},
	{
		fault: 'rate limit outlasting the retries while waiting',
		arrange: (env) =>
			fault(env, { rateLimit: [{ endpoint: 'getStatus', count: 1000, retryAfterSeconds: 0 }] }),
		expected: 'errors name the task',
		tasks: IMAGES,
		check: (_, errors) =>
			expect(errors.every((e) => e.includes('Celantur answered HTTP 429'))).toBe(true),
	},
	{
		fault: 'token expiry mid-batch',
		// Tasks wait in 'queued' until the test moves the emulator's clock, so the batch is still
		// waiting when the token expires, whatever the machine's speed.
		emulator: { clock: 'manual', latency: { queuedMs: 1, processingMs: 0 } },
		arrange: (env) => {
			const { emulator } = env;
			let expired = false;
			let released = false;
			// Every token expires as the first task-list scan arrives with all three tasks waiting:
			// a single request, so exactly one sign-in follows.
			emulator.on('request', (entry) => {
				if (expired || entry.endpoint !== 'listTasks' || emulator.counters().upload < IMAGES)
					return;
				expired = true;
				emulator.expireAllTokens();
			});
			// Once a scan is answered again (after the fresh sign-in), the tasks may finish.
			emulator.on('response', (entry) => {
				if (!expired || released || entry.endpoint !== 'listTasks' || entry.status !== 200) return;
				released = true;
				emulator.clock.advance(1);
			});
		},
		expected: 'all succeed',
		tasks: IMAGES,
		check: (env) => {
			expect(
				env.emulator.log.filter((entry) => entry.status === 401).map((entry) => entry.endpoint),
			).toEqual(['listTasks', 'listTasks']);
			expect(env.emulator.counters().signin).toBe(2);
		},
	},
	{
		fault: 'task failed at Celantur',
		arrange: (env) => env.emulator.failNextTask('IMAGE_DEFECT'),
		expected: 'errors name the task',
		tasks: IMAGES,
		check: (_, errors) =>
			expect(errors).toEqual([
				expect.stringMatching(
					/^Celantur task \d+ for f0\.jpg failed: IMAGE_DEFECT \(Celantur could not read the image; /,
				),
			]),
	},
	{
		fault: 'task not done within the timeout',
		// On a manual clock that nobody moves, the tasks never leave 'queued': the node's timeout
		// (1 s here) always comes first, however slow the machine.
		emulator: { clock: 'manual' },
		timeoutSeconds: 1,
		arrange: () => undefined,
		expected: 'errors name the task',
		tasks: IMAGES,
		check: (_, errors) =>
			expect(errors.every((e) => /did not finish within 1 s/.test(e))).toBe(true),
	},
];

describe('faults survived: every item ends as a success or an error item that says what to do', () => {
	let folder: ImageFolder;
	const files: string[] = [];

	beforeAll(() => {
		folder = imageFolder();
		for (let n = 0; n < IMAGES; n++)
			files.push(folder.write(`f${n}.jpg`, streetImage('jpeg', 30 + n)));
	});

	afterAll(() => folder.remove());

	it.each(CASES.map((c) => [c.fault, c] as const))('%s', async (_, testCase) => {
		const env = await startCelanturEnv({ emulator: testCase.emulator });
		try {
			testCase.arrange(env);
			const result = await env.harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					fixtureNode(
						'Read',
						files.map((path) => ({ path, mimeType: 'image/jpeg' })),
					),
					{
						...celanturNode('Anonymize', {
							operation: 'create',
							anonymizationMethod: 'blur',
							objects: ['face'],
							options: {
								pollInterval: 0.2,
								...(testCase.timeoutSeconds ? { timeout: testCase.timeoutSeconds } : {}),
							},
						}),
						onError: 'continueRegularOutput',
					},
				]),
			);
			expect(result.error).toBeUndefined();
			const items = result.output('Anonymize');
			// Nothing lost: one output per input, in order and paired.
			expect(items.map((item) => item.pairedItem)).toEqual(files.map((_, item) => ({ item })));
			const errors = items.filter((item) => item.json.error);
			const successes = items.filter((item) => !item.json.error);
			for (const item of successes) expect(item.binary?.anonymized).toBeDefined();
			if (testCase.expected === 'all succeed') expect(errors).toHaveLength(0);
			else expect(errors.length).toBeGreaterThan(0);
			for (const item of errors) {
				if (testCase.expected === 'errors name the task') {
					expect(item.json.task_id).toEqual(expect.any(Number));
					expect(env.emulator.task(item.json.task_id as number)).toBeDefined();
				} else {
					expect(item.json.task_id).toBeUndefined();
				}
				// The input image stays on the error item, so a retry branch still has it.
				expect(item.binary?.data).toBeDefined();
			}
			expect(env.emulator.tasksCreated()).toBe(testCase.tasks);
			testCase.check?.(
				env,
				errors.map((item) => String(item.json.error)),
			);
		} finally {
			await env.close();
		}
	});
});

describe('cancellation', () => {
	it('stopping an execution during a long wait ends it, with no further requests', async () => {
		// On a manual clock that nobody moves the tasks never leave 'queued': the node would wait and
		// poll until its timeout if Stop did not end the wait.
		const env = await startCelanturEnv({ emulator: { clock: 'manual' } });
		const folder = imageFolder();
		try {
			const controller = new AbortController();
			// Stop as soon as a polling round has been answered with every upload in: the node is
			// then between rounds, in its pause.
			const pausing = new Promise<void>((resolve) => {
				const off = env.emulator.on('response', (entry) => {
					if (!isPollAfterUploads(env.emulator, entry, 4)) return;
					off();
					resolve();
				});
			});
			const running = env.harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					fixtureNode(
						'Read',
						[0, 1, 2, 3].map((n) => ({
							path: folder.write(`c${n}.jpg`, streetImage('jpeg', n)),
							mimeType: 'image/jpeg',
						})),
					),
					celanturNode('Anonymize', {
						operation: 'create',
						anonymizationMethod: 'blur',
						objects: ['face'],
						options: { pollInterval: 30 },
					}),
				]),
				{ signal: controller.signal },
			);
			await pausing;
			const requestsAtStop = env.emulator.log.length;
			controller.abort();
			const result = await running;
			// Stop lands in the pause (n8n's ManualExecutionCancelledError) or, when the node is still
			// reading that answer, in the request (the transport's "canceled"): both end the execution.
			expect(result.status).toBe('canceled');
			expect(`${result.error?.name}: ${result.error?.message}`).toMatch(
				/^(ManualExecutionCancelledError: The execution was cancelled manually|NodeApiError: canceled)$/,
			);
			expect(env.emulator.log.length).toBe(requestsAtStop);
			// A polling loop left running would ask again within its pause (1.5 s at this point). Waiting
			// can only miss such a request on a slow machine, never invent one.
			await new Promise((resolve) => setTimeout(resolve, 2500));
			expect(env.emulator.log.slice(requestsAtStop)).toEqual([]);
		} finally {
			await env.close();
			folder.remove();
		}
	});
});
