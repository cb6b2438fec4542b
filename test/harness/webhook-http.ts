import { parseIncomingMessage } from 'n8n-core';
import { IncomingMessage } from 'node:http';
import type { OutgoingHttpHeader } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';

/** The express request fields n8n's webhook server adds to the IncomingMessage. */
export interface HarnessRequest extends IncomingMessage {
	body: unknown;
	rawBody: Buffer;
	query: Record<string, string>;
	params: Record<string, string>;
	path: string;
	readRawBody(): Promise<void>;
	get(name: string): string | undefined;
	header(name: string): string | undefined;
}

export interface RequestInit {
	method: string;
	path: string;
	headers: Record<string, string>;
	query: Record<string, string>;
	rawBody: Buffer;
}

/** A real IncomingMessage whose stream yields the raw body, so nodes may read it either way. */
export function createRequest(init: RequestInit): HarnessRequest {
	const request = new IncomingMessage(new Socket()) as HarnessRequest;
	const search = new URLSearchParams(init.query).toString();
	request.method = init.method.toUpperCase();
	request.url = search ? `${init.path}?${search}` : init.path;
	request.path = init.path;
	request.headers = Object.fromEntries(
		Object.entries(init.headers).map(([name, value]) => [name.toLowerCase(), value]),
	);
	request.headers['content-length'] ??= String(init.rawBody.length);
	request.query = { ...init.query };
	request.params = {};
	request.rawBody = init.rawBody;
	request.body = {};
	request.readRawBody = async () => undefined;
	request.get = (name) => headerValue(request, name);
	request.header = (name) => headerValue(request, name);
	// n8n-core's own parser sets contentType, encoding and contentDisposition as n8n's server does.
	parseIncomingMessage(request);
	request.push(init.rawBody);
	request.push(null);
	return request;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The subset of express's Response that nodes use, recording what was sent. */
export class RecordingResponse extends Writable {
	statusCode = 200;

	statusMessage = '';

	headersSent = false;

	locals: Record<string, unknown> = {};

	private readonly headers = new Map<string, string>();

	private readonly chunks: Buffer[] = [];

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	sendStatus(code: number): this {
		return this.status(code).send(String(code));
	}

	setHeader(name: string, value: OutgoingHttpHeader): this {
		this.headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
		return this;
	}

	set(name: string | Record<string, string>, value?: string): this {
		if (typeof name === 'string') return this.setHeader(name, value ?? '');
		for (const [key, headerValue] of Object.entries(name)) this.setHeader(key, headerValue);
		return this;
	}

	header(name: string | Record<string, string>, value?: string): this {
		return this.set(name, value);
	}

	getHeader(name: string): string | undefined {
		return this.headers.get(name.toLowerCase());
	}

	getHeaders(): Record<string, string> {
		return Object.fromEntries(this.headers);
	}

	removeHeader(name: string): void {
		this.headers.delete(name.toLowerCase());
	}

	type(contentType: string): this {
		return this.setHeader(
			'content-type',
			contentType.includes('/') ? contentType : `application/${contentType}`,
		);
	}

	writeHead(code: number, headers?: Record<string, string>): this {
		this.statusCode = code;
		for (const [name, value] of Object.entries(headers ?? {})) this.setHeader(name, value);
		this.headersSent = true;
		return this;
	}

	json(body: unknown): this {
		if (!this.getHeader('content-type'))
			this.setHeader('content-type', 'application/json; charset=utf-8');
		this.end(JSON.stringify(body));
		return this;
	}

	send(body?: unknown): this {
		if (Buffer.isBuffer(body)) {
			if (!this.getHeader('content-type'))
				this.setHeader('content-type', 'application/octet-stream');
			this.end(body);
		} else if (typeof body === 'object' && body !== null) {
			this.json(body);
		} else {
			if (!this.getHeader('content-type'))
				this.setHeader('content-type', 'text/html; charset=utf-8');
			this.end(body === undefined ? undefined : String(body));
		}
		return this;
	}

	_write(
		chunk: Buffer | string,
		encoding: BufferEncoding,
		callback: (error?: Error | null) => void,
	): void {
		this.headersSent = true;
		this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
		callback();
	}

	/** Whether the node wrote anything or ended the response. */
	get wasSent(): boolean {
		return this.headersSent || this.writableEnded;
	}

	/** JSON parsed, text as a string, anything else as bytes; undefined if nothing was written. */
	get body(): unknown {
		if (this.chunks.length === 0) return undefined;
		const bytes = Buffer.concat(this.chunks);
		const contentType = this.getHeader('content-type') ?? '';
		if (contentType.includes('json')) {
			try {
				return JSON.parse(bytes.toString('utf8')) as unknown;
			} catch {
				return bytes.toString('utf8');
			}
		}
		return contentType.startsWith('text/') ? bytes.toString('utf8') : bytes;
	}
}
