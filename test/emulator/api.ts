import { randomUUID } from 'node:crypto';
import { cognitoError, type Auth } from './auth';
import { SUPPORT_MESSAGE, celanturError } from './errors';
import type { ActiveFault } from './faults';
import { jsonReply, type Exchange, type Reply, type ServerSpec } from './http';
import { handleList } from './list';
import type { TaskManager } from './tasks';
import type { EmulatorKnobs, EmulatorTask, EndpointKey } from './types';
import { validateCreateBody } from './validation';
import { createView, statusView, taskView } from './views';

export interface ApiDeps {
	auth: Auth;
	tasks: TaskManager;
	knobs: EmulatorKnobs;
	/** e.g. http://127.0.0.1:1234/v2, for metadata_url. */
	apiBase: () => string;
}

/** Lambda's payload limit; API Gateway answers bigger bodies itself. */
const MAX_BODY = 6 * 1024 * 1024;

interface Route {
	endpoint: EndpointKey;
	id?: string;
}

/**
 * Routes as API Gateway resources: `/task/list` is its own resource, so it is matched before
 * `/task/{id}`; anything else (wrong method included) is API Gateway's 403.
 */
export function route(method: string, path: string): Route {
	if (path === '/v2/signin') return { endpoint: method === 'POST' ? 'signin' : 'unknown' };
	if (path === '/v2/task') return { endpoint: method === 'POST' ? 'createTask' : 'unknown' };
	if (path === '/v2/task/list') return { endpoint: method === 'GET' ? 'listTasks' : 'unknown' };
	const match = /^\/v2\/task\/([^/]*)(?:\/(start|status|metadata|files))?$/.exec(path);
	if (!match) return { endpoint: 'unknown' };
	const id = decodeSegment(match[1]);
	const expected: Record<string, [string, EndpointKey]> = {
		'': ['GET', 'getTask'],
		start: ['POST', 'startTask'],
		status: ['GET', 'getStatus'],
		metadata: ['GET', 'getMetadata'],
		files: ['DELETE', 'deleteFiles'],
	};
	const [wantedMethod, endpoint] = expected[match[2] ?? ''];
	if (method !== wantedMethod || (id === '' && endpoint !== 'getTask'))
		return { endpoint: 'unknown' };
	return { endpoint, id };
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

export function apiSpec(deps: ApiDeps): ServerSpec {
	const latency = deps.knobs.latency;
	return {
		name: 'api',
		classify: (method, path) => route(method, path).endpoint,
		latencyMs: (endpoint) =>
			endpoint === 'signin'
				? latency.signinMs
				: endpoint === 'createTask'
					? latency.createMs
					: latency.requestMs,
		handle: (exchange) => handleApi(deps, exchange),
		faultReply: apiFaultReply,
		errorReply: () => celanturError(500, SUPPORT_MESSAGE),
	};
}

const GATEWAY_TEXT: Record<number, string> = {
	500: SUPPORT_MESSAGE,
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Endpoint request timed out',
};

function apiFaultReply(fault: Exclude<ActiveFault, { kind: 'reset' }>): Reply {
	if (fault.kind === 'rateLimit') {
		return jsonReply(
			429,
			{ status_code: 429, error: 'Too Many Requests' },
			{
				'retry-after': String(fault.retryAfterSeconds),
				'x-amzn-errortype': 'TooManyRequestsException',
			},
		);
	}
	return celanturError(fault.status, GATEWAY_TEXT[fault.status]);
}

async function handleApi(deps: ApiDeps, exchange: Exchange): Promise<Reply> {
	const { endpoint, id } = route(exchange.method, exchange.url.pathname);
	const body = await exchange.readBody(MAX_BODY);
	if (body === 'tooLarge') return jsonReply(413, { message: 'Request Too Long' });
	if (endpoint === 'unknown') return jsonReply(403, { message: 'Missing Authentication Token' });
	if (endpoint === 'signin') return signIn(deps, body);

	const auth = deps.auth.check(exchange.req.headers.authorization);
	if (!auth.ok) return jsonReply(401, auth.body, { 'x-amzn-errortype': 'UnauthorizedException' });

	if (endpoint === 'createTask') {
		const result = validateCreateBody(body);
		if (!result.ok) return celanturError(400, result.error);
		// Valid bodies are JSON objects, so this parse cannot fail.
		const sent = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
		const task = deps.tasks.create(
			auth.customerId,
			auth.username,
			result.settings,
			result.ignoreAreas,
			sent,
		);
		return jsonReply(200, createView(task, deps.tasks));
	}
	if (endpoint === 'listTasks')
		return handleList(deps.tasks.listFor(auth.customerId), exchange.url.searchParams);

	const found = lookup(deps.tasks, id ?? '', auth.customerId, endpoint);
	if (!('id' in found)) return found;
	const task = found;
	switch (endpoint) {
		case 'getTask':
			return jsonReply(200, taskView(task, deps.tasks, deps.apiBase()));
		case 'getStatus':
			return jsonReply(200, statusView(task, deps.tasks, deps.apiBase()));
		case 'getMetadata':
			if (task.status !== 'done' || task.detections.length === 0) return { status: 204 };
			return jsonReply(200, { task_id: task.id, detections: task.detections });
		case 'startTask': {
			const started = deps.tasks.start(task);
			return started.ok
				? jsonReply(200, statusView(task, deps.tasks, deps.apiBase()))
				: celanturError(400, started.error);
		}
		case 'deleteFiles':
			deps.tasks.deleteFiles(task);
			return jsonReply(200, { files_deleted: true, task_id: String(task.id) });
		default:
			return celanturError(500, SUPPORT_MESSAGE);
	}
}

function lookup(
	tasks: TaskManager,
	idText: string,
	customerId: string,
	endpoint: EndpointKey,
): EmulatorTask | Reply {
	if (idText === '')
		return celanturError(400, 'Getting task results failed. Please enter a task ID.');
	if (!/^-?\d+$/.test(idText))
		return celanturError(400, `Wrong format for Task ID. ${idText} is not an integer.`);
	const id = Number(idText);
	const task = Number.isSafeInteger(id) ? tasks.find(id) : undefined;
	// Another customer's task does not exist for this caller.
	if (!task || task.customerId !== customerId) {
		return celanturError(400, `Task ID not found. There is no task with task ID ${idText}.`);
	}
	if (task.deleted) {
		return endpoint === 'deleteFiles'
			? celanturError(400, `Task with ID ${task.id} already deleted.`)
			: celanturError(404, 'Task is deleted. Please upload a new task.');
	}
	return task;
}

function signIn(deps: ApiDeps, body: Buffer): Reply {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		return jsonReply(
			400,
			cognitoError(
				'InvalidParameterException',
				'Request body is not valid JSON: send {"username", "password"}.',
			),
		);
	}
	const fields =
		typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
	if (typeof fields.username !== 'string' || fields.username === '') {
		return jsonReply(
			400,
			cognitoError('InvalidParameterException', 'Missing required parameter USERNAME'),
		);
	}
	if (typeof fields.password !== 'string' || fields.password === '') {
		return jsonReply(
			400,
			cognitoError('InvalidParameterException', 'Missing required parameter PASSWORD'),
		);
	}
	const reply = deps.auth.signIn(fields.username, fields.password, deps.knobs.tokenLifetimeSeconds);
	if (!reply)
		return jsonReply(
			400,
			cognitoError('NotAuthorizedException', 'Incorrect username or password.'),
		);
	return jsonReply(200, reply, { 'x-amzn-requestid': randomUUID() });
}
