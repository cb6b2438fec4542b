// Queue-mode callback steps: the steps of ../callback on the topology (main, webhook processor,
// 2 workers), twice. First with main serving production webhooks (n8n's default): the emulator's
// callbacks go round robin to main and the webhook processor, as a load balancer in front of both
// would send them. Then the restart step stops every n8n process while batches wait and starts them
// again with N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true on main, and the steps run again with the
// callbacks at the webhook processor only (main refuses them).
import path from 'node:path';

import type { LogEntry } from '../n8n-instance';
import { N8nInstance } from '../n8n-instance';
import type { CallbackHost } from '../callback/run';
import {
	batchStep,
	burstStep,
	droppedLastStep,
	failedTaskStep,
	listFailureStep,
	restartStep,
	type Restartable,
} from '../callback/scenarios';
import type { StepContext } from '../reporter';
import type { QueueContext } from './context';

const FLAG = 'N8N_DISABLE_PRODUCTION_MAIN_PROCESS';

const mainTakesNoWebhooks = (ctx: QueueContext): boolean =>
	ctx.topology.main.options.env?.[FLAG] === 'true';

/** Which workers logged that they started (or resumed) an execution, in the order they did. */
function workersOf(ctx: QueueContext, executionId: string): string {
	const runs: Array<{ at: string; worker: string }> = [];
	ctx.topology.workers.forEach((worker, index) => {
		for (const entry of worker.logs()) {
			const match = /^Worker started execution (\S+)/.exec(entry.message);
			if (match?.[1] === executionId)
				runs.push({ at: String(entry.metadata.timestamp ?? ''), worker: `worker-${index + 1}` });
		}
	});
	runs.sort((a, b) => a.at.localeCompare(b.at));
	return runs.map((run) => run.worker).join(' then ') || 'not on a worker';
}

function hostOf(ctx: QueueContext): CallbackHost {
	const { topology } = ctx;
	return {
		work: ctx.work,
		inputDir: ctx.inputDir,
		emulator: ctx.emulator,
		rest: () => ctx.rest,
		importer: () => topology.main,
		webhookBase: () => topology.webhook.baseUrl,
		callbackLogs: (): LogEntry[] => [...topology.main.logs(), ...topology.webhook.logs()],
		n8nLogs: (): LogEntry[] => topology.all.flatMap((instance) => instance.logs()),
		receivers: () => [
			{ name: 'webhook processor', origin: topology.webhook.baseUrl, serves: true },
			{ name: 'main', origin: topology.main.baseUrl, serves: !mainTakesNoWebhooks(ctx) },
		],
		ranOn: (executionId) => workersOf(ctx, executionId),
	};
}

/**
 * Runs a step body with the emulator's callbacks routed as a load balancer would: round robin to
 * main and the webhook processor while main serves webhooks, else to the webhook processor alone.
 */
function routed(
	phase: 'main and webhook processor' | 'webhook processor only',
	body: (host: CallbackHost, step: StepContext, ctx: QueueContext) => Promise<void>,
) {
	return async (ctx: QueueContext, step: StepContext): Promise<void> => {
		const { topology, emulator } = ctx;
		const flagOn = mainTakesNoWebhooks(ctx);
		step.require(
			flagOn === (phase === 'webhook processor only'),
			`main runs ${flagOn ? 'with' : 'without'} ${FLAG}=true, not as this step needs`,
		);
		const saved = emulator.knobs.callbacks.route;
		let turn = 0;
		// Read at each callback: after the restart step flips the flag, the balancer leaves main out.
		emulator.knobs.callbacks.route = (url) => {
			const to =
				!mainTakesNoWebhooks(ctx) && turn++ % 2 === 1
					? topology.main.baseUrl
					: topology.webhook.baseUrl;
			return url.replace(topology.webhook.baseUrl, to);
		};
		try {
			step.figure('callbacks to', phase);
			await body(hostOf(ctx), step, ctx);
		} finally {
			emulator.knobs.callbacks.route = saved;
		}
	};
}

let restarts = 0;

