// A web server on loopback that serves images the way sites and storage do, for links to
// anonymize: plain files, redirects, errors, web pages and files bigger than the node takes.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { streetImage } from './images';

export interface ImageServer {
	/** `http://127.0.0.1:<port>` */
	origin: string;
	/** The headers of every request, in order. */
	requests: Array<{ url: string; headers: IncomingHttpHeaders }>;
	close(): Promise<void>;
}

const MB = 1024 * 1024;

export async function startImageServer(): Promise<ImageServer> {
	const requests: ImageServer['requests'] = [];
	const jpeg = streetImage('jpeg', 71);
	const png = streetImage('png', 72);
	const server: Server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://localhost');
		requests.push({ url: request.url ?? '', headers: request.headers });
		const hops = /^\/redirect\/(\d+)$/.exec(url.pathname);
		if (hops) {
			const left = Number(hops[1]);
			response.writeHead(302, { location: left > 1 ? `/redirect/${left - 1}` : '/street.jpg' });
			return response.end();
		}
		switch (url.pathname) {
			case '/street.jpg':
				response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length });
				return response.end(jpeg);
			case '/square.png':
				// Storage often sends no useful type: the bytes decide.
				response.writeHead(200, { 'content-type': 'application/octet-stream' });
				return response.end(png);
			case '/page.html':
				response.writeHead(200, { 'content-type': 'text/html' });
				return response.end('<html><body>A page about a street photo</body></html>');
			case '/to-file':
				response.writeHead(302, { location: 'file:///etc/passwd' });
				return response.end();
			case '/huge.jpg': {
				// No length announced: the node must stop reading at its limit by itself.
				response.writeHead(200, { 'content-type': 'image/jpeg' });
				const chunk = Buffer.alloc(MB, 0xff);
				let sent = 0;
				const more = () => {
					while (sent < 60 && response.write(chunk)) sent++;
					if (sent >= 60) response.end();
					else response.once('drain', more);
				};
				response.on('close', () => (sent = 60));
				return more();
			}
			default:
				response.writeHead(404, { 'content-type': 'text/plain' });
				return response.end('not found');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
