// Raw-HTTP helpers for tests that talk to the emulator (no production client code involved).
import { request } from 'undici';
import { DEFAULT_USER, startEmulator } from './index';
import type { Emulator, EmulatorOptions, TaskStatus } from './types';

export interface RawResponse {
	status: number;
	headers: Record<string, string>;
	body: Buffer;
	text: string;
	/** Parsed JSON, or undefined when the body is empty or not JSON. */
	json: unknown;
}

/** Any JSON object, for reading fields in assertions. */
export type JsonObject = Record<string, unknown>;

export interface CallOptions {
	token?: string;
	/** JSON-encoded unless it is already a string or Buffer. */
	body?: unknown;
	headers?: Record<string, string>;
}

export async function http(
	method: string,
	url: string,
	options: CallOptions = {},
): Promise<RawResponse> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.token !== undefined) headers.authorization = options.token;
	let body: string | Buffer | undefined;
	if (options.body !== undefined) {
		body =
			typeof options.body === 'string' || Buffer.isBuffer(options.body)
				? options.body
				: JSON.stringify(options.body);
		// Buffers are uploads: their Content-Type is the caller's business (and may be absent).
		if (!Buffer.isBuffer(options.body)) headers['content-type'] ??= 'application/json';
	}
	const response = await request(url, { method, headers, body });
	const buffer = Buffer.from(await response.body.arrayBuffer());
	const text = buffer.toString('utf8');
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(response.headers)) {
		if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return { status: response.statusCode, headers: flat, body: buffer, text, json };
}

export function obj(value: unknown): JsonObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`);
	}
	return value as JsonObject;
}

export async function signIn(
	emu: Emulator,
	user: { username: string; password: string } = DEFAULT_USER,
): Promise<string> {
	const response = await http('POST', `${emu.baseUrl}/signin`, { body: user });
	if (response.status !== 200)
		throw new Error(`sign-in failed: ${response.status} ${response.text}`);
	return String(obj(response.json).AccessToken);
}

export async function createTask(
	emu: Emulator,
	token: string,
	body: JsonObject,
): Promise<JsonObject> {
	const response = await http('POST', `${emu.baseUrl}/task`, { token, body });
	if (response.status !== 200)
		throw new Error(`create failed: ${response.status} ${response.text}`);
	return obj(response.json);
}

export async function upload(
	url: string,
	image: Buffer,
	contentType = 'image/jpeg',
): Promise<RawResponse> {
	return http('PUT', url, { body: image, headers: { 'content-type': contentType } });
}

/** Create, upload, and wait until the task ends; returns the final `GET /task/{id}` body. */
export async function runTask(
	emu: Emulator,
	token: string,
	body: JsonObject,
	image: Buffer,
	contentType = image[0] === 0x89 ? 'image/png' : 'image/jpeg',
): Promise<JsonObject> {
	const created = await createTask(emu, token, body);
	const put = await upload(String(created.upload_url), image, contentType);
	if (put.status !== 200) throw new Error(`upload failed: ${put.status} ${put.text}`);
	return waitForStatus(emu, token, Number(created.task_id), ['done', 'failed']);
}

/**
 * Waits for the emulator to move the task into one of `statuses` (an event, not a deadline: how
 * long that takes depends on the machine), then returns `GET /task/{id}` as the API answers it.
 */
export async function waitForStatus(
	emu: Emulator,
	token: string,
	taskId: number,
	statuses: TaskStatus[],
): Promise<JsonObject> {
	await emu.waitForTask(taskId, statuses);
	for (;;) {
		const response = await http('GET', `${emu.baseUrl}/task/${taskId}`, { token });
		const task = obj(response.json);
		if (response.status === 200) {
			if (!statuses.includes(task.task_status as TaskStatus))
				throw new Error(`task ${taskId} answered ${response.text}, expected ${statuses.join('/')}`);
			return task;
		}
		// A test's fault knobs may refuse a read; faults are counted, so a later read is answered.
	}
}

export async function download(url: string): Promise<RawResponse> {
	return http('GET', url);
}

/** An emulator for the tests of one describe block, with a token of the default user. */
export interface EmulatorSession {
	readonly emu: Emulator;
	readonly token: string;
}

/**
 * Starts an emulator and signs the default user in before the block's tests (beforeAll), and closes
 * it after them (afterAll). Read `emu` and `token` inside hooks and tests, not at describe time.
 */
export function useEmulator(options?: EmulatorOptions): EmulatorSession {
	let current: { emu: Emulator; token: string } | undefined;
	beforeAll(async () => {
		const emu = await startEmulator(options);
		current = { emu, token: await signIn(emu) };
	});
	afterAll(async () => {
		await current?.emu.close();
		current = undefined;
	});
	const started = () => {
		if (!current)
			throw new Error('useEmulator(): read emu/token inside a test or hook, after beforeAll');
		return current;
	};
	return {
		get emu() {
			return started().emu;
		},
		get token() {
			return started().token;
		},
	};
}
