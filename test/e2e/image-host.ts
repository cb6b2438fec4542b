// Images on a loopback web server, as links an agent or an MCP client hands to the Celantur tool:
// GET /images/<name> serves the file, anything else is 404. Every request is recorded with its
// headers (no Celantur token may ever reach an image link).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImageRequest {
	method: string;
	path: string;
	status: number;
	headers: Record<string, string | string[] | undefined>;
}

export interface ImageHost {
	/** The link to a served file (or to a missing one: 404). */
	link(name: string): string;
	readonly requests: ImageRequest[];
	close(): Promise<void>;
}

export async function startImageHost(files: Map<string, Buffer>): Promise<ImageHost> {
	const requests: ImageRequest[] = [];
	const server: Server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		const name = path.startsWith('/images/') ? decodeURIComponent(path.slice(8)) : '';
		const bytes = files.get(name);
		const status = bytes ? 200 : 404;
		requests.push({ method: request.method ?? '', path, status, headers: request.headers });
		if (!bytes) {
			response.writeHead(404, { 'content-type': 'text/plain' });
			response.end('not found');
			return;
		}
		response.writeHead(200, {
			'content-type': name.endsWith('.png') ? 'image/png' : 'image/jpeg',
			'content-length': String(bytes.length),
		});
		response.end(request.method === 'HEAD' ? undefined : bytes);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		link: (name) => `http://127.0.0.1:${port}/images/${encodeURIComponent(name)}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
