import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

export const HARNESS_TOKEN_API = 'harnessTokenApi';

/** Shaped like celanturApi: sign in for a token kept in a hidden expirable field. */
export class HarnessTokenApi implements ICredentialType {
	name = HARNESS_TOKEN_API;

	displayName = 'Harness Token API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Username', name: 'username', type: 'string', default: '' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const reply = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${String(credentials.baseUrl)}/signin`,
			body: { username: credentials.username, password: credentials.password },
			json: true,
		})) as { token?: string };
		return { accessToken: reply.token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};
}
