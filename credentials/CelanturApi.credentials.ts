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

import { networkWords } from '../nodes/Celantur/transport/network-words';

export const DEFAULT_BASE_URL = 'https://api.celantur.com/v2';

/**
 * Every sign-in error starts with this. n8n wraps errors from preAuthentication in a NodeApiError
 * that keeps only their text, so the node's transport recognises them by it.
 */
export const SIGN_IN_FAILED = 'Celantur sign-in failed';

/** The API root without trailing slashes, so `${root}/signin` is always one slash. */
export function apiRoot(baseUrl: unknown): string {
	const text = typeof baseUrl === 'string' && baseUrl.trim() !== '' ? baseUrl.trim() : DEFAULT_BASE_URL;
	return text.replace(/\/+$/, '');
}

interface SignInReply {
	AccessToken?: unknown;
	ExpiresIn?: unknown;
	AuthenticationResult?: { AccessToken?: unknown; ExpiresIn?: unknown };
}

interface HttpFailure {
	message?: string;
	code?: string;
	httpCode?: string;
	response?: { status?: number; data?: unknown };
	cause?: HttpFailure;
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
	if (typeof reply !== 'object' || reply === null) return `a ${typeof reply} instead of a JSON object`;
	const keys = Object.keys(reply);
	return keys.length ? `a JSON object with the fields ${keys.join(', ')}` : 'an empty JSON object';
}

function apiMessage(data: unknown): string | undefined {
	if (typeof data !== 'object' || data === null) return typeof data === 'string' && data ? data : undefined;
	const { message, error } = data as { message?: unknown; error?: unknown };
	if (typeof message === 'string') return message;
	if (typeof error === 'string') return error;
	return undefined;
}

/** A sign-in failure worded for the person who filled in the credential. */
function signInError(failure: HttpFailure, url: string): Error {
	const status = failure.response?.status ?? failure.cause?.response?.status;
	const data = failure.response?.data ?? failure.cause?.response?.data;
	const said = apiMessage(data);
	let text: string;
	if (status === 400 || status === 401 || status === 403) {
		text = `${SIGN_IN_FAILED}: ${said ?? `HTTP ${status}`}. Check the e-mail and password of the Celantur credential (they are those of your app.celantur.com account).`;
	} else if (status !== undefined) {
		text = `${SIGN_IN_FAILED}: ${url} answered HTTP ${status}${said ? ` (${said})` : ''}. Check the Base URL of the credential, or try again later.`;
	} else {
		text = `${SIGN_IN_FAILED}: could not reach ${url} (${networkWords(failure.code ?? failure.cause?.code)}). Check the Base URL of the credential and the network.`;
	}
	const error = new Error(text) as Error & { httpCode?: string };
	// n8n keeps httpCode on the error it wraps this in, so transient failures can be retried.
	if (status !== undefined) error.httpCode = String(status);
	return error;
}

export class CelanturApi implements ICredentialType {
	name = 'celanturApi';

	displayName = 'Celantur API';

	icon: Icon = { light: 'file:celantur.svg', dark: 'file:celantur.dark.svg' };

	documentationUrl = 'https://docs.celantur.com/cloud-api/api-endpoints';

	properties: INodeProperties[] = [
		{
			displayName: 'E-Mail',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: 'The e-mail address you sign in to app.celantur.com with',
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
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const url = `${apiRoot(credentials.baseUrl)}/signin`;
		let reply: unknown;
		try {
			reply = await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: { username: credentials.email, password: credentials.password },
				json: true,
			});
		} catch (error) {
			throw signInError(error as HttpFailure, url);
		}
		const accessToken = tokenFrom(reply);
		if (!accessToken) {
			throw new Error(
				`${SIGN_IN_FAILED}: ${url} answered without an AccessToken; it sent ${describeShape(reply)}. Check the Base URL of the credential.`,
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
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/task/list',
			method: 'GET',
			qs: { create_time_after: '2000-01-01', create_time_before: '2100-01-01', limit: 10 },
		},
	};
}
