import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiRoot } from '../api';
import { celanturMessage, isSignInRefusal, networkWords, SIGN_IN_FAILED } from '../api-errors';
import { withRetries } from '../retry';
import type { BinaryStream, CelanturContext, HttpFailure } from '../types';
import { HttpStatusError, readHttpFailure, redactUrl } from './http-failure';

export const CREDENTIAL_TYPE = 'celanturApi';

export interface ApiRequestOptions {
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** The request creates a task: it is not sent again unless the failure proves no task was made. */
	createsTask?: boolean;
}

/**
 * The only place that speaks HTTP. API calls go to the credential's Base URL with the token;
 * presigned storage URLs get a plain request with no Authorization, as S3 demands and so that the
 * token never leaves for another host.
 */
export interface CelanturClient {
	readonly root: string;
	readonly signal: AbortSignal | undefined;
	api<T>(method: IHttpRequestMethods, path: string, options?: ApiRequestOptions): Promise<T>;
	upload(
		url: string,
		open: () => Promise<Buffer | BinaryStream>,
		contentType: string,
		contentLength: number,
		itemIndex: number,
	): Promise<void>;
	download<T>(
		url: string,
		what: string,
		itemIndex: number,
		consume: (body: BinaryStream) => Promise<T>,
	): Promise<T>;
}

function apiError(
	ctx: CelanturContext,
	failure: HttpFailure,
	request: string,
	itemIndex: number | undefined,
	createsTask: boolean,
): NodeApiError {
	const signIn = failure.texts.find((text) => text.startsWith(SIGN_IN_FAILED));
	const said = celanturMessage(failure.data);
	const transient =
		failure.status === 429 || (failure.status !== undefined && failure.status >= 500);
	let message: string;
	if (signIn) message = signIn;
	else if (said && !transient) message = `Celantur: ${said}`;
	else if (failure.status !== undefined)
		message = `Celantur answered HTTP ${failure.status}${said ? ` (${said})` : ''} to ${request}`;
	else message = `Could not reach Celantur for ${request} (${networkWords(failure.code)})`;
	let description = `Request: ${request}`;
	if (failure.status === 429) {
		description =
			'Celantur is rate limiting this account. The node retried with backoff; lower "Concurrency" or try again later.';
	} else if (transient) {
		description =
			'Celantur had a server error. The node retried where that was safe; if it persists, contact Celantur support.';
	}
	if (
		createsTask &&
		failure.status !== 429 &&
		failure.status !== 503 &&
		(transient || failure.status === undefined)
	) {
		// Not retried, since the task may exist: sending again could anonymize (and bill) the image twice.
		description =
			'The answer was lost, so the task may or may not have been created. Check with "Get Many" (status New) before running this item again.';
	}
	const httpCode = failure.status === undefined ? undefined : String(failure.status);
	// Built from a plain object, never from the axios error, whose config holds the token.
	return new NodeApiError(ctx.getNode(), { message, httpCode: httpCode ?? null } as JsonObject, {
		message,
		description,
		httpCode,
		itemIndex,
	});
}

function storageError(
	ctx: CelanturContext,
	failure: HttpFailure,
	what: string,
	url: string,
	itemIndex: number,
): NodeApiError {
	const detail =
		failure.status !== undefined ? `HTTP ${failure.status}` : networkWords(failure.code);
	const hint =
		failure.status === 403
			? ' The link may have expired (uploads after 1 hour, downloads after 4 hours): run "Download" with the task ID for fresh links.'
			: '';
	const message = `Could not ${what} (${detail}) at ${redactUrl(url)}.${hint}`;
	const httpCode = failure.status === undefined ? undefined : String(failure.status);
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message,
		httpCode,
		itemIndex,
	});
}

/** The API root from the credential; requests never take a host from a reply. */
export async function resolveApiRoot(ctx: CelanturContext): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	return apiRoot(credentials.baseUrl);
}

