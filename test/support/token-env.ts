// The loopback token API plus an n8n-core harness holding one HarnessTokenApi credential for it,
// for tests of n8n's expirable-credential handling with the test-only nodes.
import {
	createHarness,
	HARNESS_TOKEN_API,
	startTokenServer,
	TOKEN_SERVER_PASSWORD,
	TOKEN_SERVER_USER,
	type Harness,
	type TokenServer,
} from '../harness';

export const TOKEN_CREDENTIAL_ID = 'token-1';

export interface TokenEnv {
	server: TokenServer;
	harness: Harness;
	close(): Promise<void>;
}

export async function startTokenEnv(): Promise<TokenEnv> {
	const server = await startTokenServer();
	const harness = await createHarness({
		nodeTypes: {},
		credentials: [
			{
				id: TOKEN_CREDENTIAL_ID,
				name: 'Token account',
				type: HARNESS_TOKEN_API,
				data: {
					baseUrl: server.baseUrl,
					username: TOKEN_SERVER_USER,
					password: TOKEN_SERVER_PASSWORD,
				},
			},
		],
	});
	return {
		server,
		harness,
		close: async () => {
			await harness.close();
			await server.close();
		},
	};
}
