// Steps 9-17: Create with Wait Mode Callback in a real n8n (callback/ has the bodies). A Webhook
// workflow reads a folder of images and anonymizes it with the execution waiting in n8n's database
// while the emulator works; Celantur's callbacks (the emulator's, with its callback knobs) resume
// it. Batches of 1, 5 and 50 beside poll mode, a burst, a failed task, a failing task list, a lost
// last callback (the deadline), and n8n restarted while batches wait.
import path from 'node:path';

import {
	batchStep,
	burstStep,
	droppedLastStep,
	failedLastStep,
	failedTaskStep,
	listFailureStep,
	restartStep,
	type Restartable,
} from '../callback/scenarios';
import type { CallbackHost } from '../callback/run';
import type { E2eContext } from '../context';
import { N8nInstance } from '../n8n-instance';
import type { StepContext } from '../reporter';

function hostOf(ctx: E2eContext): CallbackHost {
	return {
		work: ctx.work,
		inputDir: ctx.inputDir,
		emulator: ctx.emulator,
		rest: () => ctx.rest,
		importer: () => ctx.n8n,
		webhookBase: () => ctx.n8n.baseUrl,
		callbackLogs: () => ctx.n8n.logs(),
		n8nLogs: () => ctx.n8n.logs(),
	};
}

let restarts = 0;

/** Stops this n8n and starts it again on the same user folder, port and database. */
function restartable(ctx: E2eContext): Restartable {
	return {
		describe: 'n8n stopped (SIGTERM) and started again',
		restart: async (whileDown) => {
			const old = ctx.n8n;
			await old.stop();
			const stoppedAt = Date.now();
			await whileDown();
			const restarted = new N8nInstance({
				...old.options,
				logFile: path.join(ctx.work, `n8n-restarted-${++restarts}.log`),
			});
			// Later steps, and the run's final stop, use the new process.
			ctx.n8n = restarted;
			ctx.cleanups.push(() => restarted.stop());
			await restarted.start(180_000);
			return { stoppedAt, upAt: Date.now() };
		},
	};
}

type Body = (ctx: E2eContext, step: StepContext) => Promise<void>;
const on =
	(body: (host: CallbackHost, step: StepContext) => Promise<void>): Body =>
	(ctx, step) =>
		body(hostOf(ctx), step);

/** The callback steps, in order: [name, timeout, body]. Every name contains "callback". */
export const CALLBACK_STEPS: Array<[string, number, Body]> = [
	[
		'9. callback: a batch of 1 resumes once with its result (beside poll mode)',
		300_000,
		on(batchStep('b1')),
	],
	[
		'10. callback: a batch of 5 resumes once with every result (beside poll mode)',
		300_000,
		on(batchStep('b5')),
	],
	[
		'11. callback: a batch of 50 resumes once with every result (beside poll mode)',
		600_000,
		on(batchStep('b50')),
	],
	[
		'12. callback: a burst of final callbacks (held, 3 copies each, released at once) resumes once',
		300_000,
		on(burstStep),
	],
	[
		'13. callback: a failed task (no callback) comes out as an error item',
		300_000,
		on(failedTaskStep),
	],
	[
		'14. callback: the task list failing (500) keeps the batch waiting; it resumes once the list answers',
		300_000,
		on(listFailureStep),
	],
	[
		'15. callback: a dropped last callback ends at the deadline, task ids and no image',
		300_000,
		on(droppedLastStep),
	],
	[
		'16. callback: two tasks failing after the others were called back come out as error items, before the deadline',
		300_000,
		on(failedLastStep),
	],
	[
		'17. callback restart: n8n stopped while batches wait, callbacks and deadlines during and after the downtime',
		600_000,
		(ctx, step) => restartStep(() => restartable(ctx))(hostOf(ctx), step),
	],
];