export function createClient(ctx: CelanturContext, root: string): CelanturClient {
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;

	/** A request's result, or its failure as an n8n error; a cancellation passes through as it is. */
	const settle = async <T>(
		attempt: Promise<T>,
		convert: (failure: HttpFailure) => NodeApiError,
	): Promise<T> => {
		const outcome = await attempt.then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		if (outcome.ok) return outcome.value;
		throw signal?.aborted ? outcome.error : convert(readHttpFailure(outcome.error));
	};

	/**
	 * One authenticated call. Error statuses are read in full here (n8n's error would drop
	 * `Retry-After`), except 401: n8n signs in again only when a request throws a 401, so that one
	 * request is sent once more the throwing way.
	 */
	const sendApi = async <T>(request: IHttpRequestOptions): Promise<T> => {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			...request,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		})) as IN8nHttpFullResponse;
		if (response.statusCode === 401) {
			return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
				...request,
			})) as T;
		}
		if (response.statusCode >= 400)
			throw new HttpStatusError(response.statusCode, response.headers, response.body);
		return response.body as T;
	};

	// Until one call has been answered, calls go one at a time: concurrent first calls would each
	// sign in, and a refused sign-in is then reported to every item without asking again.
	let firstCall: Promise<unknown> | undefined;
	let answered = false;
	let signInRefused: NodeApiError | undefined;

	const api = async <T>(
		method: IHttpRequestMethods,
		path: string,
		options: ApiRequestOptions = {},
	): Promise<T> => {
		if (!answered && firstCall) await firstCall.catch(() => undefined);
		if (signInRefused) {
			const { message, description } = signInRefused;
			throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
				message,
				description: description ?? undefined,
				itemIndex: options.itemIndex,
			});
		}
		const request: IHttpRequestOptions = {
			method,
			url: `${root}${path}`,
			json: true,
			// A redirect to another host must not carry the token along.
			sendCredentialsOnCrossOriginRedirect: false,
		};
		if (options.body) request.body = options.body;
		if (options.qs) request.qs = options.qs;
		const createsTask = options.createsTask === true;
		const call = settle(
			withRetries(async () => await sendApi<T>(request), {
				idempotent: !createsTask,
				signal,
				read: readHttpFailure,
			}),
			(failure) => apiError(ctx, failure, `${method} ${path}`, options.itemIndex, createsTask),
		);
		if (!answered && !firstCall) firstCall = call;
		const outcome = await call.then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		answered = true;
		if (outcome.ok) return outcome.value;
		// A refused password is final for this execution; a sign-in that could not connect is not.
		if (outcome.error instanceof NodeApiError && isSignInRefusal(outcome.error.message))
			signInRefused = outcome.error;
		throw outcome.error;
	};

	return {
		root,
		signal,
		api,

		async upload(url, open, contentType, contentLength, itemIndex) {
			await settle(
				withRetries(
					async () =>
						await ctx.helpers.httpRequest({
							method: 'PUT',
							url,
							body: await open(),
							// S3 refuses a presigned PUT without a length (411) or chunked (501).
							headers: { 'Content-Type': contentType, 'Content-Length': contentLength },
							// Following redirects makes the HTTP client keep the whole body in memory to resend it.
							disableFollowRedirect: true,
							abortSignal: signal,
						}),
					{ idempotent: true, signal, read: readHttpFailure },
				),
				(failure) => storageError(ctx, failure, 'upload the image', url, itemIndex),
			);
		},

		async download<T>(
			url: string,
			what: string,
			itemIndex: number,
			consume: (body: BinaryStream) => Promise<T>,
		): Promise<T> {
			// The body is consumed inside the retry, so a connection reset mid-transfer is retried too.
			return await settle(
				withRetries(
					async () =>
						await consume(
							(await ctx.helpers.httpRequest({
								method: 'GET',
								url,
								encoding: 'stream',
								abortSignal: signal,
							})) as BinaryStream,
						),
					{ idempotent: true, signal, read: readHttpFailure },
				),
				(failure) => storageError(ctx, failure, `download the ${what}`, url, itemIndex),
			);
		},
	};
}
