// The floor a batch could reach: the latency of one task, plus every image's requests and
// transfers done `concurrency` at a time by the HTTP client every n8n node must use (n8n-core's
// httpRequest), with nothing else going on. The older single-stream figure is kept beside it.
import { readFileSync } from 'node:fs';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type { Readable } from 'node:stream';

import { DEFAULT_USER } from '../test/emulator';

export interface TransferCosts {
	/** Seconds per API request, `concurrency` in flight: what create and status cost each image. */
	apiRequestS: number;
	/** Seconds per upload and per download of one image, `concurrency` in flight. */
	uploadS: number;
	downloadS: number;
	/** Bytes per second of uploads and downloads together, `concurrency` in flight. */
	aggregateRate: number;
	/** Bytes per second of one upload at a time: the old ideal's rate. */
	singleStreamRate: number;
}

/** Runs `jobs` jobs, `concurrency` at a time; the seconds per job of the whole. */
async function aggregateSeconds(jobs: number, concurrency: number, job: (n: number) => Promise<void>): Promise<number> {
	let next = 0;
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: Math.min(concurrency, jobs) }, async () => {
			while (next < jobs) await job(next++);
		}),
	);
	return Number(process.hrtime.bigint() - started) / 1e9 / jobs;
}

async function api<T>(options: IHttpRequestOptions): Promise<T> {
	return (await httpRequest({ json: true, ...options })) as T;
}

async function drain(body: Readable): Promise<void> {
	for await (const _chunk of body) {
		// Read to the end, as a download into n8n's binary store does.
	}
}

/**
 * Measures on the emulator: creates (as the API cost of an image), uploads of `file`, downloads of
 * the result of `doneTaskId` (a finished task of the same file), each `concurrency` at a time.
 */
export async function measureTransferCosts(baseUrl: string, file: string, doneTaskId: number, concurrency: number): Promise<TransferCosts> {
	const bytes = readFileSync(file);
	const { AccessToken: token } = await api<{ AccessToken: string }>({ method: 'POST', url: `${baseUrl}/signin`, body: DEFAULT_USER });
	const done = await api<IDataObject>({ method: 'GET', url: `${baseUrl}/task/${doneTaskId}/status`, headers: { authorization: token } });
	const downloadUrl = String(done.anonymized_url);
	const jobs = concurrency * 5;
	const uploadUrls: string[] = [];
	const create = async () => {
		const task = await api<IDataObject>({
			method: 'POST',
			url: `${baseUrl}/task`,
			headers: { authorization: token },
			body: { anonymization_method: 'blur', face: true, start_on: 'start_request' },
		});
		uploadUrls.push(String(task.upload_url));
	};
	const upload = async (url: string) => {
		await httpRequest({ method: 'PUT', url, body: bytes, headers: { 'Content-Type': 'image/jpeg', 'Content-Length': bytes.length } });
	};
	const download = async () => {
		await drain((await httpRequest({ method: 'GET', url: downloadUrl, encoding: 'stream' })) as Readable);
	};

	const apiRequestS = await aggregateSeconds(jobs, concurrency, create);
	const uploadS = await aggregateSeconds(jobs, concurrency, async (n) => await upload(uploadUrls[n]));
	const downloadS = await aggregateSeconds(jobs, concurrency, download);

	let single = Infinity;
	for (let n = 0; n < 3; n++) single = Math.min(single, await aggregateSeconds(1, 1, async () => await upload(uploadUrls[n])));
	return { apiRequestS, uploadS, downloadS, aggregateRate: (2 * bytes.length) / (uploadS + downloadS), singleStreamRate: bytes.length / single };
}

/** Each image costs a create and a status call, an upload and a download. */
export function idealSeconds(costs: TransferCosts, images: number, latencyS: number): number {
	return latencyS + images * (2 * costs.apiRequestS + costs.uploadS + costs.downloadS);
}

/** The old ideal: latency plus every byte up and down at single-stream speed. */
export function singleStreamIdealSeconds(costs: TransferCosts, images: number, bytes: number, latencyS: number): number {
	return latencyS + (2 * bytes * images) / costs.singleStreamRate;
}
