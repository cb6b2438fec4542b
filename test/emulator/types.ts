// Shared types of the Celantur v2 emulator. index.ts re-exports the public ones.
import type { EmulatorEventName, EmulatorListener } from './events';

export const ENDPOINT_KEYS = [
	'signin',
	'createTask',
	'startTask',
	'getTask',
	'getStatus',
	'getMetadata',
	'listTasks',
	'deleteFiles',
	'upload',
	'downloadAnonymized',
	'downloadMask',
	'downloadOriginal',
	'unknown',
] as const;
export type EndpointKey = (typeof ENDPOINT_KEYS)[number];
export type FaultTarget = EndpointKey | '*';

export interface LatencyKnobs {
	signinMs: number;
	createMs: number;
	/** Every other API call. */
	requestMs: number;
	/** Time a task stays `queued` after upload (or after start for start_request). */
	queuedMs: number;
	/** Time in `processing` before done/failed (at least as long as the real pixel work takes). */
	processingMs: number;
	uploadMs: number;
	downloadMs: number;
}

/** Answer 429 with `Retry-After` instead of handling the request. */
export interface RateLimitFault {
	endpoint: FaultTarget;
	count: number;
	retryAfterSeconds: number;
}

/**
 * `phase: 'before'` (default): the request has no effect. `phase: 'after'`: the request is
 * handled (a task is created, an upload is stored) and only the answer is replaced, like a
 * gateway timing out after the backend committed.
 */
export type FaultPhase = 'before' | 'after';

export interface ServerErrorFault {
	endpoint: FaultTarget;
	count: number;
	status: 500 | 502 | 503 | 504;
	phase?: FaultPhase;
}

/** Destroy the socket without answering (uploads: after reading part of the body). */
export interface ResetFault {
	endpoint: FaultTarget;
	count: number;
	phase?: FaultPhase;
}

export interface FaultKnobs {
	rateLimit: RateLimitFault[];
	serverError: ServerErrorFault[];
	reset: ResetFault[];
}

/**
 * Drops callbacks: each rule applies to the next `count` callbacks it matches and is removed when
 * used up. `task` picks which: one task id, `'lastOfBatch'` (the callback of a task that ends when
 * no other task with the same webhook URL is still new, queued or processing), or any when absent.
 */
export interface CallbackDropRule {
	task?: number | 'lastOfBatch';
	/** Default 1. */
	count?: number;
}

/** What happens to Celantur's callbacks on their way (see README, "Callbacks"). */
export interface CallbackKnobs {
	/** Callbacks lost: never delivered, recorded with `dropped: true`. */
	drop: CallbackDropRule[];
	/** Each callback leaves this long (emulator clock) after its task is done. */
	delayMs: number;
	/** Each callback is sent this many times (at least 1). */
	copies: number;
	/** 0: the copies go out at once, concurrently; above 0: one after another, this far apart. */
	copyGapMs: number;
	/** Callbacks are kept (after their delay) until `releaseCallbacks()` sends them, all at once. */
	hold: boolean;
	/**
	 * Where a callback goes, from its webhook URL: a load balancer in front of several receivers,
	 * say. Undefined: to the webhook URL itself.
	 */
	route?: (url: string, task: EmulatorTask) => string;
}

export interface EmulatorKnobs {
	/** Lifetime of tokens issued from now on. */
	tokenLifetimeSeconds: number;
	latency: LatencyKnobs;
	faults: FaultKnobs;
	/** Seconds the storage server's clock runs ahead: makes presigned URLs expire on demand. */
	storageClockSkewSeconds: number;
	/**
	 * 'real' (default) decodes, detects and anonymizes. 'copy' returns the upload unchanged with no
	 * detections: for the benchmark, where the real service works on many images at once and this
	 * double's serial pixel work would otherwise be what is measured.
	 */
	pixelWork: 'real' | 'copy';
	callbacks: CallbackKnobs;
}

/** See `Scheduler` in clock.ts: 'real' follows the wall clock, 'manual' moves only on `clock.advance()`. */
export type ClockMode = 'real' | 'manual';

