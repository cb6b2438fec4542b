// Test images the emulator "detects", and pixel comparisons. The design is in README.md and
// imaging/colorkey.ts: a saturated key-colour frame (hue = type, brightness = score) around
// grey noise, on a textured grey background.
import { decode, encodeJpeg, encodePng, type ImageFormat } from './imaging/codec';
import { MIN_OBJECT_SIDE, frameThickness, keyColour } from './imaging/colorkey';
import type { ObjectType } from './types';

// Module-local Math functions: global lookups are ~30x slower inside jest's vm sandbox.
const { abs, ceil, floor, imul, max, min } = Math;

export type { ObjectType } from './types';

export interface PlacedObject {
	type: ObjectType;
	x: number;
	y: number;
	width: number;
	height: number;
	/** Detection score 0..1, default 0.9. Exact through PNG, within +-0.02 through JPEG (quality >= 75). */
	score?: number;
}

export interface Region {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface TestImageOptions {
	format: ImageFormat;
	width: number;
	height: number;
	objects: PlacedObject[];
	/** JPEG quality, default 92. */
	quality?: number;
	/** Background and object texture seed, default 1. */
	seed?: number;
	/**
	 * Grow the file to at least this many bytes with an ignored chunk (PNG private chunk, JPEG
	 * APP15 segments) of noise: a large upload without a proportionally large decode.
	 */
	padToBytes?: number;
}

export const DEFAULT_SCORE = 0.9;

export function makeTestImage(opts: TestImageOptions): Buffer {
	const { width, height } = opts;
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
		throw new Error(`makeTestImage: bad size ${width}x${height}`);
	}
	const seed = opts.seed ?? 1;
	const data = Buffer.alloc(width * height * 4);
	paintBackground(data, width, height, seed);
	for (const object of opts.objects) paintObject(data, width, height, object, seed);
	const raster = { width, height, data };
	const encoded =
		opts.format === 'jpeg' ? encodeJpeg(raster, opts.quality ?? 92) : encodePng(raster, 6, false);
	return opts.padToBytes && encoded.length < opts.padToBytes
		? pad(encoded, opts.format, opts.padToBytes, seed)
		: encoded;
}

export function decodeImage(buf: Buffer): {
	width: number;
	height: number;
	data: Buffer;
	format: ImageFormat;
} {
	const image = decode(buf);
	return { width: image.width, height: image.height, data: image.data, format: image.format };
}

/** Mean absolute difference of the R, G and B channels over a region (clipped to the image). */
export function regionDiff(a: Buffer, b: Buffer, region: Region): number {
	const first = decode(a);
	const second = decode(b);
	if (first.width !== second.width || first.height !== second.height) {
		throw new Error(
			`regionDiff: sizes differ (${first.width}x${first.height} vs ${second.width}x${second.height})`,
		);
	}
	const x1 = max(0, floor(region.x));
	const y1 = max(0, floor(region.y));
	const x2 = min(first.width, ceil(region.x + region.width));
	const y2 = min(first.height, ceil(region.y + region.height));
	if (x2 <= x1 || y2 <= y1) throw new Error('regionDiff: region is empty or outside the image');
	let sum = 0;
	for (let y = y1; y < y2; y++) {
		for (let x = x1, i = (y * first.width + x1) * 4; x < x2; x++, i += 4) {
			sum += abs(first.data[i] - second.data[i]);
			sum += abs(first.data[i + 1] - second.data[i + 1]);
			sum += abs(first.data[i + 2] - second.data[i + 2]);
		}
	}
	return sum / ((x2 - x1) * (y2 - y1) * 3);
}

/** Deterministic integer hash of a cell and a seed, 0..255. */
function hash(x: number, y: number, seed: number): number {
	let h = imul(x, 0x27d4eb2d) ^ imul(y, 0x165667b1) ^ imul(seed + 0x9e3779b9, 0x85ebca6b);
	h = imul(h ^ (h >>> 15), 0x2c1b3c6d);
	h = imul(h ^ (h >>> 12), 0x297a2d39);
	return (h ^ (h >>> 15)) & 0xff;
}

