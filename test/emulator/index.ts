// A local Celantur Cloud API v2: the double every test, the demo and the benchmark talk to.
// See README.md beside this file for the behaviour, the knobs and the image design.
import { apiSpec } from './api';
import { Auth } from './auth';
import { Scheduler } from './clock';
import { emptyFaults } from './faults';
import { startServer, type Context, type RunningServer } from './http';
import { RequestLog } from './log';
import { Presigner } from './presign';
import { storageSpec } from './storage';
import { ObjectStore } from './store';
import { TaskManager } from './tasks';
import type { Emulator, EmulatorKnobs, EmulatorOptions, EmulatorTask, FailureCause, LatencyKnobs } from './types';
import { WebhookSender } from './webhook';

export type {
	Detection,
	Emulator,
	EmulatorKnobs,
	EmulatorOptions,
	EmulatorTask,
	EmulatorUser,
	EndpointKey,
	FailureCause,
	FaultKnobs,
	FaultPhase,
	FaultTarget,
	LatencyKnobs,
	RateLimitFault,
	RequestLogEntry,
	ResetFault,
	ServerErrorFault,
	TaskSettings,
	TaskStatus,
	WebhookDelivery,
	WebhookStatus,
} from './types';
export { ENDPOINT_KEYS } from './types';

export const DEFAULT_USER = { username: 'demo@celantur.test', password: 'demo-password' } as const;

/** Fast by default, so tests run quickly; the life cycle is still observable (new, queued, processing). */
export const DEFAULT_LATENCY: Readonly<LatencyKnobs> = {
	signinMs: 0,
	createMs: 0,
	requestMs: 0,
	queuedMs: 20,
	processingMs: 50,
	uploadMs: 0,
	downloadMs: 0,
};

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const host = options.host ?? '127.0.0.1';
	const knobs: EmulatorKnobs = {
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
		latency: { ...DEFAULT_LATENCY, ...options.latency },
		faults: emptyFaults(),
		storageClockSkewSeconds: 0,
		pixelWork: options.pixelWork ?? 'real',
	};
	const log = new RequestLog();
	const scheduler = new Scheduler();
	const context: Context = { knobs, log, scheduler };
	const store = new ObjectStore();
	const webhooks = new WebhookSender(options.webhookTimeoutMs ?? 5000);
	const auth = new Auth(options.users ?? [DEFAULT_USER]);

	// Presigned URLs name the storage origin, which is known only once its port is bound.
	const presigner = new Presigner();
	const tasks = new TaskManager({ knobs, scheduler, store, presigner, webhooks });
	const storage = await startServer(storageSpec({ presigner, store, tasks, knobs }), context, host, options.storagePort ?? 0);
	const storageOrigin = `http://${urlHost(host)}:${storage.port}`;
	presigner.origin = storageOrigin;

	let baseUrl = '';
	let api: RunningServer;
	try {
		api = await startServer(apiSpec({ auth, tasks, knobs, apiBase: () => baseUrl }), context, host, options.port ?? 0);
	} catch (error) {
		await Promise.all([storage.close(), webhooks.close()]);
		throw error;
	}
	baseUrl = `http://${urlHost(host)}:${api.port}/v2`;

	const findTask = (id: string | number): EmulatorTask | undefined => {
		const numeric = typeof id === 'number' ? id : /^\d+$/.test(id) ? Number(id) : NaN;
		return Number.isSafeInteger(numeric) ? tasks.find(numeric) : undefined;
	};

	let closing: Promise<void> | undefined;
	return {
		baseUrl,
		storageOrigin,
		log: log.entries,
		knobs,
		counters: () => log.counters(),
		tasksCreated: () => tasks.count,
		task: findTask,
		failNextTask: (cause: FailureCause) => tasks.failNext(cause),
		failTask: (id: string | number, cause: FailureCause) => {
			const task = findTask(id);
			if (!task) throw new Error(`failTask: no task ${id}`);
			task.forcedFailure = cause;
		},
		expireAllTokens: () => auth.expireAll(),
		resetLog: () => log.reset(),
		close: () => {
			closing ??= (async () => {
				scheduler.close();
				await Promise.all([api.close(), storage.close(), webhooks.close()]);
				store.clear();
			})();
			return closing;
		},
	};
}

function urlHost(host: string): string {
	return host.includes(':') ? `[${host}]` : host;
}
