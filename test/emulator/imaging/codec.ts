import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export type ImageFormat = 'jpeg' | 'png';

/** Pixels as RGBA, 4 bytes per pixel, rows top to bottom. */
export interface Raster {
	width: number;
	height: number;
	data: Buffer;
}

export interface DecodedImage extends Raster {
	format: ImageFormat;
	/** PNG only: whether the file had an alpha channel worth keeping on output. */
	hasAlpha: boolean;
}

export function sniffFormat(buf: Buffer): ImageFormat | undefined {
	if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
	if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47 && buf.readUInt32BE(4) === 0x0d0a1a0a)
		return 'png';
	return undefined;
}

/** Throws on anything that is not a complete JPEG or PNG. */
export function decode(buf: Buffer): DecodedImage {
	const format = sniffFormat(buf);
	if (format === 'jpeg') {
		const image = jpeg.decode(buf, {
			useTArray: true,
			formatAsRGBA: true,
			maxResolutionInMP: 200,
			maxMemoryUsageInMB: 2048,
		});
		return {
			width: image.width,
			height: image.height,
			data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength),
			format,
			hasAlpha: false,
		};
	}
	if (format === 'png') {
		const image = PNG.sync.read(buf);
		return {
			width: image.width,
			height: image.height,
			data: image.data,
			format,
			hasAlpha: image.alpha,
		};
	}
	throw new Error('not a JPEG or PNG image');
}

export function encodeJpeg(raster: Raster, quality: number): Buffer {
	return jpeg.encode({ width: raster.width, height: raster.height, data: raster.data }, quality)
		.data;
}

/**
 * Input and output colour types always match, so pngjs skips its per-pixel conversion, and one
 * cheap filter (Sub) is used: both are 10-20x slower than the rest under jest's vm sandbox.
 * Only the deflate level varies with `compress-level`.
 */
export function encodePng(raster: Raster, compressLevel: number, keepAlpha: boolean): Buffer {
	const png = new PNG({ width: 1, height: 1 });
	png.width = raster.width;
	png.height = raster.height;
	png.data = keepAlpha ? raster.data : dropAlpha(raster.data);
	const colorType = keepAlpha ? 6 : 2;
	return PNG.sync.write(png, {
		colorType,
		inputColorType: colorType,
		deflateLevel: compressLevel,
		filterType: 1,
	});
}

function dropAlpha(rgba: Buffer): Buffer {
	const rgb = Buffer.allocUnsafe((rgba.length / 4) * 3);
	for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
		rgb[q] = rgba[p];
		rgb[q + 1] = rgba[p + 1];
		rgb[q + 2] = rgba[p + 2];
	}
	return rgb;
}

/** One byte per pixel in, 8-bit greyscale PNG out (masks). */
export function encodeGreyPng(width: number, height: number, grey: Buffer): Buffer {
	const png = new PNG({ width: 1, height: 1 });
	png.width = width;
	png.height = height;
	png.data = grey;
	return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, deflateLevel: 6 });
}
