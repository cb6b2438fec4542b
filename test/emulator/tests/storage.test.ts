// The presigned-URL storage server: S3's refusals and the files it serves.
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { decodeImage, makeTestImage } from '../images';
import { createTask, download, http, runTask, upload, useEmulator } from '../testkit';

const JPEG = makeTestImage({
	format: 'jpeg',
	width: 120,
	height: 90,
	objects: [{ type: 'face', x: 30, y: 20, width: 40, height: 40 }],
});
const PNG = makeTestImage({
	format: 'png',
	width: 120,
	height: 90,
	objects: [{ type: 'face', x: 30, y: 20, width: 40, height: 40 }],
});
const BODY = {
	anonymization_method: 'blur',
	face: true,
	binary_segmentation_mask: true,
	instance_segmentation_mask: true,
};

function s3Code(text: string): string | undefined {
	return /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
}

/** A PUT written by hand: undici and fetch always frame a body, S3's 411 needs one that is not. */
function rawPut(url: string, headers: string[]): Promise<{ status: number; text: string }> {
	const target = new URL(url);
	return new Promise((resolve, reject) => {
		const socket = connect(Number(target.port), target.hostname, () => {
			socket.write(
				[
					`PUT ${target.pathname}${target.search} HTTP/1.1`,
					`Host: ${target.host}`,
					'Connection: close',
					...headers,
					'',
					'',
				].join('\r\n'),
			);
		});
		let data = '';
		socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
		socket.on('error', reject);
		socket.on('close', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
	});
}

describe('emulator: storage server', () => {
	const env = useEmulator();
	afterEach(() => {
		env.emu.knobs.storageClockSkewSeconds = 0;
	});

	const fresh = async (): Promise<{ id: number; url: string }> => {
		const task = await createTask(env.emu, env.token, BODY);
		return { id: Number(task.task_id), url: String(task.upload_url) };
	};
	const expectNothingStored = (id: number) => {
		expect(env.emu.task(id)?.upload).toBeUndefined();
		expect(env.emu.task(id)?.status).toBe('new');
	};

	it('refuses any request carrying Authorization with 400 (only one auth mechanism)', async () => {
		const { id, url } = await fresh();
		for (const authorization of [
			env.token,
			`Bearer ${env.token}`,
			'AWS4-HMAC-SHA256 Credential=x',
		]) {
			const response = await http('PUT', url, {
				body: JPEG,
				headers: { 'content-type': 'image/jpeg', authorization },
			});
			expect(response.status).toBe(400);
			expect(response.headers['content-type']).toBe('application/xml');
			expect(s3Code(response.text)).toBe('InvalidArgument');
			expect(response.text).toContain('Only one auth mechanism allowed');
		}
		expectNothingStored(id);
		const done = await runTask(env.emu, env.token, BODY, JPEG);
		const get = await http('GET', String(done.anonymized_url), {
			headers: { authorization: env.token },
		});
		expect(get.status).toBe(400);
	});

	it('refuses an unsigned or tampered URL with 403', async () => {
		const { id, url } = await fresh();
		const bare = url.slice(0, url.indexOf('?'));
		const unsigned = await upload(bare, JPEG);
		expect(unsigned.status).toBe(403);
		expect(s3Code(unsigned.text)).toBe('AccessDenied');

		const withoutSignature = new URL(url);
		withoutSignature.searchParams.delete('X-Amz-Signature');
		expect((await upload(withoutSignature.toString(), JPEG)).status).toBe(403);

		const wrongSignature = new URL(url);
		wrongSignature.searchParams.set('X-Amz-Signature', '0'.repeat(64));
		const wrong = await upload(wrongSignature.toString(), JPEG);
		expect(wrong.status).toBe(403);
		expect(s3Code(wrong.text)).toBe('SignatureDoesNotMatch');

		const longer = new URL(url);
		longer.searchParams.set('X-Amz-Expires', '604800');
		expect(s3Code((await upload(longer.toString(), JPEG)).text)).toBe('SignatureDoesNotMatch');

		const otherTask = new URL(url);
		otherTask.pathname = otherTask.pathname.replace(`/${id}/`, `/${id + 1}/`);
		expect((await upload(otherTask.toString(), JPEG)).status).toBe(403);
		expectNothingStored(id);
	});

	it('signs for one method: the upload URL does not download, a download URL does not upload', async () => {
		const done = await runTask(env.emu, env.token, BODY, JPEG);
		const task = env.emu.task(Number(done.task_id));
		const put = env.emu.log.find(
			(entry) => entry.endpoint === 'upload' && entry.path.includes(`/${task?.id}/`),
		);
		const uploadUrl = `${env.emu.storageOrigin}${put?.path}?${put?.query}`;
		expect((await download(uploadUrl)).status).toBe(403);
		expect((await upload(String(done.original_url), JPEG)).status).toBe(403);
		expect((await http('DELETE', String(done.anonymized_url))).status).toBe(403);
	});

	it('refuses an expired upload URL (after 3600 s) and an expired download URL (after 14400 s)', async () => {
		const { id, url } = await fresh();
		env.emu.knobs.storageClockSkewSeconds = 3590;
		const early = await fresh();
		expect((await upload(early.url, JPEG)).status).toBe(200);
		env.emu.knobs.storageClockSkewSeconds = 3605;
		const expired = await upload(url, JPEG);
		expect(expired.status).toBe(403);
		expect(s3Code(expired.text)).toBe('AccessDenied');
		expect(expired.text).toContain('Request has expired');
		expectNothingStored(id);

		env.emu.knobs.storageClockSkewSeconds = 0;
		const done = await runTask(env.emu, env.token, BODY, JPEG);
		env.emu.knobs.storageClockSkewSeconds = 14390;
		expect((await download(String(done.anonymized_url))).status).toBe(200);
		env.emu.knobs.storageClockSkewSeconds = 14405;
		const late = await download(String(done.anonymized_url));
		expect(late.status).toBe(403);
		expect(late.text).toContain('Request has expired');
	});

	it('refuses a chunked upload with 501 and an upload without Content-Length with 411', async () => {
		const { id, url } = await fresh();
		const chunked = await request(url, {
			method: 'PUT',
			headers: { 'content-type': 'image/jpeg' },
			body: Readable.from([JPEG.subarray(0, 1000), JPEG.subarray(1000)]),
		});
		const chunkedText = await chunked.body.text();
		expect(chunked.statusCode).toBe(501);
		expect(s3Code(chunkedText)).toBe('NotImplemented');
		const entry = env.emu.log[env.emu.log.length - 1];
		expect(entry.headers['transfer-encoding']).toBe('chunked');
		expect(entry.bodyBytes).toBe(JPEG.length);

		const noLength = await rawPut(url, ['Content-Type: image/jpeg']);
		expect(noLength.status).toBe(411);
		expect(noLength.text).toContain('<Code>MissingContentLength</Code>');
		expectNothingStored(id);
		expect(
			env.emu.log
				.filter((e) => e.server === 'storage')
				.slice(-2)
				.map((e) => e.status),
		).toEqual([501, 411]);
	});

	it('accepts a correct upload: 200 with an ETag, nothing else', async () => {
		const { id, url } = await fresh();
		const response = await upload(url, JPEG);
		expect(response.status).toBe(200);
		expect(response.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
		expect(response.body.length).toBe(0);
		expect(env.emu.task(id)?.upload).toMatchObject({
			contentType: 'image/jpeg',
			bytes: JPEG.length,
		});
		const entry = env.emu.log[env.emu.log.length - 1];
		expect(entry).toMatchObject({
			server: 'storage',
			method: 'PUT',
			endpoint: 'upload',
			status: 200,
			bodyBytes: JPEG.length,
		});
		expect(entry.headers).not.toHaveProperty('authorization');
	});

	it.each([
		['JPEG', JPEG, 'image/jpeg', 'jpeg'],
		['PNG', PNG, 'image/png', 'png'],
	])(
		'serves the anonymized %s in the input format with Content-Type and Content-Length',
		async (_label, image, type, format) => {
			const done = await runTask(env.emu, env.token, BODY, image, type);
			expect(new URL(String(done.anonymized_url)).pathname).toMatch(
				new RegExp(`/anonymized\\.${format}$`),
			);
			const response = await download(String(done.anonymized_url));
			expect(response.status).toBe(200);
			expect(response.headers['content-type']).toBe(type);
			expect(Number(response.headers['content-length'])).toBe(response.body.length);
			const decoded = decodeImage(response.body);
			expect(decoded).toMatchObject({ format, width: 120, height: 90 });
			expect(Buffer.compare(response.body, image)).not.toBe(0);
			expect(env.emu.log[env.emu.log.length - 1].endpoint).toBe('downloadAnonymized');

			const original = await download(String(done.original_url));
			expect(original.headers['content-type']).toBe(type);
			expect(Buffer.compare(original.body, image)).toBe(0);
			expect(env.emu.log[env.emu.log.length - 1].endpoint).toBe('downloadOriginal');

			for (const key of ['binary_segmentation_mask_url', 'instance_segmentation_mask_url']) {
				const mask = await download(String(done[key]));
				expect(mask.status).toBe(200);
				expect(mask.headers['content-type']).toBe('image/png');
				expect(decodeImage(mask.body).format).toBe('png');
				expect(env.emu.log[env.emu.log.length - 1].endpoint).toBe('downloadMask');
			}
		},
	);

	it('offers mask URLs only when masks were asked for, and a guessed file name is not signed', async () => {
		const done = await runTask(
			env.emu,
			env.token,
			{ anonymization_method: 'blur', face: true },
			JPEG,
		);
		expect(done).not.toHaveProperty('binary_segmentation_mask_url');
		expect(done).not.toHaveProperty('instance_segmentation_mask_url');
		const guessed = String(done.anonymized_url).replace(
			'/anonymized.jpeg?',
			'/binary_segmentation_mask.png?',
		);
		const response = await download(guessed);
		expect(response.status).toBe(403);
		expect(s3Code(response.text)).toBe('SignatureDoesNotMatch');
	});
});
