import type { IBinaryData, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import { readHttpFailure, redactUrl } from '../transport/http-failure';
import { networkWords } from '../api-errors';
import { sleepUntil } from '../retry';
import type { BinaryStream } from '../types';
import { checkImage, type InputImage } from './binary-input';
import { itemProblem } from './input-errors';

/**
 * What the node fetches from an image link: 50 MB covers Celantur's biggest panorama preset
 * (11000 x 5500) as a JPEG with room to spare; a minute covers it on a slow line; five redirects
 * cover a share link that forwards to its storage.
 */
export const IMAGE_LINK_LIMITS = { maxBytes: 50 * 1024 * 1024, timeoutMs: 60_000, maxRedirects: 5 };

const MB = 1024 * 1024;

/** The link as a URL, if it is an http or https one. */
function httpUrl(link: string): URL | undefined {
	try {
		const url = new URL(link);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
	} catch {
		return undefined;
	}
}

/** The body of a response, up to `maxBytes`; undefined when it is bigger. */
async function readBody(body: BinaryStream, maxBytes: number): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	return await new Promise<Buffer | undefined>((resolve, reject) => {
		body.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				body.destroy();
				resolve(undefined);
			} else chunks.push(chunk);
		});
		body.once('error', reject);
		body.once('end', () => resolve(Buffer.concat(chunks)));
	});
}

/**
 * Rejects once `ms` have passed, unless `until` settled first. Built on `sleep` in short slices:
 * shipped code may not set timers of its own, and a settled fetch leaves no long timer behind.
 */
async function deadline<T>(until: Promise<T>, ms: number): Promise<T> {
	let settled = false;
	const watched = until.finally(() => (settled = true));
	const expired = (async () => {
		if (!(await sleepUntil(ms, () => settled))) throw new Error('timed out');
	})();
	return await Promise.race([watched, expired.then(async () => await watched)]);
}

function fileNameOf(url: URL, mimeType: string | undefined): string {
	const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
	if (/\.(jpe?g|png)$/i.test(last)) return last;
	return `${last || 'image'}.${mimeType === 'image/png' ? 'png' : 'jpg'}`;
}

/**
 * Fetches an image link with n8n's own HTTP helper (so n8n's outbound rules apply; the Celantur
 * token never goes there), keeps it in n8n's binary store, and checks it like a binary input.
 * Every refusal names the link without its query string, which may carry a signature.
 */
export async function readImageLink(
	ctx: IExecuteFunctions,
	itemIndex: number,
	link: string,
): Promise<InputImage> {
	const shown = (url: string) => (httpUrl(url) ? redactUrl(url) : `"${url.split('?')[0]}"`);
	const refuse = (problem: string, whatToDo: string) =>
		itemProblem(ctx, itemIndex, `the image link ${shown(link)} ${problem}`, whatToDo);
	const { maxBytes, timeoutMs, maxRedirects } = IMAGE_LINK_LIMITS;

	let url = httpUrl(link.trim());
	if (!url)
		throw refuse(
			'is not an http:// or https:// link',
			'Give Image URL a full web link to a JPEG or PNG image, such as https://example.com/street.jpg.',
		);
	let response: IN8nHttpFullResponse | undefined;
	for (let hop = 0; ; hop++) {
		const target: URL = url;
		try {
			response = (await deadline(
				ctx.helpers.httpRequest({
					method: 'GET',
					url: target.toString(),
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					// Followed here, one hop at a time, so each is checked and their number bounded.
					disableFollowRedirect: true,
					timeout: timeoutMs,
					abortSignal: ctx.getExecutionCancelSignal(),
				}),
				timeoutMs,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			const code = readHttpFailure(error).code;
			throw refuse(
				`could not be reached (${error instanceof Error && error.message === 'timed out' ? 'timed out' : networkWords(code)})`,
				'Check that the link opens in a browser on the machine n8n runs on, and that n8n may reach that host.',
			);
		}
		const location = response.headers.location;
		if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string')
			break;
		(response.body as BinaryStream).destroy();
		const next = httpUrl(new URL(location, target).toString());
		if (!next || hop + 1 > maxRedirects)
			throw refuse(
				next
					? `redirects more than ${maxRedirects} times`
					: 'redirects to a link that is not http or https',
				'Give Image URL the final link to the image.',
			);
		url = next;
	}

	const body = response.body as BinaryStream;
	if (response.statusCode >= 400) {
		body.destroy();
		throw refuse(
			`answered HTTP ${response.statusCode}${response.statusCode === 404 ? ' (not found)' : ''}`,
			'Check the link: it must lead straight to the image file, and be public or carry its own access token.',
		);
	}
	const declaredLength = Number(response.headers['content-length']);
	if (declaredLength > maxBytes) body.destroy();
	const bytes =
		declaredLength > maxBytes
			? undefined
			: await deadline(readBody(body, maxBytes), timeoutMs).catch(() => {
					throw refuse(
						'could not be read to its end (timed out or cut off)',
						'Try again, or use a faster host.',
					);
				});
	if (!bytes)
		throw refuse(
			`is bigger than ${maxBytes / MB} MB`,
			'Celantur takes images up to that size from a link: make the image smaller, or read it with another node and use Image Source "Binary".',
		);

	const contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	const mimeType = contentType || undefined;
	const stored: IBinaryData = await ctx.helpers.prepareBinaryData(
		bytes,
		fileNameOf(url, mimeType),
		mimeType,
	);
	// Read back from the store at upload, so a batch of links does not keep every image in memory.
	const inline = async () => Buffer.from(stored.data, BINARY_ENCODING);
	return await checkImage(ctx, itemIndex, stored, inline).catch((error: unknown) => {
		// The check names the file; the person needs the link.
		const message = error instanceof Error ? error.message : String(error);
		throw refuse(
			`is no JPEG or PNG image Celantur can take: ${message.replace(/^Item \d+( \([^)]*\))?: /, '')}`,
			'Check that the link opens as an image in a browser, not a web page about it.',
		);
	});
}
