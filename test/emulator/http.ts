import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Scheduler } from './clock';
import type { EmulatorEvents } from './events';
import { takeFault, type ActiveFault } from './faults';
import type { RequestLog } from './log';
import type { EmulatorKnobs, EndpointKey, RequestLogEntry } from './types';

export interface Reply {
	status: number;
	headers?: Record<string, string>;
	body?: Buffer | string;
}

export function jsonReply(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): Reply {
	return {
		status,
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	};
}

/** What one request handler sees. Body bytes read through it are counted in the log entry. */
export class Exchange {
	readonly url: URL;
	/** Kept from the start: Node detaches `req.socket` once the request is destroyed. */
	readonly socket: Socket;

	constructor(
		readonly req: IncomingMessage,
		readonly entry: RequestLogEntry,
	) {
		this.url = new URL(req.url ?? '/', 'http://emulator.invalid');
		this.socket = req.socket;
	}

	get method(): string {
		return this.req.method ?? 'GET';
	}

	/**
	 * Reads the whole body. With a Content-Length (always there for uploads: the storage server
	 * insists) the bytes are copied once into a buffer of that size, so a 10 MB upload is never
	 * held twice.
	 */
	async readBody(limit: number): Promise<Buffer | 'tooLarge'> {
		const announced = Number(this.req.headers['content-length']);
		if (announced > limit) {
			await this.drain();
			return 'tooLarge';
		}
		if (Number.isInteger(announced) && announced >= 0) {
			const buffer = Buffer.allocUnsafe(announced);
			let length = 0;
			for await (const chunk of this.req as AsyncIterable<Buffer>) {
				this.entry.bodyBytes += chunk.length;
				chunk.copy(buffer, length);
				length += chunk.length;
			}
			return buffer.subarray(0, length);
		}
		const chunks: Buffer[] = [];
		for await (const chunk of this.req as AsyncIterable<Buffer>) {
			this.entry.bodyBytes += chunk.length;
			if (this.entry.bodyBytes <= limit) chunks.push(chunk);
		}
		return this.entry.bodyBytes > limit ? 'tooLarge' : Buffer.concat(chunks);
	}

	/** Reads and discards the body, so an early error answer does not break the client's send. */
	async drain(): Promise<void> {
		for await (const chunk of this.req as AsyncIterable<Buffer>)
			this.entry.bodyBytes += chunk.length;
	}

	/** Reads about half of the body (at most 64 KiB), then kills the connection mid-request. */
	async readSomeThenReset(): Promise<void> {
		const announced = Number(this.req.headers['content-length']);
		const enough = Number.isFinite(announced) ? Math.min(64 * 1024, Math.floor(announced / 2)) : 1;
		if (enough > 0 && !this.req.readableEnded) {
			await new Promise<void>((resolve) => {
				const stop = (): void => {
					this.req.off('data', onData);
					resolve();
				};
				const onData = (chunk: Buffer): void => {
					this.entry.bodyBytes += chunk.length;
					if (this.entry.bodyBytes >= enough) stop();
				};
				this.req.on('data', onData);
				this.req.once('end', stop);
				this.req.once('close', stop);
			});
		}
		this.socket.destroy();
	}
}

export interface ServerSpec {
	name: 'api' | 'storage';
	classify(method: string, path: string): EndpointKey;
	latencyMs(endpoint: EndpointKey): number;
	handle(exchange: Exchange): Promise<Reply>;
	faultReply(fault: Exclude<ActiveFault, { kind: 'reset' }>): Reply;
	errorReply(): Reply;
}

export interface Context {
	knobs: EmulatorKnobs;
	log: RequestLog;
	scheduler: Scheduler;
	events: EmulatorEvents;
}

export interface RunningServer {
	port: number;
	close(): Promise<void>;
}

/**
 * One HTTP server with the emulator's common behaviour: log at arrival, pick a fault at arrival
 * (so faults hit requests in arrival order), wait the latency, then answer or reset.
 */
export async function startServer(
	spec: ServerSpec,
	context: Context,
	host: string,
	port: number,
): Promise<RunningServer> {
	const sockets = new Set<Socket>();
	const server: Server = createServer((req, res) => {
		dispatch(spec, context, req, res).catch(() => res.socket?.destroy());
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	return {
		port: (server.address() as AddressInfo).port,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
				server.closeAllConnections();
			}),
	};
}

async function dispatch(
	spec: ServerSpec,
	context: Context,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const rawUrl = req.url ?? '/';
	const queryAt = rawUrl.indexOf('?');
	const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
	const method = req.method ?? 'GET';
	const endpoint = spec.classify(method, path);
	const entry = context.log.start({
		server: spec.name,
		method,
		path,
		query: queryAt < 0 ? '' : rawUrl.slice(queryAt + 1),
		endpoint,
		headers: req.headers,
	});
	const exchange = new Exchange(req, entry);
	context.events.emit('request', entry);
	try {
		const before = takeFault(context.knobs.faults, endpoint, 'before');
		if (before?.kind === 'reset') {
			await exchange.readSomeThenReset();
			return;
		}
		await context.scheduler.delay(spec.latencyMs(endpoint));
		if (before) {
			await exchange.drain();
			return send(res, context, entry, spec.faultReply(before));
		}
		const reply = await spec.handle(exchange);
		const after = takeFault(context.knobs.faults, endpoint, 'after');
		if (after?.kind === 'reset') {
			exchange.socket.destroy();
			return;
		}
		send(res, context, entry, after ? spec.faultReply(after) : reply);
	} catch {
		if (!res.headersSent && !exchange.socket.destroyed)
			send(res, context, entry, spec.errorReply());
	}
}

function send(res: ServerResponse, context: Context, entry: RequestLogEntry, reply: Reply): void {
	if (res.destroyed) return;
	const body =
		reply.body === undefined
			? Buffer.alloc(0)
			: Buffer.isBuffer(reply.body)
				? reply.body
				: Buffer.from(reply.body, 'utf8');
	entry.status = reply.status;
	// 204 carries neither a body nor a Content-Length (RFC 9110).
	const length: Record<string, string> =
		reply.status === 204 ? {} : { 'content-length': String(body.length) };
	res.writeHead(reply.status, { ...reply.headers, ...length });
	res.end(reply.status === 204 ? undefined : body);
	context.events.emit('response', entry);
}
