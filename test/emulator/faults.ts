import type { EndpointKey, FaultKnobs, FaultPhase } from './types';

export type ActiveFault =
	| { kind: 'reset' }
	| { kind: 'serverError'; status: 500 | 502 | 503 | 504 }
	| { kind: 'rateLimit'; retryAfterSeconds: number };

export function emptyFaults(): FaultKnobs {
	return { rateLimit: [], serverError: [], reset: [] };
}

interface Countable {
	endpoint: EndpointKey | '*';
	count: number;
	phase?: FaultPhase;
}

/**
 * Takes one use of the first matching fault. Precedence when several match: reset, then
 * serverError, then rateLimit (a dropped connection hides whatever the server would have said).
 * A rate limit is always decided before handling.
 */
export function takeFault(
	faults: FaultKnobs,
	endpoint: EndpointKey,
	phase: FaultPhase,
): ActiveFault | undefined {
	const reset = consume(faults.reset, endpoint, phase);
	if (reset) return { kind: 'reset' };
	const serverError = consume(faults.serverError, endpoint, phase);
	if (serverError) return { kind: 'serverError', status: serverError.status };
	if (phase === 'before') {
		const rateLimit = consume(faults.rateLimit, endpoint, phase);
		if (rateLimit) return { kind: 'rateLimit', retryAfterSeconds: rateLimit.retryAfterSeconds };
	}
	return undefined;
}

function consume<T extends Countable>(
	list: T[],
	endpoint: EndpointKey,
	phase: FaultPhase,
): T | undefined {
	for (let index = 0; index < list.length; index++) {
		const fault = list[index];
		if (!(fault.count > 0)) {
			list.splice(index--, 1);
			continue;
		}
		if (fault.endpoint !== '*' && fault.endpoint !== endpoint) continue;
		if ((fault.phase ?? 'before') !== phase) continue;
		fault.count -= 1;
		if (fault.count <= 0) list.splice(index, 1);
		return fault;
	}
	return undefined;
}
