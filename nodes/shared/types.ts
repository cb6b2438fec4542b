import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

/** n8n's binary stream type, named without importing Node's stream module (barred in nodes). */
export type BinaryStream = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/** The n8n contexts that talk to Celantur: the action node and the trigger's webhook. */
export type CelanturContext = IExecuteFunctions | IWebhookFunctions;

export type TaskStatus = 'new' | 'queued' | 'processing' | 'done' | 'failed';

const TERMINAL_STATUSES: readonly TaskStatus[] = ['done', 'failed'];

/** Whether a task with this status has ended: done or failed, nothing more will change. */
export const hasEnded = (status: TaskStatus | undefined): boolean =>
	status !== undefined && TERMINAL_STATUSES.includes(status);

/** A task as the API returns it; only the fields this package reads are named. */
export interface CelanturTask extends IDataObject {
	task_id: number;
	task_status?: TaskStatus;
	create_time?: string;
	failure_cause?: string;
	upload_url?: string;
	anonymized_url?: string;
	binary_segmentation_mask_url?: string;
	instance_segmentation_mask_url?: string;
}

export interface Detection extends IDataObject {
	type_label?: string;
	score?: number;
	bbox?: number[];
	is_anonymised?: boolean;
}

/**
 * What a failed request left behind, whatever shape it came in (see transport/http-failure.ts).
 * Nothing here keeps request headers or URLs, so the token and presigned signatures cannot leak
 * into a message built from it.
 */
export interface HttpFailure {
	status?: number;
	code?: string;
	data?: unknown;
	retryAfterSeconds?: number;
	/** Every text the error carries, the most specific first. */
	texts: string[];
}

export interface TaskListPage {
	limit?: number;
	count?: number;
	next_page_key?: number | string | null;
	items?: IDataObject[];
}
