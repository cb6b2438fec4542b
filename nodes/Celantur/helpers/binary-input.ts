import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from './input-errors';
import type { BinaryStream } from './types';

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
const HEAD_BYTES = 16;
const TAIL_BYTES = 16;

function sniff(head: Buffer): ImageMime | undefined {
	if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
	if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
	return undefined;
}

/** A complete JPEG ends with the EOI marker (padding allowed); a complete PNG with its IEND chunk. */
function isComplete(mime: ImageMime, tail: Buffer): boolean {
	if (mime === 'image/png') return tail.length >= 8 && tail.subarray(tail.length - 8).equals(PNG_END);
	for (let i = tail.length - 2; i >= 0; i--) {
		if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
		if (tail[i + 1] !== 0x00 && tail[i + 1] !== 0xff && tail[i + 1] !== 0x0a && tail[i + 1] !== 0x0d) {
			return false;
		}
	}
	return false;
}

function declaredMime(binary: IBinaryData): string {
	return (binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
}

/** Reads the first and last bytes of a stream without holding the rest. */
async function headAndTail(stream: BinaryStream): Promise<{ head: Buffer; tail: Buffer; size: number }> {
	let head = Buffer.alloc(0);
	let tail = Buffer.alloc(0);
	let size = 0;
	for await (const chunk of stream) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
		size += bytes.length;
		if (head.length < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - head.length)]);
		tail = Buffer.concat([tail, bytes]).subarray(-TAIL_BYTES);
	}
	return { head, tail, size };
}

/**
 * Checks the item's binary before any request: present, declared JPEG or PNG, the bytes agree, and
 * not cut short. Where n8n keeps the data on disk it is streamed, never loaded whole.
 */
export async function readInputImage(ctx: IExecuteFunctions, itemIndex: number, propertyName: string): Promise<InputImage> {
	const item = ctx.getInputData()[itemIndex];
	const binary = item.binary?.[propertyName];
	if (!binary) {
		const present = Object.keys(item.binary ?? {});
		throw inputError(
			ctx,
			itemIndex,
			'Input Binary Field',
			propertyName,
			present.length
				? `the item has no binary property of that name; it has ${present.map((p) => `"${p}"`).join(', ')}`
				: 'the item has no binary data at all; put a node that reads files (e.g. Read/Write Files from Disk, S3) before this one',
		);
	}
	ctx.helpers.assertBinaryData(itemIndex, propertyName);
	const declared = declaredMime(binary);
	const fileName = binary.fileName;
	const label = `Input Binary Field "${propertyName}"${fileName ? ` (${fileName})` : ''}`;
	if (declared !== 'image/jpeg' && declared !== 'image/png' && declared !== 'image/jpg') {
		throw inputError(ctx, itemIndex, label, declared || 'no MIME type', 'Celantur only anonymizes JPEG and PNG images');
	}

	let head: Buffer;
	let tail: Buffer;
	let size: number;
	let open: () => Promise<Buffer | BinaryStream>;
	if (binary.id) {
		const id = binary.id;
		({ head, tail, size } = await headAndTail(await ctx.helpers.getBinaryStream(id)));
		open = async () => await ctx.helpers.getBinaryStream(id);
	} else {
		// Held only while checked; the upload reads it again, so a batch never keeps every image.
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
		head = Buffer.from(buffer.subarray(0, HEAD_BYTES));
		tail = Buffer.from(buffer.subarray(-TAIL_BYTES));
		size = buffer.length;
		open = async () => await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	}

	if (size === 0) throw inputError(ctx, itemIndex, label, '0 bytes', 'the file is empty');
	const actual = sniff(head);
	if (!actual) {
		throw inputError(ctx, itemIndex, label, `${declared} by name`, 'its bytes are not a JPEG or PNG image (the file content does not match its type)');
	}
	if (!isComplete(actual, tail)) {
		throw inputError(ctx, itemIndex, label, `${size} bytes`, `the ${actual === 'image/png' ? 'PNG' : 'JPEG'} is cut short (truncated); read the file again`);
	}
	return { mimeType: actual, size, fileName, open };
}
