import type { IDataObject } from 'n8n-workflow';

import type { CelanturClient } from '../transport/client';
import { deleteTaskFiles, getTaskDetections } from '../transport/endpoints';
import type { CelanturContext, CelanturTask } from '../types';
import { downloadResults, type ResultFiles } from './binary-output';

/** What to do with a finished task, for Create and Download alike. */
export interface ResultWanted {
	download: boolean;
	outputProperty: string;
	includeMetadata: boolean;
	deleteAfterDownload: boolean;
	/** The input's name and type, to name the result after it. */
	fileName?: string;
	mimeType?: string;
	/** Runs the download, e.g. in a transfer slot; by default at once. */
	transfer?: (download: () => Promise<ResultFiles>) => Promise<ResultFiles>;
}

/**
 * A done task's result: its files, its detections, and its files deleted at Celantur once they
 * are safely here. A failed deletion must not throw away an image that was already downloaded
 * (and paid for): it is reported on the item instead.
 */
export async function taskResult(
	ctx: CelanturContext,
	client: CelanturClient,
	task: CelanturTask,
	itemIndex: number,
	wanted: ResultWanted,
): Promise<{ json: IDataObject; files: ResultFiles }> {
	const json: IDataObject = { ...task };
	let files: ResultFiles = {};
	if (wanted.download) {
		const download = async () =>
			await downloadResults(
				ctx,
				client,
				task,
				itemIndex,
				wanted.outputProperty,
				wanted.fileName,
				wanted.mimeType,
			);
		files = await (wanted.transfer ?? ((run) => run()))(download);
		const written = files[wanted.outputProperty];
		if (written?.fileName) json.output_file_name = written.fileName;
	}
	if (wanted.includeMetadata)
		json.detections = await getTaskDetections(client, task.task_id, itemIndex);
	if (wanted.download && wanted.deleteAfterDownload) {
		await deleteTaskFiles(client, task.task_id, itemIndex).then(
			() => (json.files_deleted = true),
			(error: unknown) => {
				if (client.signal?.aborted) throw error;
				json.files_deleted = false;
				json.files_delete_error = error instanceof Error ? error.message : String(error);
			},
		);
	}
	return { json, files };
}
