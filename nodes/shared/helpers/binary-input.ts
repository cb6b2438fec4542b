import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { itemProblem } from './input-errors';
import type { BinaryStream } from '../types';

export type ImageMime = 'image/jpeg' | 'image/png';

/** An input image checked and ready to upload, never read into memory before it is needed. */
export interface InputImage {
	mimeType: ImageMime;
	size: number;
	fileName: string | undefined;
	/** A fresh body on each call, so an upload can be retried. */
	open(): Promise<Buffer | BinaryStream>;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_END = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const JPEG_END = Buffer.from([0xff, 0xd9]);
const HEAD_BYTES = 16;
const TAIL_BYTES = 16;

function sniff(head: Buffer): ImageMime | undefined {
	if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
		return 'image/jpeg';
	if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
	return undefined;
}

/**
 * A complete PNG ends with its IEND chunk. A JPEG is complete once its end-of-image marker has
 * come: it need not be last, since phone cameras append data (e.g. the video of a motion photo).
 */
function isComplete(mime: ImageMime, tail: Buffer, sawJpegEnd: boolean): boolean {
	if (mime === 'image/png')
		return tail.length >= 8 && tail.subarray(tail.length - 8).equals(PNG_END);
	return sawJpegEnd;
}

/** Declared types that say nothing about the content (S3, FTP and plain HTTP often send them). */
const GENERIC_TYPES = ['', 'application/octet-stream', 'binary/octet-stream', 'application/binary'];

function declaredMime(binary: IBinaryData): string {
	return (binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
}

interface Scan {
	head: Buffer;
	tail: Buffer;
	size: number;
	/** Whether a JPEG end-of-image marker (FF D9) occurs anywhere. */
	sawJpegEnd: boolean;
}

/**
 * Reads the first and last bytes of a stream, and looks for a JPEG end marker, without holding the
 * rest. Once `storedBytes` (n8n's own count of the file) have come, the stream is closed at once:
 * left open, a file stream asks the disk once more to learn that the file has ended, and that read
 * takes a buffer of a whole chunk, as big as a small image. Closing in the `data` handler itself
 * is what spares it; an async iterator has already asked for the next chunk by then. A file
 * shorter than its count ends before, and shows as cut short.
 */
export async function scanStream(stream: BinaryStream, storedBytes?: number): Promise<Scan> {
	const scan: Scan = { head: Buffer.alloc(0), tail: Buffer.alloc(0), size: 0, sawJpegEnd: false };
	let previous = -1;
	return await new Promise<Scan>((resolve, reject) => {
		stream.on('data', (chunk: Buffer | Uint8Array) => {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			scan.size += bytes.length;
			if (scan.head.length < HEAD_BYTES)
				scan.head = Buffer.concat([scan.head, bytes.subarray(0, HEAD_BYTES - scan.head.length)]);
			// A copy of the last bytes only: joining whole chunks would copy the image once more.
			scan.tail = Buffer.from(
				Buffer.concat([scan.tail, bytes.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES),
			);
			if (!scan.sawJpegEnd)
				scan.sawJpegEnd = (previous === 0xff && bytes[0] === 0xd9) || bytes.includes(JPEG_END);
			if (bytes.length) previous = bytes[bytes.length - 1];
			if (storedBytes !== undefined && scan.size >= storedBytes) {
				stream.destroy();
				resolve(scan);
			}
		});
		stream.once('error', reject);
		// `close` without `end`: the stream was cut off, and what came shows as cut short.
		stream.once('end', () => resolve(scan));
		stream.once('close', () => resolve(scan));
	});
}

function scanBuffer(buffer: Buffer): Scan {
	return {
		head: Buffer.from(buffer.subarray(0, HEAD_BYTES)),
		tail: Buffer.from(buffer.subarray(-TAIL_BYTES)),
		size: buffer.length,
		sawJpegEnd: buffer.includes(JPEG_END),
	};
}

/**
 * Up to this size a stored file is read in one piece. Each read of a stream allocates a whole chunk,
 * so a 100 kB image read in n8n's 64 kB chunks costs the check two reads and three buffers (the
 * last chunk is copied to its size); read whole, with the check stopping at n8n's count, it costs
 * one of each. Bigger files keep the small chunks, which allocate less at a time.
 */
const WHOLE_READ_BYTES = 256 * 1024;

/** n8n's own count of the stored file; older versions leave it out. */
function storedBytes(binary: IBinaryData): number | undefined {
	const { bytes } = binary;
	return typeof bytes === 'number' && bytes > 0 ? bytes : undefined;
}

function readChunk(binary: IBinaryData): number | undefined {
	const bytes = storedBytes(binary);
	return bytes !== undefined && bytes <= WHOLE_READ_BYTES ? bytes : undefined;
}

/**
 * Checks the item's binary before any request: present, declared JPEG or PNG, the bytes agree, and
 * not cut short. Where n8n keeps the data on disk it is streamed, never loaded whole.
 */
export async function readInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<InputImage> {
	const item = ctx.getInputData()[itemIndex];
	const binary = item.binary?.[propertyName];
	if (!binary) {
		const present = Object.keys(item.binary ?? {});
		throw present.length
			? itemProblem(
					ctx,
					itemIndex,
					`Input Binary Field is "${propertyName}", but the item has no file there; its files are in ${present.join(', ')}`,
					`Set Input Binary Field to the field that holds the image (one of ${present.join(', ')}).`,
				)
			: itemProblem(
					ctx,
					itemIndex,
					'the item has no file at all',
					'Put a node that reads files (e.g. Read/Write Files from Disk, S3, Google Drive) before this one, or filter out items without a file; or set Image Source to Link.',
				);
	}
	ctx.helpers.assertBinaryData(itemIndex, propertyName);
	// Held only while checked; the upload reads it again, so a batch never keeps every image.
	const inline = async () => await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return await checkImage(ctx, itemIndex, binary, inline);
}

/**
 * Checks stored image data, from an item or fetched from a link: declared JPEG or PNG (or a type
 * that says nothing), the bytes agree, and not cut short. `inline` reads data n8n keeps in memory.
 */
export async function checkImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binary: IBinaryData,
	inline: () => Promise<Buffer>,
): Promise<InputImage> {
	const declared = declaredMime(binary);
	const fileName = binary.fileName;
	const refuse = (problem: string, whatToDo: string) =>
		itemProblem(ctx, itemIndex, problem, whatToDo, fileName);
	const generic = GENERIC_TYPES.includes(declared);
	if (
		!generic &&
		declared !== 'image/jpeg' &&
		declared !== 'image/png' &&
		declared !== 'image/jpg'
	) {
		throw refuse(
			`the file is ${declared}, but Celantur only anonymizes JPEG and PNG images`,
			'Convert the file to JPEG or PNG first (e.g. with Edit Image), or filter such files out before this node.',
		);
	}

	let scan: Scan;
	let open: () => Promise<Buffer | BinaryStream>;
	if (binary.id) {
		const id = binary.id;
		const chunk = readChunk(binary);
		scan = await scanStream(await ctx.helpers.getBinaryStream(id, chunk), storedBytes(binary));
		open = async () => await ctx.helpers.getBinaryStream(id, chunk);
	} else {
		scan = scanBuffer(await inline());
		open = inline;
	}

	if (scan.size === 0)
		throw refuse(
			'the file is empty (0 bytes)',
			'Check the node that read the file; an empty file cannot be anonymized.',
		);
	const actual = sniff(scan.head);
	if (!actual) {
		const claimed = generic ? '' : ` although it is marked ${declared}`;
		throw refuse(
			`the file's content is not a JPEG or PNG image${claimed}`,
			'The file is damaged or of another kind under an image name: check that it opens in an image viewer, or filter it out.',
		);
	}
	if (!isComplete(actual, scan.tail, scan.sawJpegEnd)) {
		throw refuse(
			`the ${actual === 'image/png' ? 'PNG' : 'JPEG'} is cut short (truncated after ${scan.size} bytes)`,
			'The file was not read or copied completely: read it again from its source.',
		);
	}
	// The bytes decide the upload's type, so a generic or wrong declared type cannot fail the task.
	return { mimeType: actual, size: scan.size, fileName, open };
}