// Low-saturation grey: a diagonal gradient, 8 px blotches and per-pixel grain. Never a key colour.
function paintBackground(data: Buffer, width: number, height: number, seed: number): void {
	for (let y = 0; y < height; y++) {
		for (let x = 0, i = y * width * 4; x < width; x++, i += 4) {
			const gradient = 60 + (90 * (x + y)) / (width + height);
			const blotch = (hash(x >> 3, y >> 3, seed) - 128) / 4;
			const grain = (hash(x, y, seed + 7) - 128) / 10;
			const v = min(230, max(20, gradient + blotch + grain));
			data[i] = v + 5;
			data[i + 1] = v;
			data[i + 2] = v - 5;
			data[i + 3] = 255;
		}
	}
}

function paintObject(
	data: Buffer,
	width: number,
	height: number,
	object: PlacedObject,
	seed: number,
): void {
	const { x, y, width: w, height: h } = object;
	const score = object.score ?? DEFAULT_SCORE;
	if (![x, y, w, h].every(Number.isInteger) || x < 0 || y < 0 || x + w > width || y + h > height) {
		throw new Error(
			`makeTestImage: ${object.type} at ${x},${y} ${w}x${h} is not inside the ${width}x${height} image`,
		);
	}
	if (w < MIN_OBJECT_SIDE || h < MIN_OBJECT_SIDE)
		throw new Error(`makeTestImage: objects need sides of at least ${MIN_OBJECT_SIDE} px`);
	if (!(score >= 0 && score <= 1))
		throw new Error(`makeTestImage: score ${score} is not within 0..1`);
	const [kr, kg, kb] = keyColour(object.type, score);
	const frame = frameThickness(w, h);
	for (let yy = y; yy < y + h; yy++) {
		for (let xx = x; xx < x + w; xx++) {
			const i = (yy * width + xx) * 4;
			const onFrame =
				xx < x + frame || xx >= x + w - frame || yy < y + frame || yy >= y + h - frame;
			if (onFrame) {
				data[i] = kr;
				data[i + 1] = kg;
				data[i + 2] = kb;
			} else {
				// Coarse, high-contrast grey noise: any blur, pixelation or blackening changes it a lot.
				const v = 40 + ((hash(xx >> 1, yy >> 1, seed + 13) * 175) >> 8);
				data[i] = v;
				data[i + 1] = v;
				data[i + 2] = v;
			}
			data[i + 3] = 255;
		}
	}
}

function pad(encoded: Buffer, format: ImageFormat, target: number, seed: number): Buffer {
	const missing = target - encoded.length;
	if (format === 'png') {
		// After IHDR (8 byte signature + 25 byte chunk); "emPd" is ancillary and private, so decoders skip it.
		const payload = noise(max(0, missing - 12), seed);
		const chunk = Buffer.alloc(payload.length + 12);
		chunk.writeUInt32BE(payload.length, 0);
		chunk.write('emPd', 4, 'latin1');
		payload.copy(chunk, 8);
		chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + payload.length)), 8 + payload.length);
		return Buffer.concat([encoded.subarray(0, 33), chunk, encoded.subarray(33)]);
	}
	const segments: Buffer[] = [];
	let remaining = missing;
	while (remaining > 0) {
		const size = min(65535, max(2, remaining - 2));
		const segment = Buffer.alloc(size + 2);
		segment[0] = 0xff;
		segment[1] = 0xef; // APP15: application data, ignored by decoders
		segment.writeUInt16BE(size, 2);
		noise(size - 2, seed + segments.length).copy(segment, 4);
		segments.push(segment);
		remaining -= segment.length;
	}
	return Buffer.concat([encoded.subarray(0, 2), ...segments, encoded.subarray(2)]);
}

function noise(length: number, seed: number): Buffer {
	const out = Buffer.alloc(length);
	let state = (seed * 0x9e3779b9) >>> 0 || 1;
	for (let i = 0; i < length; i++) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		out[i] = state & 0xff;
	}
	return out;
}

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(buf: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of buf) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}
