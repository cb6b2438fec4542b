import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorUser } from './types';

interface Account {
	password: string;
	customerId: string;
}

interface IssuedToken {
	username: string;
	customerId: string;
	expiresAt: number;
}

export type AuthCheck =
	{ ok: true; username: string; customerId: string } | { ok: false; body: { message: string } };

export interface SignInReply {
	AccessToken: string;
	ExpiresIn: number;
	TokenType: 'Bearer';
	RefreshToken: string;
	IdToken: string;
}

// Cognito-shaped error, which is what the real sign-in relays.
export function cognitoError(code: string, message: string): Record<string, unknown> {
	return {
		message,
		code,
		time: new Date().toISOString(),
		requestId: randomUUID(),
		statusCode: 400,
		retryable: false,
		retryDelay: Math.random() * 100,
	};
}

/**
 * Only the AccessToken is accepted, raw in `Authorization`, as Celantur's clients send it.
 * `Bearer <token>`, the IdToken and the RefreshToken are all rejected like any unknown string:
 * a client that deviates finds out here rather than in production.
 */
export class Auth {
	private readonly accounts = new Map<string, Account>();
	private readonly tokens = new Map<string, IssuedToken>();

	constructor(
		users: EmulatorUser[],
		/** The emulator's clock: tokens age with it. */
		private readonly now: () => number,
	) {
		for (const user of users) {
			this.accounts.set(user.username, {
				password: user.password,
				customerId: customerIdFor(user.username),
			});
		}
	}

	signIn(username: string, password: string, lifetimeSeconds: number): SignInReply | undefined {
		const account = this.accounts.get(username);
		if (!account || account.password !== password) return undefined;
		const accessToken = fakeJwt({ sub: account.customerId, token_use: 'access', username });
		this.tokens.set(accessToken, {
			username,
			customerId: account.customerId,
			expiresAt: this.now() + lifetimeSeconds * 1000,
		});
		return {
			AccessToken: accessToken,
			ExpiresIn: lifetimeSeconds,
			TokenType: 'Bearer',
			RefreshToken: randomBytes(96).toString('base64url'),
			IdToken: fakeJwt({ sub: account.customerId, token_use: 'id', email: username }),
		};
	}

	// API Gateway's Cognito authorizer answers these bodies, not Celantur's {status_code, error}.
	check(header: string | undefined): AuthCheck {
		if (!header) return { ok: false, body: { message: 'Unauthorized' } };
		const token = this.tokens.get(header);
		if (!token) return { ok: false, body: { message: 'Unauthorized' } };
		if (this.now() >= token.expiresAt)
			return { ok: false, body: { message: 'The incoming token has expired' } };
		return { ok: true, username: token.username, customerId: token.customerId };
	}

	expireAll(): void {
		for (const token of this.tokens.values()) token.expiresAt = 0;
	}
}

function customerIdFor(username: string): string {
	const hex = createHash('sha256').update(`celantur-emulator:${username}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function fakeJwt(claims: Record<string, string>): string {
	const header = Buffer.from(JSON.stringify({ kid: 'emulator', alg: 'RS256' })).toString(
		'base64url',
	);
	const payload = Buffer.from(
		JSON.stringify({
			...claims,
			iss: 'celantur-emulator',
			jti: randomUUID(),
			iat: Math.floor(Date.now() / 1000),
		}),
	).toString('base64url');
	return `${header}.${payload}.${randomBytes(64).toString('base64url')}`;
}
