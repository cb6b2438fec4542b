import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TOKEN_SERVER_USER = 'harness@example.com';
export const TOKEN_SERVER_PASSWORD = 'correct horse';

/**
 * A loopback API for HarnessTokenApi: POST /signin issues a token, GET /resource wants
 * `Bearer <token>` and answers 401 for unknown or revoked tokens.
 */
export interface TokenServer {
	baseUrl: string;
	signIns: number;
	served: number;
	rejected: number;
	/** Authorization headers of every /resource request, in order. */
	authorizations: string[];
	/** Forgets every issued token, as when the API's tokens expire. */
	revokeAll(): void;
	close(): Promise<void>;
}

export async function startTokenServer(): Promise<TokenServer> {
	const valid = new Set<string>();
	let issued = 0;
	const state = {
		signIns: 0,
		served: 0,
		rejected: 0,
		authorizations: [] as string[],
	};

	const server = createServer((req, res) => {
		void handle(req, res).catch((error: unknown) => reply(res, 500, { message: String(error) }));
	});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const body = await readBody(req);
		if (req.method === 'POST' && req.url === '/signin') {
			state.signIns += 1;
			const { username, password } = JSON.parse(body || '{}') as {
				username?: string;
				password?: string;
			};
			if (username !== TOKEN_SERVER_USER || password !== TOKEN_SERVER_PASSWORD) {
				reply(res, 401, { message: 'bad credentials' });
				return;
			}
			issued += 1;
			const token = `tok-${issued}`;
			valid.add(token);
			reply(res, 200, { token });
			return;
		}
		if (req.method === 'GET' && req.url?.startsWith('/resource')) {
			const authorization = req.headers.authorization ?? '';
			state.authorizations.push(authorization);
			if (!valid.has(authorization.replace(/^Bearer /, ''))) {
				state.rejected += 1;
				reply(res, 401, { message: 'token expired' });
				return;
			}
			state.served += 1;
			reply(res, 200, { ok: true, served: state.served });
			return;
		}
		reply(res, 404, { message: 'not found' });
	}

	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;

	return {
		baseUrl: `http://127.0.0.1:${port}`,
		get signIns() {
			return state.signIns;
		},
		get served() {
			return state.served;
		},
		get rejected() {
			return state.rejected;
		},
		get authorizations() {
			return state.authorizations;
		},
		revokeAll: () => valid.clear(),
		close: async () => {
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		},
	};
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: object): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}
