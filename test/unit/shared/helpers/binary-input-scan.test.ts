import fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { scanStream } from '../../../../nodes/shared/helpers/binary-input';

/** A JPEG's first and last bytes around `size` bytes of filler: what the check looks at. */
function jpegBytes(size: number): Buffer {
	const bytes = Buffer.alloc(size, 0x11);
	bytes.set([0xff, 0xd8, 0xff], 0);
	bytes.set([0xff, 0xd9], size - 2);
	return bytes;
}

describe('scanStream (the check of a stored image)', () => {
	let dir: string;
	let reads: jest.SpyInstance;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'celantur-scan-'));
		// File streams read through fs.read; the count is the number of times the disk is asked.
		reads = jest.spyOn(fs, 'read');
	});
	afterEach(() => {
		reads.mockRestore();
		rmSync(dir, { recursive: true, force: true });
	});

	const stored = (name: string, bytes: Buffer) => {
		const file = path.join(dir, name);
		writeFileSync(file, bytes);
		return file;
	};
	const settle = async () => await new Promise((resolve) => setTimeout(resolve, 20));

	it('reads a small image in one piece once, stopping at n8n’s count instead of reading again to find the end', async () => {
		const size = 100_000;
		const file = stored('small.jpg', jpegBytes(size));
		const scan = await scanStream(fs.createReadStream(file, { highWaterMark: size }), size);
		await settle();
		expect(scan.size).toBe(size);
		expect(scan.sawJpegEnd).toBe(true);
		expect([...scan.head.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
		expect(reads).toHaveBeenCalledTimes(1);

		// Without the count, the stream reads once more, into a buffer as big as the image.
		reads.mockClear();
		await scanStream(fs.createReadStream(file, { highWaterMark: size }));
		await settle();
		expect(reads).toHaveBeenCalledTimes(2);
	});

	it('reads a bigger image in chunks up to its last byte, and no further', async () => {
		const size = 1_000_000;
		const file = stored('big.jpg', jpegBytes(size));
		const scan = await scanStream(fs.createReadStream(file), size);
		await settle();
		expect(scan.size).toBe(size);
		expect(scan.sawJpegEnd).toBe(true);
		expect([...scan.tail.subarray(-2)]).toEqual([0xff, 0xd9]);
		// 64 kB chunks: 16 reads bring the million bytes; a 17th would only find the end.
		expect(reads).toHaveBeenCalledTimes(Math.ceil(size / (64 * 1024)));
	});

	it('gives the size that came when the file is shorter than n8n’s count, so it shows as cut short', async () => {
		const file = stored('cut.jpg', jpegBytes(100_000).subarray(0, 60_000));
		const scan = await scanStream(fs.createReadStream(file), 100_000);
		expect(scan.size).toBe(60_000);
		expect(scan.sawJpegEnd).toBe(false);
	});

	it('fails with the stream’s error', async () => {
		const failing = new Readable({
			read() {
				this.destroy(new Error('disk gone'));
			},
		});
		await expect(scanStream(failing, 10)).rejects.toThrow('disk gone');
	});
});
