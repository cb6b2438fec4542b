// The floor a batch could reach: the latency of one task, plus every image's requests and
// transfers done `concurrency` at a time by the HTTP client every n8n node must use (n8n-core's
// httpRequest), with nothing else going on. Beside it: the same with each image read from and its
// result written into n8n's binary store (work n8n-core does for any node that moves files), and
// the same with the API requests made through the credential as a node makes them, and the older
// single-stream figure.
import { readFileSync } from 'node:fs';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type { Readable } from 'node:stream';

import { DEFAULT_USER } from '../test/emulator';
import { runJobs } from './run-jobs';

export interface TransferCosts {
	/** Seconds per API request, `concurrency` in flight: what create and status cost each image. */
	apiRequestS: number;
	/** The same through httpRequestWithAuthentication, as a node with the credential must call. */
	apiRequestWithAuthS: number;
	/** Seconds per upload and per download of one image, `concurrency` in flight. */
	uploadS: number;
	downloadS: number;
	/** The same, the upload read from n8n's binary store and the download written into it. */
	uploadFromStoreS: number;
	downloadToStoreS: number;
	/** Bytes per second of uploads and downloads together, `concurrency` in flight. */
	aggregateRate: number;
	/** Bytes per second of one upload at a time: the old ideal's rate. */
	singleStreamRate: number;
	/** Seconds spent measuring, spread over which the load of the machine is averaged. */
	measuredS: number;
	/** CPU seconds of this process per image, for the plain ideal's work and for the ideal in n8n's. */
	cpuPerImageS: number;
	cpuPerImageInN8nS: number;
}

/** CPU seconds (user and system) of this process since `since`. */
export function cpuSeconds(since: NodeJS.CpuUsage): number {
	const { user, system } = process.cpuUsage(since);
	return (user + system) / 1e6;
}

async function api<T>(options: IHttpRequestOptions): Promise<T> {
	return (await httpRequest({ json: true, ...options })) as T;
}

async function drain(body: Readable): Promise<void> {
	for await (const _chunk of body) {
		// Read to the end, as an upload of the bytes does.
	}
}

type Kind =
	'create' | 'upload' | 'download' | 'uploadFromStore' | 'downloadToStore' | 'authenticatedCreate';
const KINDS: Kind[] = [
	'create',
	'upload',
	'download',
	'uploadFromStore',
	'downloadToStore',
	'authenticatedCreate',
];

/** Runs `jobs` creates, `concurrency` at a time, inside a node (api-probe.node.ts); the seconds and CPU seconds of the whole. */
export type AuthenticatedCreates = (
	jobs: number,
	concurrency: number,
) => Promise<{ seconds: number; cpuSeconds: number }>;

/**
 * Measures on the emulator: creates (as the API cost of an image), uploads of `file`, downloads of
 * the result of `doneTaskId` (a finished task of the same file), each `concurrency` at a time,
 * and the same transfers through n8n's binary store. The kinds take turns in rounds until
 * `minSeconds` have passed, so that a machine whose load changes weighs on each kind alike.
 */
