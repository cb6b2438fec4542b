// How Celantur and the network word failures, for the credential's sign-in and the nodes'
// transport alike. A leaf, like api.ts.

/**
 * Every sign-in error starts with this. n8n wraps errors from preAuthentication in a NodeApiError
 * that keeps only their text, so the node's transport recognises them by it.
 */
export const SIGN_IN_FAILED = 'Celantur sign-in failed';

/** Whether a sign-in error means the account was refused, which trying again cannot change. */
export function isSignInRefusal(message: string): boolean {
	return (
		message.startsWith(`${SIGN_IN_FAILED}: `) &&
		!/^: (could not reach |\S+ answered HTTP)/.test(message.slice(SIGN_IN_FAILED.length))
	);
}

/** Celantur's error bodies are `{status_code, error}`; sign-in errors are `{message, code}`. */
export function celanturMessage(data: unknown): string | undefined {
	if (typeof data === 'string') {
		try {
			return celanturMessage(JSON.parse(data));
		} catch {
			return data.trim() || undefined;
		}
	}
	if (Buffer.isBuffer(data)) return celanturMessage(data.toString('utf8'));
	if (typeof data !== 'object' || data === null) return undefined;
	const { error, message } = data as { error?: unknown; message?: unknown };
	if (typeof error === 'string') return error;
	if (typeof message === 'string') return message;
	return undefined;
}

/**
 * The network failures the package knows: how a message words each, and whether it is transient
 * (worth another try of a request that is safe to repeat). A host that does not exist is not: the
 * Base URL is wrong, and asking again only delays saying so.
 */
export const NETWORK_CODES: Readonly<Record<string, { words: string; transient: boolean }>> = {
	ECONNREFUSED: { words: 'connection refused', transient: true },
	ECONNRESET: { words: 'connection reset', transient: true },
	ECONNABORTED: { words: 'connection aborted', transient: true },
	ETIMEDOUT: { words: 'timed out', transient: true },
	EPIPE: { words: 'connection closed while sending', transient: true },
	UND_ERR_SOCKET: { words: 'connection closed', transient: true },
	EAI_AGAIN: { words: 'host name lookup failed', transient: true },
	ENOTFOUND: { words: 'host not found', transient: false },
	EHOSTUNREACH: { words: 'host unreachable', transient: false },
};

/**
 * A network error code in words. n8n replaces any error message that contains a raw code such as
 * ECONNREFUSED with a generic sentence, which would hide the URL our message names.
 */
export function networkWords(code: string | undefined): string {
	if (!code) return 'no answer';
	return (
		NETWORK_CODES[code]?.words ??
		code
			.replace(/^E(?=[A-Z])/, '')
			.toLowerCase()
			.replace(/_/g, ' ')
	);
}
