import { CallbackDispatcher } from './callbacks';
import { formatMicros, nextTaskId, type Scheduler } from './clock';
import { runPipeline, type PipelineResult } from './imaging/pipeline';
import type { Presigner } from './presign';
import { taskObjectPaths, type ObjectStore } from './store';
import type {
	EmulatorKnobs,
	EmulatorTask,
	FailureCause,
	IgnoreArea,
	TaskSettings,
	TaskStatus,
} from './types';
import type { EmulatorEvents } from './events';
import type { WebhookSender } from './webhook';

export const UPLOAD_URL_SECONDS = 3600;
export const DOWNLOAD_URL_SECONDS = 14400;

export interface TaskManagerDeps {
	knobs: EmulatorKnobs;
	scheduler: Scheduler;
	store: ObjectStore;
	presigner: Presigner;
	webhooks: WebhookSender;
	events: EmulatorEvents;
}

export type StartOutcome = { ok: true } | { ok: false; error: string };

/**
 * Task records and the life cycle new -> queued -> processing -> done | failed.
 * Timers come from knobs.latency; the pixel work of all tasks runs through one serial queue
 * (one image in memory at a time), and a task reaches its end state no sooner than
 * `processingMs` after it entered `processing`.
 */
export class TaskManager {
	private readonly tasks = new Map<number, EmulatorTask>();
	private readonly pendingFailures: FailureCause[] = [];
	private work: Promise<void> = Promise.resolve();
	private created = 0;
	readonly callbacks: CallbackDispatcher;

	constructor(private readonly deps: TaskManagerDeps) {
		this.callbacks = new CallbackDispatcher({
			knobs: deps.knobs,
			scheduler: deps.scheduler,
			webhooks: deps.webhooks,
			events: deps.events,
			batchOf: (url) => [...this.tasks.values()].filter((task) => task.settings.webhook === url),
		});
	}

	get count(): number {
		return this.created;
	}

	create(
		customerId: string,
		username: string,
		settings: TaskSettings,
		ignoreAreas: IgnoreArea[],
		requestBody: Record<string, unknown>,
	): EmulatorTask {
		const id = nextTaskId();
		const now = this.deps.scheduler.now();
		const task: EmulatorTask = {
			id,
			customerId,
			username,
			createdAt: Math.floor(id / 1000),
			createTime: formatMicros(id),
			settings,
			requestBody,
			ignoreAreas,
			status: 'new',
			history: [{ status: 'new', at: now }],
			forcedFailure: this.pendingFailures.shift(),
			deleted: false,
			deleteTime: null,
			ignoredUploads: 0,
			detections: [],
			webhookStatus: settings.webhook ? 'set' : 'empty',
			webhookDeliveries: [],
		};
		this.tasks.set(id, task);
		this.created++;
		return task;
	}

	find(id: number): EmulatorTask | undefined {
		return this.tasks.get(id);
	}

	/** A customer's tasks, oldest (lowest id) first. */
	listFor(customerId: string): EmulatorTask[] {
		return [...this.tasks.values()]
			.filter((task) => task.customerId === customerId)
			.sort((a, b) => a.id - b.id);
	}

	failNext(cause: FailureCause): void {
		this.pendingFailures.push(cause);
	}

	paths(task: EmulatorTask): ReturnType<typeof taskObjectPaths> {
		// The anonymized file keeps the uploaded format's extension.
		return taskObjectPaths(
			task.customerId,
			task.id,
			task.upload?.contentType === 'image/png' ? 'png' : 'jpeg',
		);
	}

	uploadUrl(task: EmulatorTask): string {
		return this.deps.presigner.sign('PUT', this.paths(task).original, UPLOAD_URL_SECONDS);
	}

	downloadUrl(path: string): string {
		return this.deps.presigner.sign('GET', path, DOWNLOAD_URL_SECONDS);
	}

	/**
	 * Called by the storage server for every accepted PUT of an `original`. Like S3 + Celantur:
	 * the PUT itself always succeeds; files for deleted tasks are deleted again at once, and a
	 * file arriving after processing began changes nothing.
	 */
	acceptUpload(taskId: number, body: Buffer, contentType: string): void {
		const task = this.tasks.get(taskId);
		if (!task) return;
		if (task.deleted || task.status !== 'new') {
			task.ignoredUploads++;
			return;
		}
		this.deps.store.put(this.paths(task).original, body, contentType);
		task.upload = { contentType, bytes: body.length, at: this.deps.scheduler.now() };
		if (task.settings.start_on === 'upload') this.enqueue(task);
	}