export async function measureTransferCosts(
	baseUrl: string,
	file: string,
	doneTaskId: number,
	concurrency: number,
	minSeconds: number,
	authenticatedCreates: AuthenticatedCreates,
): Promise<TransferCosts> {
	const bytes = readFileSync(file);
	const { AccessToken: token } = await api<{ AccessToken: string }>({
		method: 'POST',
		url: `${baseUrl}/signin`,
		body: DEFAULT_USER,
	});
	const done = await api<IDataObject>({
		method: 'GET',
		url: `${baseUrl}/task/${doneTaskId}/status`,
		headers: { authorization: token },
	});
	const downloadUrl = String(done.anonymized_url);
	const store = Container.get(BinaryDataService);
	const location = { type: 'execution' as const, workflowId: 'bench', executionId: 'ideal' };
	const stored: IBinaryData = await store.store(location, bytes, {
		data: '',
		mimeType: 'image/jpeg',
		fileName: 'ideal.jpg',
	});
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
	const put = async (url: string, body: Buffer | Readable) => {
		// As the node uploads: without following redirects, which would keep the whole body to resend it.
		await httpRequest({
			method: 'PUT',
			url,
			body,
			headers: { 'Content-Type': 'image/jpeg', 'Content-Length': bytes.length },
			disableFollowRedirect: true,
		});
	};
	const get = async () =>
		(await httpRequest({ method: 'GET', url: downloadUrl, encoding: 'stream' })) as Readable;
	const job: Record<Exclude<Kind, 'authenticatedCreate'>, (n: number) => Promise<void>> = {
		create,
		upload: async () => await put(uploadUrls.shift()!, bytes),
		download: async () => await drain(await get()),
		uploadFromStore: async () =>
			await put(uploadUrls.shift()!, await store.getAsStream(stored.id!)),
		downloadToStore: async () => {
			await store.store(location, await get(), {
				data: '',
				mimeType: 'image/jpeg',
				fileName: 'result.jpg',
			});
		},
	};

	const seconds: Record<Kind, number> = {
		create: 0,
		upload: 0,
		download: 0,
		uploadFromStore: 0,
		downloadToStore: 0,
		authenticatedCreate: 0,
	};
	const cpu: Record<Kind, number> = { ...seconds };
	let rounds = 0;
	const started = Date.now();
	do {
		// Two creates per round: one presigned URL for each kind of upload.
		for (const kind of ['create', ...KINDS] as Kind[]) {
			if (kind === 'authenticatedCreate') {
				// Timed inside the node: running the workflow around it is no part of a request's cost.
				const probe = await authenticatedCreates(jobs, concurrency);
				seconds[kind] += probe.seconds;
				cpu[kind] += probe.cpuSeconds;
				continue;
			}
			const cpuBefore = process.cpuUsage();
			seconds[kind] += await runJobs(jobs, concurrency, job[kind]);
			cpu[kind] += cpuSeconds(cpuBefore);
		}
		rounds++;
	} while (Date.now() - started < minSeconds * 1000);
	await store.deleteMany([location]);
	const jobsOf = (kind: Kind) => rounds * jobs * (kind === 'create' ? 2 : 1);
	const per = (kind: Kind) => seconds[kind] / jobsOf(kind);
	const cpuPer = (kind: Kind) => cpu[kind] / jobsOf(kind);

	let single = Infinity;
	for (let n = 0; n < 3; n++) {
		await create();
		single = Math.min(single, await runJobs(1, 1, job.upload));
	}
	const [uploadS, downloadS] = [per('upload'), per('download')];
	return {
		apiRequestS: per('create'),
		apiRequestWithAuthS: per('authenticatedCreate'),
		uploadS,
		downloadS,
		uploadFromStoreS: per('uploadFromStore'),
		downloadToStoreS: per('downloadToStore'),
		aggregateRate: (2 * bytes.length) / (uploadS + downloadS),
		singleStreamRate: bytes.length / single,
		measuredS: (Date.now() - started) / 1000,
		cpuPerImageS: 2 * cpuPer('create') + cpuPer('upload') + cpuPer('download'),
		cpuPerImageInN8nS:
			2 * cpuPer('authenticatedCreate') + cpuPer('uploadFromStore') + cpuPer('downloadToStore'),
	};
}

/** Each image costs a create and a status call, an upload and a download. */
export function idealSeconds(costs: TransferCosts, images: number, latencyS: number): number {
	return latencyS + images * (2 * costs.apiRequestS + costs.uploadS + costs.downloadS);
}

/** As `idealSeconds`, with the upload read from n8n's binary store and the download written into it. */
export function storeIdealSeconds(costs: TransferCosts, images: number, latencyS: number): number {
	return (
		latencyS + images * (2 * costs.apiRequestS + costs.uploadFromStoreS + costs.downloadToStoreS)
	);
}

/** As `storeIdealSeconds`, with the API requests made as a node with the credential makes them: all of n8n-core's share. */
export function n8nIdealSeconds(costs: TransferCosts, images: number, latencyS: number): number {
	return (
		latencyS +
		images * (2 * costs.apiRequestWithAuthS + costs.uploadFromStoreS + costs.downloadToStoreS)
	);
}

/** The old ideal: latency plus every byte up and down at single-stream speed. */
export function singleStreamIdealSeconds(
	costs: TransferCosts,
	images: number,
	bytes: number,
	latencyS: number,
): number {
	return latencyS + (2 * bytes * images) / costs.singleStreamRate;
}
