import type { Timeline } from './emulator-child';

/**
 * Where a run's seconds went, from the emulator's request log, counted from the node's start:
 * until the first request (reading and checking every input), and when the last upload and the
 * last download began (the tail after the last download is writing it into n8n's store).
 */
export interface Phases {
	first_request_s: number;
	last_upload_s: number;
	last_download_s: number;
}

export function phaseFigures(timeline: Timeline, startedAt: number): Phases | undefined {
	const { createTask, upload, downloadAnonymized } = timeline;
	if (!createTask || !upload || !downloadAnonymized) return undefined;
	const since = (time: number) => Number(((time - startedAt) / 1000).toFixed(2));
	return {
		first_request_s: since(createTask.first),
		last_upload_s: since(upload.last),
		last_download_s: since(downloadAnonymized.last),
	};
}
