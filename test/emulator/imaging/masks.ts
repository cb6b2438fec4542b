import { encodeGreyPng } from './codec';
import type { Shape } from './shape';

// Module-local Math functions: global lookups are ~30x slower inside jest's vm sandbox.
const { ceil, floor, max, min, round } = Math;

/** Grey level of instance `id` in the instance mask: distinct for the first 216 instances. */
export function instanceGrey(id: number): number {
	return 40 + ((id * 53) % 216);
}

export function maskSize(
	width: number,
	height: number,
	maskScale: number,
): { width: number; height: number } {
	return {
		width: max(1, round((width * maskScale) / 100)),
		height: max(1, round((height * maskScale) / 100)),
	};
}

/**
 * Greyscale PNGs at `mask-scale` percent of the image size. Binary: 255 on every anonymised
 * object's shape (ignore areas excluded), 0 elsewhere. Instance: instanceGrey(id) per object,
 * later objects drawn over earlier ones. Each mask pixel samples the image pixel under its centre.
 */
export function renderMask(
	imageWidth: number,
	imageHeight: number,
	maskScale: number,
	objects: Array<{ id: number; shape: Shape }>,
	kind: 'binary' | 'instance',
): Buffer {
	const size = maskSize(imageWidth, imageHeight, maskScale);
	const grey = Buffer.alloc(size.width * size.height);
	const sx = imageWidth / size.width;
	const sy = imageHeight / size.height;
	for (const { id, shape } of objects) {
		const level = kind === 'binary' ? 255 : instanceGrey(id);
		const ext = shape.extent;
		const mx1 = max(0, floor(ext.x1 / sx));
		const my1 = max(0, floor(ext.y1 / sy));
		const mx2 = min(size.width, ceil(ext.x2 / sx));
		const my2 = min(size.height, ceil(ext.y2 / sy));
		for (let my = my1; my < my2; my++) {
			const y = min(imageHeight - 1, floor((my + 0.5) * sy));
			for (let mx = mx1; mx < mx2; mx++) {
				const x = min(imageWidth - 1, floor((mx + 0.5) * sx));
				if (shape.distance(x, y) <= 1 && shape.weight(x, y) > 0) grey[my * size.width + mx] = level;
			}
		}
	}
	return encodeGreyPng(size.width, size.height, grey);
}
