import type { IncomingHttpHeaders } from 'node:http';
import { ENDPOINT_KEYS, type EndpointKey, type RequestLogEntry } from './types';

// The log array is handed out as-is (Emulator.log), so resetting must empty it in place.
export class RequestLog {
	readonly entries: RequestLogEntry[] = [];

	/** `now`: the emulator's clock, so log times compare with task history times. */
	constructor(private readonly now: () => number) {}

	start(
		fields: Omit<RequestLogEntry, 'time' | 'status' | 'bodyBytes' | 'headers'> & {
			headers: IncomingHttpHeaders;
		},
	): RequestLogEntry {
		const entry: RequestLogEntry = {
			time: this.now(),
			server: fields.server,
			method: fields.method,
			path: fields.path,
			query: fields.query,
			endpoint: fields.endpoint,
			headers: flattenHeaders(fields.headers),
			status: 0,
			bodyBytes: 0,
		};
		this.entries.push(entry);
		return entry;
	}

	counters(): Record<EndpointKey, number> {
		const counts = Object.fromEntries(ENDPOINT_KEYS.map((key) => [key, 0])) as Record<
			EndpointKey,
			number
		>;
		for (const entry of this.entries) counts[entry.endpoint] += 1;
		return counts;
	}

	reset(): void {
		this.entries.length = 0;
	}
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}