/** Stops every n8n process (PostgreSQL and Redis stay) and starts them again, main with the flag. */
function restartTopology(ctx: QueueContext): Restartable {
	return {
		describe: `main, webhook processor and ${ctx.topology.workers.length} workers stopped and started again, main with ${FLAG}=true`,
		restart: async (whileDown) => {
			const topology = ctx.topology;
			const n = ++restarts;
			await Promise.all(topology.all.map((instance) => instance.stop()));
			const stoppedAt = Date.now();
			await whileDown();
			const again = (instance: N8nInstance, name: string, env: Record<string, string> = {}) => {
				const next = new N8nInstance({
					...instance.options,
					logFile: path.join(ctx.work, `${name}-restarted-${n}.log`),
					env: { ...instance.options.env, ...env },
				});
				ctx.cleanups.push(() => next.stop());
				return next;
			};
			const main = again(topology.main, 'main', { [FLAG]: 'true' });
			await main.start(180_000);
			const webhook = again(topology.webhook, 'webhook');
			const workers = topology.workers.map((worker, index) => again(worker, `worker-${index + 1}`));
			await Promise.all([webhook, ...workers].map((instance) => instance.start(180_000)));
			// Later steps, and the run's end, see the new processes.
			topology.main = main;
			topology.webhook = webhook;
			topology.workers = workers;
			topology.all = [main, webhook, ...workers];
			return { stoppedAt, upAt: Date.now() };
		},
	};
}

type Body = (ctx: QueueContext, step: StepContext) => Promise<void>;

const BOTH = 'main and webhook processor' as const;
const WEBHOOK_ONLY = 'webhook processor only' as const;

/** The queue-mode callback steps, in order, numbered from `first`: [name, timeout, body]. */
export function queueCallbackSteps(first: number): Array<[string, number, Body]> {
	let n = first;
	const name = (text: string) => `${n++}. ${text}`;
	return [
		[
			name('callback (callbacks to main + webhook processor): a batch of 1'),
			300_000,
			routed(BOTH, batchStep('b1')),
		],
		[
			name('callback (callbacks to main + webhook processor): a batch of 5'),
			300_000,
			routed(BOTH, batchStep('b5')),
		],
		[
			name('callback (callbacks to main + webhook processor): a batch of 50'),
			600_000,
			routed(BOTH, batchStep('b50')),
		],
		[
			name(
				'callback (callbacks to main + webhook processor): a burst of final callbacks resumes once',
			),
			300_000,
			routed(BOTH, burstStep),
		],
		[
			name(
				'callback (callbacks to main + webhook processor): a failed task comes out as an error item',
			),
			300_000,
			routed(BOTH, failedTaskStep),
		],
		[
			name(
				'callback (callbacks to main + webhook processor): the task list failing keeps it waiting until the list answers',
			),
			300_000,
			routed(BOTH, listFailureStep),
		],
		[
			name(
				'callback (callbacks to main + webhook processor): a dropped last callback ends at the deadline',
			),
			300_000,
			routed(BOTH, droppedLastStep),
		],
		[
			name(
				`callback restart: every n8n process stopped while batches wait, started again with ${FLAG}=true`,
			),
			900_000,
			routed(BOTH, (host, step, ctx) => restartStep(() => restartTopology(ctx))(host, step)),
		],
		[
			name(`callback (${FLAG}=true, callbacks to the webhook processor): a batch of 5`),
			300_000,
			routed(WEBHOOK_ONLY, batchStep('b5')),
		],
		[
			name(`callback (${FLAG}=true, callbacks to the webhook processor): a batch of 50`),
			600_000,
			routed(WEBHOOK_ONLY, batchStep('b50')),
		],
		[
			name(
				`callback (${FLAG}=true, callbacks to the webhook processor): a burst of final callbacks resumes once`,
			),
			300_000,
			routed(WEBHOOK_ONLY, burstStep),
		],
		[
			name(
				`callback (${FLAG}=true, callbacks to the webhook processor): a failed task comes out as an error item`,
			),
			300_000,
			routed(WEBHOOK_ONLY, failedTaskStep),
		],
	];
}
