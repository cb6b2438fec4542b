const WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'connection aborted',
	ETIMEDOUT: 'timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	EPIPE: 'connection closed while sending',
};

/**
 * A network error code in words. n8n replaces any error message that contains a raw code such as
 * ECONNREFUSED with a generic sentence, which would hide the URL our message names.
 */
export function networkWords(code: string | undefined): string {
	if (!code) return 'no answer';
	return WORDS[code] ?? code.replace(/^E(?=[A-Z])/, '').toLowerCase().replace(/_/g, ' ');
}
