import type { AnonymizationMethod } from '../types';
import type { Raster } from './codec';
import type { Box } from './detect';
import { Shape } from './shape';

// Module-local Math functions: global lookups are ~30x slower inside jest's vm sandbox.
const { ceil, max, min, round } = Math;

export interface AnonymizeSpec {
	method: AnonymizationMethod;
	shape: Shape;
	/** The kernel-size setting: below 1 relative to the object's longer side, else pixels. */
	kernelSetting: number;
	box: Box;
}

/** Kernel size in pixels, odd and at least 3, as OpenCV's GaussianBlur would need it. */
export function kernelPixels(setting: number, box: Box): number {
	const longer = max(box.x2 - box.x1, box.y2 - box.y1);
	const size = setting < 1 ? setting * longer : setting;
	return max(3, round(size)) | 1;
}

/**
 * Reads `source` (the untouched decode) and writes `target`, so overlapping objects never
 * blur an already blurred copy twice.
 */
export function anonymize(source: Raster, target: Raster, spec: AnonymizeSpec): void {
	const kernel = kernelPixels(spec.kernelSetting, spec.box);
	if (spec.method === 'blur') blur(source, target, spec.shape, kernel);
	else if (spec.method === 'pixelate')
		pixelate(source, target, spec.shape, spec.box, max(2, round(kernel / 4)));
	else blacken(target, spec.shape);
}

function blacken(target: Raster, shape: Shape): void {
	const { x1, y1, x2, y2 } = shape.extent;
	for (let y = y1; y < y2; y++) {
		for (let x = x1; x < x2; x++) {
			if (shape.weight(x, y) <= 0) continue;
			const i = (y * target.width + x) * 4;
			target.data[i] = 0;
			target.data[i + 1] = 0;
			target.data[i + 2] = 0;
		}
	}
}

function pixelate(source: Raster, target: Raster, shape: Shape, box: Box, block: number): void {
	const { x1, y1, x2, y2 } = shape.extent;
	const { width, data } = source;
	// The grid is anchored at the object's top-left corner so the result does not depend on the extent.
	const gx0 = box.x1 - ceil((box.x1 - x1) / block) * block;
	const gy0 = box.y1 - ceil((box.y1 - y1) / block) * block;
	for (let by = gy0; by < y2; by += block) {
		for (let bx = gx0; bx < x2; bx += block) {
			const cx1 = max(bx, x1);
			const cy1 = max(by, y1);
			const cx2 = min(bx + block, x2);
			const cy2 = min(by + block, y2);
			let r = 0;
			let g = 0;
			let b = 0;
			let n = 0;
			for (let y = cy1; y < cy2; y++) {
				for (let x = cx1, i = (y * width + cx1) * 4; x < cx2; x++, i += 4) {
					r += data[i];
					g += data[i + 1];
					b += data[i + 2];
					n++;
				}
			}
			if (n === 0) continue;
			for (let y = cy1; y < cy2; y++) {
				for (let x = cx1; x < cx2; x++) {
					if (shape.weight(x, y) <= 0) continue;
					const i = (y * width + x) * 4;
					target.data[i] = round(r / n);
					target.data[i + 1] = round(g / n);
					target.data[i + 2] = round(b / n);
				}
			}
		}
	}
}

/**
 * Gaussian approximated by three box passes (three passes of width 2r+1 have variance r(r+1)), the radius
 * taken from OpenCV's sigma for the kernel size. Running sums make the cost independent of the
 * kernel size; the region read is the extent plus a margin, clamped at the image border.
 */
function blur(source: Raster, target: Raster, shape: Shape, kernel: number): void {
	const sigma = 0.3 * ((kernel - 1) / 2 - 1) + 0.8;
	const radius = max(1, round(sigma));
	const margin = radius * 3;
	const ext = shape.extent;
	const rx1 = max(0, ext.x1 - margin);
	const ry1 = max(0, ext.y1 - margin);
	const rx2 = min(source.width, ext.x2 + margin);
	const ry2 = min(source.height, ext.y2 + margin);
	const w = rx2 - rx1;
	const h = ry2 - ry1;
	if (w <= 0 || h <= 0) return;
	const plane = new Float32Array(w * h);
	const scratch = new Float32Array(max(w, h));
	for (let channel = 0; channel < 3; channel++) {
		for (let y = 0; y < h; y++) {
			for (let x = 0, i = ((ry1 + y) * source.width + rx1) * 4 + channel; x < w; x++, i += 4)
				plane[y * w + x] = source.data[i];
		}
		for (let pass = 0; pass < 3; pass++) {
			for (let y = 0; y < h; y++) boxLine(plane, y * w, 1, w, radius, scratch);
			for (let x = 0; x < w; x++) boxLine(plane, x, w, h, radius, scratch);
		}
		for (let y = ext.y1; y < ext.y2; y++) {
			for (let x = ext.x1; x < ext.x2; x++) {
				const weight = shape.weight(x, y);
				if (weight <= 0) continue;
				const i = (y * target.width + x) * 4 + channel;
				const blurred = plane[(y - ry1) * w + (x - rx1)];
				target.data[i] = round(target.data[i] * (1 - weight) + blurred * weight);
			}
		}
	}
}

/** One box-filter pass over a line of `length` samples spaced `stride` apart, edges clamped. */
function boxLine(
	plane: Float32Array,
	offset: number,
	stride: number,
	length: number,
	radius: number,
	scratch: Float32Array,
): void {
	for (let k = 0; k < length; k++) scratch[k] = plane[offset + k * stride];
	const span = 2 * radius + 1;
	const at = (k: number): number => scratch[k < 0 ? 0 : k >= length ? length - 1 : k];
	let sum = 0;
	for (let k = -radius; k <= radius; k++) sum += at(k);
	for (let k = 0; k < length; k++) {
		plane[offset + k * stride] = sum / span;
		sum += at(k + radius + 1) - at(k - radius);
	}
}