export type TaskStatus = 'new' | 'queued' | 'processing' | 'done' | 'failed';
export const TASK_STATUSES: readonly TaskStatus[] = [
	'new',
	'queued',
	'processing',
	'done',
	'failed',
];
export type FailureCause =
	'IMAGE_DEFECT' | 'TASK_FILE_DOESNT_EXIST' | 'INTERNAL_ERROR' | 'CONTENT_TYPE_ERROR';
export type WebhookStatus = 'empty' | 'set' | 'sent' | 'failed';
export type AnonymizationMethod = 'blur' | 'pixelate' | 'blacken';
export type ObjectType = 'face' | 'license_plate' | 'person' | 'vehicle';

export interface IgnoreArea {
	topLeftX: number;
	topLeftY: number;
	width: number;
	height: number;
}

/** Normalised create-body settings, keyed by the snake_case names the API answers with. */
export interface TaskSettings {
	anonymization_method: AnonymizationMethod;
	face: boolean;
	license_plate: boolean;
	person: boolean;
	vehicle: boolean;
	debug: boolean;
	score: boolean;
	format: string;
	bbox: boolean;
	ignores: string;
	webhook: string | null;
	start_on: 'upload' | 'start_request';
	binary_segmentation_mask: boolean;
	instance_segmentation_mask: boolean;
	mask_scale: number;
	quality: number;
	compress_level: number;
	kernel_size_face: number;
	kernel_size_person: number;
	kernel_size_license_plate: number;
	kernel_size_vehicle: number;
	face_anonymization_gradient_start: number;
	face_anonymization_gradient_stop: number;
	license_plate_anonymization_gradient_start: number;
	license_plate_anonymization_gradient_stop: number;
	face_threshold: number;
	vehicle_threshold: number;
	person_threshold: number;
	license_plate_threshold: number;
}

/** One entry of the metadata `detections` list, exactly as served. */
export interface Detection {
	score: number;
	offset: [number, number];
	color: null;
	bbox: [number, number, number, number];
	parent_image: string;
	id: number;
	type_label: ObjectType;
	type: number;
	is_anonymised: boolean;
}

export interface WebhookDelivery {
	at: number;
	/** The task's webhook URL. */
	url: string;
	/** Where it was sent, when `knobs.callbacks.route` sent it elsewhere. */
	deliveredTo?: string;
	/** Lost on purpose (`knobs.callbacks.drop`): nothing was sent. */
	dropped?: boolean;
	body: Record<string, unknown>;
	/** HTTP status of the receiver, or undefined when the request itself failed. */
	status?: number;
	/** The receiver's answer, cut to 1000 characters. */
	response?: string;
	error?: string;
}

/** The emulator's internal record of a task, returned live by `Emulator.task()`. */
export interface EmulatorTask {
	id: number;
	customerId: string;
	username: string;
	createdAt: number;
	createTime: string;
	settings: TaskSettings;
	/** The create body exactly as the client sent it, for tests of what a client sends. */
	requestBody: Record<string, unknown>;
	ignoreAreas: IgnoreArea[];
	status: TaskStatus;
	history: Array<{ status: TaskStatus; at: number }>;
	failureCause?: FailureCause;
	/** A failure forced by `failNextTask`/`failTask`, applied when processing ends. */
	forcedFailure?: FailureCause;
	deleted: boolean;
	deleteTime: string | null;
	upload?: { contentType: string; bytes: number; at: number };
	/** Uploads that arrived after processing had begun (or after deletion): stored nowhere. */
	ignoredUploads: number;
	output?: { contentType: string; bytes: number; width: number; height: number };
	detections: Detection[];
	webhookStatus: WebhookStatus;
	webhookDeliveries: WebhookDelivery[];
}

