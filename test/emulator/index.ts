// A local Celantur Cloud API v2: the double every test, the demo and the benchmark talk to.
// See README.md beside this file for the behaviour, the knobs and the image design.
import { apiSpec } from './api';
import { Auth } from './auth';
import { defaultCallbacks } from './callbacks';
import { Scheduler } from './clock';
import { EmulatorEvents } from './events';
import { emptyFaults } from './faults';
import { startServer, type Context, type RunningServer } from './http';
import { RequestLog } from './log';
import { Presigner } from './presign';
import { storageSpec } from './storage';
import { ObjectStore } from './store';
import { TaskManager } from './tasks';
import type {
	Emulator,
	EmulatorKnobs,
	EmulatorOptions,
	EmulatorTask,
	EndpointKey,
	FailureCause,
	LatencyKnobs,
	TaskStatus,
	WebhookDelivery,
} from './types';
import { WebhookSender } from './webhook';

export type { EmulatorEventMap, EmulatorEventName, EmulatorListener } from './events';
export type {
	CallbackDropRule,
	CallbackKnobs,
	ClockMode,
	Detection,
	Emulator,
	EmulatorClock,
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
		callbacks: defaultCallbacks(options.callbacks),
	};
	const scheduler = new Scheduler(options.clock ?? 'real');
	const now = () => scheduler.now();
	const log = new RequestLog(now);
	const events = new EmulatorEvents();
	const context: Context = { knobs, log, scheduler, events };
	const store = new ObjectStore();
	const webhooks = new WebhookSender(options.webhookTimeoutMs ?? 5000);
	const auth = new Auth(options.users ?? [DEFAULT_USER], now);

	// Presigned URLs name the storage origin, which is known only once its port is bound.
	const presigner = new Presigner(now);
	const tasks = new TaskManager({ knobs, scheduler, store, presigner, webhooks, events });
	const storage = await startServer(
		storageSpec({ presigner, store, tasks, knobs, now }),
		context,
		host,
		options.storagePort ?? 0,
	);
	const storageOrigin = `http://${urlHost(host)}:${storage.port}`;
	presigner.origin = storageOrigin;

	let baseUrl = '';
	let api: RunningServer;
	try {
		api = await startServer(
			apiSpec({ auth, tasks, knobs, apiBase: () => baseUrl }),
			context,
			host,
			options.port ?? 0,
		);
	} catch (error) {
		await Promise.all([storage.close(), webhooks.close()]);
		throw error;
	}
	baseUrl = `http://${urlHost(host)}:${api.port}/v2`;

	const findTask = (id: string | number): EmulatorTask | undefined => {
		const numeric = typeof id === 'number' ? id : /^\d+$/.test(id) ? Number(id) : NaN;
		return Number.isSafeInteger(numeric) ? tasks.find(numeric) : undefined;
	};
	const existingTask = (id: string | number, caller: string): EmulatorTask => {
		const task = findTask(id);
		if (!task) throw new Error(`${caller}: no task ${id}`);
		return task;
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
			existingTask(id, 'failTask').forcedFailure = cause;
		},
		expireAllTokens: () => auth.expireAll(),
		clock: {
			mode: scheduler.mode,
			now,
			advance: (ms: number) => scheduler.advance(ms),
		},
		on: (event, listener) => events.on(event, listener),
		waitForTask: (id: string | number, statuses: TaskStatus | TaskStatus[]) => {
			const task = existingTask(id, 'waitForTask');
			const wanted: TaskStatus[] = Array.isArray(statuses) ? statuses : [statuses];
			return events.when('status', () => (wanted.includes(task.status) ? task : undefined));
		},
		waitForRequests: (endpoint: EndpointKey, count: number) =>
			events
				.when('request', () => (log.counters()[endpoint] >= count ? true : undefined))
				.then(() => undefined),
		waitForWebhook: (id: string | number) => {
			const task = existingTask(id, 'waitForWebhook');
			return events.when('webhook', (): WebhookDelivery | undefined => task.webhookDeliveries[0]);
		},
		heldCallbacks: () => tasks.callbacks.heldIds(),
		waitForHeldCallbacks: (count: number) =>
			events.when('held', () => {
				const held = tasks.callbacks.heldIds();
				return held.length >= count ? held : undefined;
			}),
		releaseCallbacks: (taskIds?: Array<string | number>) =>
			tasks.callbacks.release(taskIds?.map(Number)),
		sendCallback: async (id: string | number, copies = 1) => {
			const task = existingTask(id, 'sendCallback');
			if (task.status !== 'done' || !task.settings.webhook)
				throw new Error(
					`sendCallback: task ${id} is ${task.status}, with webhook ${task.settings.webhook}`,
				);
			return await tasks.callbacks.resend(
				task,
				task.settings.webhook,
				tasks.callbackBody(task),
				copies,
			);
		},
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