	/** `POST /task/{id}/start`. Starting without a file is allowed and fails TASK_FILE_DOESNT_EXIST. */
	start(task: EmulatorTask): StartOutcome {
		if (task.settings.start_on !== 'start_request') {
			return {
				ok: false,
				error: `Could not start task. Task ${task.id} is set to start on upload, not on a start request.`,
			};
		}
		if (task.status !== 'new') {
			return {
				ok: false,
				error: `Could not start task. Task ${task.id} has already been started (task_status: ${task.status}).`,
			};
		}
		this.enqueue(task);
		return { ok: true };
	}

	deleteFiles(task: EmulatorTask): void {
		task.deleted = true;
		task.deleteTime = formatMicros(this.deps.scheduler.now() * 1000);
		const paths = this.paths(task);
		for (const path of Object.values(paths)) this.deps.store.delete(path);
		task.detections = [];
	}

	private setStatus(task: EmulatorTask, status: TaskStatus): void {
		task.status = status;
		task.history.push({ status, at: this.deps.scheduler.now() });
		this.deps.events.emit('status', task);
	}

	private enqueue(task: EmulatorTask): void {
		this.setStatus(task, 'queued');
		this.deps.scheduler.after(this.deps.knobs.latency.queuedMs, () => this.process(task));
	}

	private process(task: EmulatorTask): void {
		this.setStatus(task, 'processing');
		const began = this.deps.scheduler.now();
		const job = this.work.then(() => this.runJob(task));
		this.work = job.then(
			() => undefined,
			() => undefined,
		);
		void job.then((result) => {
			const remaining = this.deps.knobs.latency.processingMs - (this.deps.scheduler.now() - began);
			this.deps.scheduler.after(remaining, () => this.finish(task, result));
		});
	}

	private async runJob(task: EmulatorTask): Promise<PipelineResult> {
		if (this.deps.scheduler.isClosed) return { ok: false, cause: 'INTERNAL_ERROR' };
		if (task.forcedFailure) return { ok: false, cause: task.forcedFailure };
		const original = task.deleted ? undefined : this.deps.store.get(this.paths(task).original);
		if (!original) return { ok: false, cause: 'TASK_FILE_DOESNT_EXIST' };
		if (
			this.deps.knobs.pixelWork === 'copy' &&
			(original.contentType === 'image/jpeg' || original.contentType === 'image/png')
		) {
			return {
				ok: true,
				output: original.body,
				contentType: original.contentType,
				width: 0,
				height: 0,
				detections: [],
			};
		}
		try {
			return await runPipeline(
				original.body,
				original.contentType,
				task.settings,
				task.ignoreAreas,
			);
		} catch {
			return { ok: false, cause: 'INTERNAL_ERROR' };
		}
	}

	private finish(task: EmulatorTask, result: PipelineResult): void {
		// A cause forced while the job already ran still wins: tests may force it late.
		if (task.forcedFailure) result = { ok: false, cause: task.forcedFailure };
		if (!result.ok) {
			task.failureCause = result.cause;
			this.setStatus(task, 'failed');
			return;
		}
		if (!task.deleted) {
			const paths = this.paths(task);
			this.deps.store.put(paths.anonymized, result.output, result.contentType);
			if (result.binaryMask) this.deps.store.put(paths.binaryMask, result.binaryMask, 'image/png');
			if (result.instanceMask)
				this.deps.store.put(paths.instanceMask, result.instanceMask, 'image/png');
			task.detections = result.detections;
			task.output = {
				contentType: result.contentType,
				bytes: result.output.length,
				width: result.width,
				height: result.height,
			};
		}
		this.setStatus(task, 'done');
		if (task.settings.webhook && !task.deleted) void this.sendWebhook(task, task.settings.webhook);
	}

	/** Celantur's callback body for a done task. */
	callbackBody(task: EmulatorTask): Record<string, unknown> {
		return {
			customer_id: task.customerId,
			task_id: task.id,
			task_status: 'done',
			anonymized_url: this.downloadUrl(this.paths(task).anonymized),
		};
	}

	private async sendWebhook(task: EmulatorTask, url: string): Promise<void> {
		await this.callbacks.taskDone(task, url, this.callbackBody(task));
	}
}
