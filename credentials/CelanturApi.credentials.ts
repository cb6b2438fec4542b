import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { API_ROOT_EXPRESSION, apiRoot, DEFAULT_BASE_URL, ENDPOINTS } from '../nodes/shared/api';
import { celanturMessage, networkWords, SIGN_IN_FAILED } from '../nodes/shared/api-errors';
import { SIGN_IN_RETRY_POLICY, withRetries } from '../nodes/shared/retry';
import type { HttpFailure } from '../nodes/shared/types';

interface SignInReply {
	AccessToken?: unknown;
	AuthenticationResult?: { AccessToken?: unknown };
}

/** What a failed sign-in request left behind (an axios error from n8n's plain request helper). */
interface SignInFailure {
	code?: string;
	response?: { status?: number; data?: unknown };
}

/** Celantur's v2 reply has the token at the top level; older docs show the Cognito shape. */
function tokenFrom(reply: unknown): string | undefined {
	if (typeof reply !== 'object' || reply === null) return undefined;
	const { AccessToken, AuthenticationResult } = reply as SignInReply;
	const token = AccessToken ?? AuthenticationResult?.AccessToken;
	return typeof token === 'string' && token !== '' ? token : undefined;
}

/** Names what came back without echoing any value, since a reply may hold other tokens. */
function describeShape(reply: unknown): string {
	if (isHtml(reply)) return 'a web page instead of a JSON object';
	if (typeof reply !== 'object' || reply === null)
		return `a ${typeof reply} instead of a JSON object`;
	const keys = Object.keys(reply);
	return keys.length ? `a JSON object with the fields ${keys.join(', ')}` : 'an empty JSON object';
}

/** What the retry policy needs to know of a failed sign-in. */
function readSignInFailure(error: unknown): HttpFailure {
	const failure = error as SignInFailure;
	return { status: failure.response?.status, code: failure.code, texts: [] };
}

/** Celantur's sign-in (Amazon Cognito) refuses an account with a `code` such as NotAuthorizedException. */
function isAccountRefusal(data: unknown): boolean {
	let body = data;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body) as unknown;
		} catch {
			return false;
		}
	}
	if (typeof body !== 'object' || body === null) return false;
	const { code, message } = body as { code?: unknown; message?: unknown };
	return (
		(typeof code === 'string' && /Exception$/.test(code)) ||
		(typeof message === 'string' && /user ?name|password/i.test(message))
	);
}

function isHtml(data: unknown): boolean {
	const text = Buffer.isBuffer(data) ? data.toString('utf8') : data;
	return typeof text === 'string' && /^\s*</.test(text);
}

const BASE_URL_HINT = `Check the Base URL of the credential: it is the API root, ending in /v2 (${DEFAULT_BASE_URL}).`;

/**
 * A sign-in failure worded for the person who filled in the credential. Only Celantur's own
 * refusal blames the email and password; any other answer means the Base URL does not lead to
 * Celantur's sign-in (Amazon's gateway says "Missing Authentication Token" for a path it does not
 * know, a website answers with an HTML page).
 */
function signInError(failure: SignInFailure, url: string): Error {
	const status = failure.response?.status;
	const data = failure.response?.data;
	const said = isHtml(data) ? undefined : celanturMessage(data)?.replace(/\.+$/, '');
	let text: string;
	if ((status === 400 || status === 401 || status === 403) && isAccountRefusal(data)) {
		text = `${SIGN_IN_FAILED}: ${said ?? `HTTP ${status}`}. Check the email and password of the Celantur credential (they are those of your app.celantur.com account).`;
	} else if (status === 429 || (status !== undefined && status >= 500)) {
		text = `${SIGN_IN_FAILED}: ${url} answered HTTP ${status}${said ? ` (${said})` : ''}. Celantur may be busy: try again later; if it persists, check the Base URL of the credential.`;
	} else if (status !== undefined) {
		const answer = isHtml(data)
			? 'a web page'
			: said
				? `HTTP ${status} (${said})`
				: `HTTP ${status}`;
		text = `${SIGN_IN_FAILED}: ${url} is not Celantur's sign-in; it answered ${answer}. ${BASE_URL_HINT}`;
	} else {
		text = `${SIGN_IN_FAILED}: could not reach ${url} (${networkWords(failure.code)}). ${BASE_URL_HINT} Also check that n8n can reach it.`;
	}
	// No httpCode: n8n would replace the message of a 400 with its generic "Bad request" text,
	// and the credential test shows only the message.
	return new Error(text);
}

export class CelanturApi implements ICredentialType {
	name = 'celanturApi';

	displayName = 'Celantur API';

	icon: Icon = { light: 'file:../icons/celantur.svg', dark: 'file:../icons/celantur.dark.svg' };

	documentationUrl = 'https://github.com/celantur/n8n-nodes-celantur#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: 'The email address you sign in to app.celantur.com with',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password of your app.celantur.com account',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'The root of the Celantur Cloud API v2. Change it only for another region, a proxy, or a local emulator.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** n8n calls this when the token is empty or a request answered 401: sign in again. */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const url = `${apiRoot(credentials.baseUrl)}${ENDPOINTS.signIn}`;
		let reply: unknown;
		try {
			// A refused password is final; a busy or unreachable service may answer a moment later.
			reply = await withRetries(
				async () =>
					(await this.helpers.httpRequest({
						method: 'POST',
						url,
						body: { username: credentials.email, password: credentials.password },
						json: true,
					})) as unknown,
				{ idempotent: true, policy: SIGN_IN_RETRY_POLICY, read: readSignInFailure },
			);
		} catch (error) {
			throw signInError(error as SignInFailure, url);
		}
		const accessToken = tokenFrom(reply);
		if (!accessToken) {
			throw new Error(
				`${SIGN_IN_FAILED}: ${url} is not Celantur's sign-in; it answered without an AccessToken, with ${describeShape(reply)}. ${BASE_URL_HINT}`,
			);
		}
		return { accessToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			// Celantur's own clients send the token raw, without a "Bearer " prefix.
			headers: { Authorization: '={{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: API_ROOT_EXPRESSION,
			url: ENDPOINTS.listTasks,
			method: 'GET',
			qs: { create_time_after: '2000-01-01', create_time_before: '2100-01-01', limit: 10 },
		},
	};
}
