/**
 * Where the Celantur API is and its endpoints, for the credential and both nodes. A leaf: it
 * imports nothing of this package, so the credential can use it without reaching into the nodes.
 */

export const DEFAULT_BASE_URL = 'https://api.celantur.com/v2';

const TRAILING_SLASHES = /\/+$/;

/** The API root without trailing slashes, so `${root}/signin` is always one slash. */
export function apiRoot(baseUrl: unknown): string {
	const text =
		typeof baseUrl === 'string' && baseUrl.trim() !== '' ? baseUrl.trim() : DEFAULT_BASE_URL;
	return text.replace(TRAILING_SLASHES, '');
}

/**
 * `apiRoot` as an n8n expression over the credential, for the credential's test request, which n8n
 * resolves declaratively and so cannot call `apiRoot` itself. Written from the same default and
 * pattern, step for step; a test evaluates it with n8n's expression engine against `apiRoot`.
 */
export const API_ROOT_EXPRESSION = `={{(($credentials.baseUrl || "").trim() || "${DEFAULT_BASE_URL}").replace(/${TRAILING_SLASHES.source}/, "")}}`;

/** Every path the package calls, relative to the API root. The transport has one function per entry. */
export const ENDPOINTS = {
	signIn: '/signin',
	createTask: '/task',
	listTasks: '/task/list',
	task: (taskId: number) => `/task/${taskId}`,
	taskStatus: (taskId: number) => `/task/${taskId}/status`,
	startTask: (taskId: number) => `/task/${taskId}/start`,
	taskMetadata: (taskId: number) => `/task/${taskId}/metadata`,
	taskFiles: (taskId: number) => `/task/${taskId}/files`,
} as const;