export interface RequestLogEntry {
	/** ms since the epoch at arrival. */
	time: number;
	server: 'api' | 'storage';
	method: string;
	path: string;
	/** Raw query string without `?`. */
	query: string;
	endpoint: EndpointKey;
	/** Lower-case names; repeated headers joined with ', '. */
	headers: Record<string, string>;
	/** 0 while unanswered, and for requests whose socket was reset. */
	status: number;
	/** Request body bytes read. */
	bodyBytes: number;
}

export interface EmulatorUser {
	username: string;
	password: string;
}

export interface EmulatorOptions {
	host?: string;
	port?: number;
	/** Storage (presigned URL) port; default 0 (random). */
	storagePort?: number;
	users?: EmulatorUser[];
	tokenLifetimeSeconds?: number;
	latency?: Partial<LatencyKnobs>;
	webhookTimeoutMs?: number;
	/** See EmulatorKnobs.pixelWork. */
	pixelWork?: 'real' | 'copy';
	/** 'real' (default) or 'manual': see `Emulator.clock`. */
	clock?: ClockMode;
	/** The callback knobs to start with (`knobs.callbacks`); the arrays are copied. */
	callbacks?: Partial<CallbackKnobs>;
}

/** The emulator's time: token and URL expiry, latency, `queuedMs` and `processingMs` run on it. */
export interface EmulatorClock {
	readonly mode: ClockMode;
	/** ms since the epoch, as the emulator sees it. */
	now(): number;
	/**
	 * Moves the emulator's time ahead by `ms` at once: tokens and presigned URLs age, and every
	 * latency, queued or processing timer that falls due fires now. With `clock: 'manual'` this is
	 * the only way time passes for the emulator, so a test sets each step, whatever the machine's speed.
	 */
	advance(ms: number): void;
}

export interface Emulator {
	baseUrl: string;
	storageOrigin: string;
	log: RequestLogEntry[];
	knobs: EmulatorKnobs;
	counters(): Record<EndpointKey, number>;
	tasksCreated(): number;
	task(id: string | number): EmulatorTask | undefined;
	/** The next task created after this call fails with `cause` when processing ends (calls queue). */
	failNextTask(cause: FailureCause): void;
	/** Make one existing task fail with `cause` when its processing ends. */
	failTask(id: string | number, cause: FailureCause): void;
	expireAllTokens(): void;
	clock: EmulatorClock;
	/**
	 * Listens to 'request' (arrival, before fault, latency and answer), 'response', 'status' (a
	 * task changed status) or 'webhook' (a delivery ended); returns the function that stops listening.
	 */
	on<E extends EmulatorEventName>(event: E, listener: EmulatorListener<E>): () => void;
	/** Resolves once the task is in one of `statuses` (at once if it already is). No deadline of its own. */
	waitForTask(id: string | number, statuses: TaskStatus | TaskStatus[]): Promise<EmulatorTask>;
	/** Resolves once `counters()[endpoint]` reaches `count` (requests counted at arrival). */
	waitForRequests(endpoint: EndpointKey, count: number): Promise<void>;
	/** Resolves with the task's first webhook delivery once it has ended. */
	waitForWebhook(id: string | number): Promise<WebhookDelivery>;
	/** Task ids of the callbacks `knobs.callbacks.hold` keeps, in the order they were held. */
	heldCallbacks(): number[];
	/** Resolves once at least `count` callbacks are held, with their task ids. */
	waitForHeldCallbacks(count: number): Promise<number[]>;
	/**
	 * Sends held callbacks (those of `taskIds`, or all) at once, concurrently, each with the copies
	 * it was held with; resolves with their deliveries once every one has ended.
	 */
	releaseCallbacks(taskIds?: Array<string | number>): Promise<WebhookDelivery[]>;
	/**
	 * Sends a done task's callback now (again), `copies` times at once, past drop, delay and hold;
	 * resolves with the deliveries. Celantur never does this: for tests of a late or repeated call.
	 */
	sendCallback(id: string | number, copies?: number): Promise<WebhookDelivery[]>;
	/** Clears `log` (and so `counters()`); tasks stay. */
	resetLog(): void;
	close(): Promise<void>;
}
